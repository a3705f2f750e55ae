#!/usr/bin/env bash
# Builds the opm base image of our catalog images from the opm and grpc_health_probe that
# scripts/tools/build.sh compiled, and pushes it to the local registry as
# <registry>/operator-framework/opm:<OPM_VERSION> (default registry: the one scripts/registry.sh runs,
# started if needed). With `--registry-mirror quay.io=<registry>`, `image build --base
# quay.io/operator-framework/opm:<OPM_VERSION>` then builds catalog images that `opm serve` in a pod.
#
#   scripts/opm-base.sh [registry]      # prints the reference and its digest
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/versions.env
source scripts/tools/versions.env
bash scripts/tools/build.sh opm grpc-health-probe >&2
bin="${DBAAS_TOOLS_DIR:-$HOME/.cache/dbaas-catalog/tools}/bin"
registry="${1:-}"
[ -n "$registry" ] || registry="$(bash scripts/registry.sh up)"
npx dbaas-catalog image base "$registry/operator-framework/opm:$OPM_VERSION" \
  --opm "$bin/opm" --grpc-health-probe "$bin/grpc_health_probe" --push
