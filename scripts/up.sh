#!/usr/bin/env bash
# The main job on the embedded default: install, check the catalog, then deploy the dev platform stack.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx dbaas-catalog validate catalog
echo "catalog: valid"
