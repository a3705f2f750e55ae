#!/usr/bin/env bash
# `npm run cluster:up`: a local Kubernetes control plane with OLM, for the platform deploy and the e2e tests.
# Idempotent: what already runs is kept, what is missing is (re)started. Nothing is downloaded: every binary
# comes from the tools cache (scripts/tools/build.sh). Prints the kubeconfig path and the catalog address,
# and writes both to $STATE/env (KUBECONFIG=..., DBAAS_CATALOG_ADDRESS=...) for `source`.
#
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok   kwokctl --runtime binary, one fake node
#   OLM CRDs + namespaces olm/operators + global OperatorGroup           kubectl apply --server-side
#   opm serve <the catalog with inline bundles> on 127.0.0.1:$PORT        see src/e2e/inline-bundles.ts
#   olm, catalog (OLM v0 operators)                                      local processes, KUBECONFIG
#
# Environment: DBAAS_CLUSTER_DIR (state, default ~/.cache/dbaas-catalog/cluster), DBAAS_CATALOG_PORT (50051),
# DBAAS_CLUSTER_CATALOG (catalog dir to serve, default <repo>/catalog), DBAAS_CLUSTER_NAME (dbaas).
# Exit status 3: tools not built (the message names the build command).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CATALOG_SRC="${DBAAS_CLUSTER_CATALOG:-$REPO/catalog}"
START=$(date +%s)

missing="$(missing_tools)"
if [ -n "$missing" ]; then
  echo "cluster: tools not built: ${missing}(run: bash scripts/tools/build.sh ${missing% })" >&2
  exit 3
fi
mkdir -p "$STATE" "$KWOK_WORKDIR"
# shellcheck source=../tools/versions.env
source "$REPO/scripts/tools/versions.env"
command -v go >/dev/null || die "go is needed to find OLM's CRDs in the Go module cache (operator-lifecycle-manager@$OLM_VERSION)"
OLM_MOD="$(go env GOMODCACHE)/github.com/operator-framework/operator-lifecycle-manager@$OLM_VERSION"
[ -d "$OLM_MOD/deploy/chart/crds" ] || go mod download "github.com/operator-framework/operator-lifecycle-manager@$OLM_VERSION" >/dev/null
[ -d "$OLM_MOD/deploy/chart/crds" ] || die "OLM CRDs not found in $OLM_MOD/deploy/chart/crds"

# ------------------------------------------------------------------ control plane (kwokctl)
write_kwokctl_config() {
  # Every binary kwokctl could fetch is a local path (a URL default would be a download). Components that
  # are not built here (prometheus, jaeger, metrics-server, kind, etcdctl, kectl) are off by default and point
  # at paths that do not exist, so enabling one fails instead of downloading.
  local b="$DBAAS_TOOLS_BIN"
  cat >"$KWOK_WORKDIR/kwok.yaml" <<EOF
kind: KwokctlConfiguration
apiVersion: config.kwok.x-k8s.io/v1alpha1
options:
  runtime: binary
  kubeVersion: ${KUBE_VERSION}
  bindAddress: 127.0.0.1
  cacheDir: $KWOK_WORKDIR/cache
  quietPull: true
  kubeBinaryPrefix: $b
  kubeApiserverBinary: $b/kube-apiserver
  kubeControllerManagerBinary: $b/kube-controller-manager
  kubeSchedulerBinary: $b/kube-scheduler
  kubectlBinary: $b/kubectl
  etcdBinaryPrefix: $b
  etcdBinary: $b/etcd
  etcdBinaryTar: $b/etcd.tar.gz
  etcdctlBinary: $b/etcdctl
  etcdutlBinary: $b/etcdutl
  kectlBinary: $b/kectl
  kwokBinaryPrefix: $b
  kwokControllerBinary: $b/kwok
  prometheusBinaryPrefix: $b
  prometheusBinary: $b/prometheus
  prometheusBinaryTar: $b/prometheus.tar.gz
  jaegerBinaryPrefix: $b
  jaegerBinary: $b/jaeger
  jaegerBinaryTar: $b/jaeger.tar.gz
  metricsServerBinaryPrefix: $b
  metricsServerBinary: $b/metrics-server
  kindBinaryPrefix: $b
  kindBinary: $b/kind
# Inline bundles put every manifest into the InstallPlan: a namespace that resolves several large
# operators at once (percona-platform: pg + psmdb + pxc, ~1.7 MB) exceeds etcd's default 1.5 MiB request
# limit ("etcdserver: request is too large"). kube-apiserver's own 3 MB body limit stays the bound.
componentsPatches:
- name: etcd
  extraArgs:
  - key: max-request-bytes
    value: "8388608"
EOF
}

api_ready() { kc get --raw /readyz; }

# kwokctl must never reach the network: a download attempt goes to a closed local port and fails.
kwokctl_offline() { HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY='' kwokctl --name "$CLUSTER_NAME" "$@"; }

write_kwokctl_config
if kwokctl_offline get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
  if [ -f "$KUBECONFIG_FILE" ] && api_ready >/dev/null 2>&1; then
    log "control plane: running"
  else
    log "control plane: starting the existing cluster"
    kwokctl_offline start cluster --wait 2m >>"$STATE/kwokctl.log" 2>&1 || die "kwokctl start failed; see $STATE/kwokctl.log"
  fi
else
  log "control plane: creating (kwokctl, binary runtime, $KUBE_VERSION)"
  rm -f "$KUBECONFIG_FILE"
  kwokctl_offline create cluster --kubeconfig "$KUBECONFIG_FILE" --wait 2m >>"$STATE/kwokctl.log" 2>&1 ||
    die "kwokctl create failed; see $STATE/kwokctl.log"
fi
kc config use-context "kwok-$CLUSTER_NAME" >/dev/null
wait_for 120 "the API server" api_ready
[ ! -d "$KWOK_WORKDIR/cache" ] || [ -z "$(ls -A "$KWOK_WORKDIR/cache")" ] || die "kwokctl downloaded into $KWOK_WORKDIR/cache"

# One fake node: kwok marks it Ready and every pod scheduled on it Running/Ready.
if ! kc get nodes -o name 2>/dev/null | grep -q .; then
  kwokctl_offline scale node --replicas 1 >>"$STATE/kwokctl.log" 2>&1 || die "kwokctl scale node failed; see $STATE/kwokctl.log"
fi
node_ready() { kc get nodes -o jsonpath='{.items[*].status.conditions[?(@.type=="Ready")].status}' | grep -q True; }
wait_for 60 "a Ready node" node_ready

# ------------------------------------------------------------------ OLM CRDs and base objects
log "OLM $OLM_VERSION: CRDs and base objects"
# server-side: the CSV CRD is too large for the last-applied annotation of a client-side apply
kc apply --server-side --force-conflicts -f "$OLM_MOD/deploy/chart/crds" >/dev/null
kc wait --for condition=Established --timeout 60s -f "$OLM_MOD/deploy/chart/crds" >/dev/null
kc apply --server-side --force-conflicts -f "$REPO/scripts/cluster/manifests/olm-base.yaml" >/dev/null

# ------------------------------------------------------------------ catalog server (opm serve)
served="$STATE/catalog"
new="$(mktemp -d "$STATE/catalog.new.XXXXXX")"
node --import tsx "$REPO/scripts/cluster/inline-catalog.ts" "$CATALOG_SRC" "$new" >/dev/null
if running_pid opm "opm serve" >/dev/null && cmp -s "$new/catalog.json" "$served/catalog.json" && port_open "$CATALOG_ADDRESS"; then
  rm -rf "$new"
  log "catalog: serving $CATALOG_ADDRESS (unchanged)"
else
  stop_bg opm "opm serve"
  rm -rf "$served"; mv "$new" "$served"
  port_open "$CATALOG_ADDRESS" && die "port $CATALOG_PORT is taken by another process (set DBAAS_CATALOG_PORT)"
  log "catalog: opm serve $CATALOG_SRC (inline bundles) on $CATALOG_ADDRESS"
  start_bg opm opm serve "$served" --port "$CATALOG_PORT" --pprof-addr "" --termination-log /dev/null \
    --cache-dir "$STATE/opm-cache" --cache-enforce-integrity=false
  wait_for 60 "opm serve on $CATALOG_ADDRESS" port_open "$CATALOG_ADDRESS" || { tail -n 20 "$STATE/opm.log" >&2; exit 1; }
fi

# ------------------------------------------------------------------ OLM operators (local processes)
export KUBECONFIG="$KUBECONFIG_FILE"
unset GLOBAL_CATALOG_NAMESPACE
if ! running_pid olm "bin/olm --namespace" >/dev/null; then
  log "olm operator: starting"
  start_bg olm "$DBAAS_TOOLS_BIN/olm" --namespace "$OLM_NAMESPACE" --interval 1m
fi
if ! running_pid catalog "bin/catalog --namespace" >/dev/null; then
  log "catalog operator: starting"
  start_bg catalog "$DBAAS_TOOLS_BIN/catalog" --namespace "$OLM_NAMESPACE" --interval 1m
fi
sleep 2
running_pid olm "bin/olm --namespace" >/dev/null || { tail -n 20 "$STATE/olm.log" >&2; die "the olm operator exited; log: $STATE/olm.log"; }
running_pid catalog "bin/catalog --namespace" >/dev/null || { tail -n 20 "$STATE/catalog.log" >&2; die "the catalog operator exited; log: $STATE/catalog.log"; }

printf 'KUBECONFIG=%s\nDBAAS_CATALOG_ADDRESS=%s\n' "$KUBECONFIG_FILE" "$CATALOG_ADDRESS" >"$STATE/env"
log "ready in $(( $(date +%s) - START ))s (logs: $STATE/*.log, $KWOK_WORKDIR/clusters/$CLUSTER_NAME/logs)"
echo "kubeconfig: $KUBECONFIG_FILE"
echo "catalog:    $CATALOG_ADDRESS"
