#!/usr/bin/env bash
# The main job on the embedded default (`npm run up`), from a fresh clone, non-interactively:
#   1. install the npm dependencies (scripts/setup.sh) and validate the catalog;
#   2. build the pinned tools, or reuse the cache (scripts/tools/build.sh: opm, Pulumi, kube, etcd, kwok, OLM);
#   3. start the local cluster with OLM and the catalog server (scripts/cluster/up.sh);
#   4. `pulumi up` the dev stack (local file backend, see src/e2e/pulumi.ts) and check what OLM reports:
#      CatalogSource READY, each Subscription AtLatestKnown on its channel head, each CSV Succeeded.
# The log of steps 3-4 is saved to $DBAAS_UP_LOG (default .tmp/up/up-dev.log).
# DBAAS_STACK=<stack> deploys another stack; DBAAS_SKIP_DEPLOY=1 stops after step 1 (catalog only).
set -euo pipefail
cd "$(dirname "$0")/.."
STACK="${DBAAS_STACK:-dev}"
LOG="${DBAAS_UP_LOG:-$PWD/.tmp/up/up-$STACK.log}"
start=$(date +%s)

bash scripts/setup.sh
npx dbaas-catalog validate catalog
echo "catalog: valid"
[ "${DBAAS_SKIP_DEPLOY:-}" = 1 ] && exit 0

echo "tools: building or reusing (scripts/tools/build.sh; a cold build takes about 25 minutes)"
bash scripts/tools/build.sh
mkdir -p "$(dirname "$LOG")"
: >"$LOG"
bash scripts/cluster/up.sh 2>&1 | tee -a "$LOG"
node --import tsx scripts/cluster/platform.ts up "$STACK" --log "$LOG"
echo "up: stack $STACK deployed and checked in $(( $(date +%s) - start ))s; log: $LOG"
state="${DBAAS_CLUSTER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dbaas-catalog/cluster}"
echo "up: look around with: . scripts/tools/env.sh; KUBECONFIG=$state/kubeconfig kubectl get catalogsources,subscriptions,csv -A"
