#!/usr/bin/env bash
# `npm run e2e`: the end-to-end tests (tests/e2e, .mocharc.e2e.json) on a cluster of their own, so a
# developer's `npm run up` deployment is never touched: state ~/.cache/dbaas-catalog/e2e-cluster, catalog
# server on 127.0.0.1:50061. The cluster is created fresh and deleted afterwards.
#   DBAAS_E2E_KEEP=1     keep the cluster (and the stacks' state) after the run, for debugging
#   DBAAS_E2E_REUSE=1    reuse a running e2e cluster instead of recreating it
# Tests skip (with the build command) when the tools are not built; outputs and pulumi logs: .tmp/e2e/.
# Extra arguments go to mocha (e.g. --grep QA).
set -euo pipefail
cd "$(dirname "$0")/.."
export DBAAS_CLUSTER_DIR="${DBAAS_E2E_CLUSTER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dbaas-catalog/e2e-cluster}"
export DBAAS_CATALOG_PORT="${DBAAS_E2E_CATALOG_PORT:-50061}"
start=$(date +%s)
bash scripts/setup.sh
if [ "${DBAAS_E2E_REUSE:-}" != 1 ]; then bash scripts/cluster/down.sh >/dev/null; fi
rc=0
npx mocha --config .mocharc.e2e.json "$@" || rc=$?
if [ "${DBAAS_E2E_KEEP:-}" = 1 ]; then
  echo "e2e: cluster kept: KUBECONFIG=$DBAAS_CLUSTER_DIR/kubeconfig (npm run cluster:down with DBAAS_CLUSTER_DIR=$DBAAS_CLUSTER_DIR removes it)"
else
  bash scripts/cluster/down.sh >/dev/null
fi
echo "e2e: finished in $(( $(date +%s) - start ))s (exit $rc)"
exit $rc
