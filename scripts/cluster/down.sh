#!/usr/bin/env bash
# `npm run cluster:down`: stops what `npm run cluster:up` started (OLM operators, opm serve, the kwok cluster)
# and deletes the cluster's state folder. Idempotent: nothing running is not an error.
# Only processes recorded in the state folder's pid files (and kwokctl's own) are stopped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stop_bg catalog "bin/catalog --namespace"
stop_bg olm "bin/olm --namespace"
stop_bg opm "opm serve"
if [ -x "$DBAAS_TOOLS_BIN/kwokctl" ] && [ -d "$KWOK_WORKDIR/clusters/$CLUSTER_NAME" ]; then
  log "deleting kwok cluster $CLUSTER_NAME"
  HTTPS_PROXY=http://127.0.0.1:9 kwokctl --name "$CLUSTER_NAME" delete cluster --kubeconfig "$KUBECONFIG_FILE" >>"$STATE/kwokctl.log" 2>&1 ||
    log "kwokctl delete failed (see $STATE/kwokctl.log); removing its folder"
fi
# kwokctl stops its components through their pid files; make sure none survived (e.g. after a failed delete).
if [ -d "$KWOK_WORKDIR/clusters/$CLUSTER_NAME/pids" ]; then
  for f in "$KWOK_WORKDIR/clusters/$CLUSTER_NAME"/pids/*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$KWOK_WORKDIR"; then kill "$pid" 2>/dev/null || true; fi
  done
fi
rm -rf "$STATE"
echo "cluster: down ($STATE removed)"
