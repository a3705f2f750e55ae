#!/usr/bin/env bash
# Build the pinned third-party tools (scripts/tools/versions.env) from Go modules only,
# into a cache folder keyed by versions; a tool whose folder is complete is reused.
#
#   scripts/tools/build.sh                 # all tools
#   scripts/tools/build.sh opm pulumi      # some tools
#
# Tools: opm, grpc-health-probe, pulumi (pulumi + pulumi-language-nodejs), pulumi-kubernetes
#        (pulumi-resource-kubernetes), etcd, kube (kube-apiserver, kube-controller-manager,
#        kube-scheduler, kubectl), kwok (kwok + kwokctl), olm (olm + catalog)
# Cache: ${DBAAS_TOOLS_DIR:-$HOME/.cache/dbaas-catalog/tools}
#   <tool>-<version>/bin/*      binaries (+ .complete stamp; written to a temp dir, then renamed)
#   bin/*                       stable symlinks to every binary (put on PATH by env.sh)
#   work/<tool>-<version>/      generated wrapper Go modules (never in the repo)
#   logs/<tool>-<version>.log   full go output
#   build-times.tsv             tool, version, seconds, binary sizes
# Go module/build caches are the user's normal ones (GOMODCACHE/GOCACHE), shared by all tools
# (about 4.4 GB + 12 GB after building everything; `go clean -cache` afterwards is safe).
# Every tool is built from a small generated wrapper module (go.mod + go get MOD@VERSION +
# go build PKG): `go install PKG@VERSION` fails on this proxy (see README.md).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

CACHE="${DBAAS_TOOLS_DIR:-$HOME/.cache/dbaas-catalog/tools}"
ALL_TOOLS=(opm grpc-health-probe pulumi pulumi-kubernetes etcd kube kwok olm)

export CGO_ENABLED=0
export GOWORK=off
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
GO_BUILD_FLAGS=(-trimpath)

die() { echo "build.sh: $*" >&2; exit 1; }
command -v go >/dev/null || die "go not found on PATH"

tool_version() {
  case "$1" in
    opm) echo "$OPM_VERSION" ;;
    grpc-health-probe) echo "$GRPC_HEALTH_PROBE_VERSION" ;;
    pulumi) echo "$PULUMI_VERSION" ;;
    pulumi-kubernetes) echo "$PULUMI_KUBERNETES_VERSION" ;;
    etcd) echo "$ETCD_VERSION" ;;
    kube) echo "$KUBE_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    olm) echo "$OLM_VERSION" ;;
    *) die "unknown tool '$1' (known: ${ALL_TOOLS[*]})" ;;
  esac
}

# ---------------------------------------------------------------- helpers

# mod_dir MODULE@VERSION -> extracted module dir in GOMODCACHE (downloads if needed)
mod_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'; }
# mod_gomod MODULE@VERSION -> path of that version's go.mod in the download cache
mod_gomod() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p'; }

# gomod_replaces GOMOD -> "old[ oldver] => new[ newver]" lines (one per replace directive)
gomod_replaces() {
  awk '
    { sub(/\/\/.*/, "") }
    /^replace[[:space:]]*\(/ { inblock = 1; next }
    inblock && /^[[:space:]]*\)/ { inblock = 0; next }
    inblock && /=>/ { gsub(/^[[:space:]]+|[[:space:]]+$/, ""); print; next }
    /^replace[[:space:]]/ && /=>/ { sub(/^replace[[:space:]]+/, ""); gsub(/[[:space:]]+$/, ""); print }
  ' "$1"
}

# copy_version_replaces GOMOD -> add to ./go.mod every replace of GOMOD that points at a
# module version (not at a local path); local-path replaces are printed on stdout as
# "old => ./path" so the caller can pin those modules itself.
copy_version_replaces() {
  local line lhs rhs
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    lhs="${line%%=>*}"; rhs="${line#*=>}"
    lhs="$(echo $lhs)"; rhs="$(echo $rhs)"
    case "$rhs" in
      ./*|../*|/*) echo "$lhs => $rhs" ;;
      *) go mod edit -replace="${lhs// /@}=${rhs// /@}" ;;
    esac
  done < <(gomod_replaces "$1")
}

ldflags() { echo "-s -w $*"; }

# init_wrapper MOD@VER... -> go.mod of a new module "dbaas-tools-wrapper" in the current dir,
# with the version replaces of each MOD@VER's go.mod copied (go install/go get ignore the
# replaces of dependencies). Local-path replaces are printed as "old => ./path".
init_wrapper() {
  local mv
  printf 'module dbaas-tools-wrapper\n\ngo 1.26\n' >go.mod
  for mv in "$@"; do copy_version_replaces "$(mod_gomod "$mv")"; done
}

# ---------------------------------------------------------------- tools
# Each build_<tool> runs in its (empty) work dir with $OUT = staging bin dir.
# Each check_<tool> gets the staging bin dir and fails unless the binaries run (and, where
# they can tell, report the pinned version). Only then is the tool stamped complete.

build_opm() {
  # `go install .../cmd/opm@v1.73.0` fails here: it reads the module's version list for the
  # deprecation check and the proxy answers 403 -> build from a wrapper module instead.
  local m=github.com/operator-framework/operator-registry
  init_wrapper "$m@$OPM_VERSION" >/dev/null
  go get "$m/cmd/opm@$OPM_VERSION"
  go build "${GO_BUILD_FLAGS[@]}" -tags containers_image_openpgp \
    -ldflags "$(ldflags "-X $m/cmd/opm/version.opmVersion=$OPM_VERSION")" -o "$OUT/opm" "$m/cmd/opm"
}
check_opm() { "$1/opm" version; }

build_grpc-health-probe() {
  local m=github.com/grpc-ecosystem/grpc-health-probe v="$GRPC_HEALTH_PROBE_VERSION"
  init_wrapper "$m@$v" >/dev/null
  go get "$m@$v"
  go build "${GO_BUILD_FLAGS[@]}" -ldflags "$(ldflags "-X main.versionTag=$v")" -o "$OUT/grpc_health_probe" "$m"
}
check_grpc-health-probe() { "$1/grpc_health_probe" -version 2>&1 | grep -F "$GRPC_HEALTH_PROBE_VERSION"; }

build_pulumi() {
  local v="$PULUMI_VERSION" vl="$PULUMI_LANGUAGE_NODEJS_SDK_VERSION"
  local vflag="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v"
  # CLI: pkg/v3 go.mod replaces sdk/v3 => ../sdk (+ clipboard fork); sdk/v3 replaces x/text.
  mkdir cli; (
    cd cli
    init_wrapper "github.com/pulumi/pulumi/pkg/v3@$v" "github.com/pulumi/pulumi/sdk/v3@$v" >/dev/null
    go get "github.com/pulumi/pulumi/pkg/v3@$v" "github.com/pulumi/pulumi/sdk/v3@$v"
    go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$v"
    go build "${GO_BUILD_FLAGS[@]}" -tags osusergo,grpcnotrace -ldflags "$(ldflags "$vflag")" \
      -o "$OUT/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  )
  # Node.js language host: see versions.env / README.md (own module not served).
  mkdir langhost; (
    cd langhost
    init_wrapper "github.com/pulumi/pulumi/sdk/v3@$vl" >/dev/null
    go get "github.com/pulumi/pulumi/sdk/v3@$vl"
    go get "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$vl"
    go build "${GO_BUILD_FLAGS[@]}" -tags osusergo,grpcnotrace \
      -ldflags "$(ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$vl")" \
      -o "$OUT/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
  )
}
check_pulumi() {
  PULUMI_SKIP_UPDATE_CHECK=true "$1/pulumi" version || return 1
  # the language host has no version flag; -help prints its flags and exits 0
  local out
  out="$("$1/pulumi-language-nodejs" -help 2>&1 || true)"
  grep -q -- '-typescript' <<<"$out" || { echo "$out"; return 1; }
}

build_pulumi-kubernetes() {
  # provider/v4 has no tags of its own (pseudo-versions only) and replaces sdk/v4 => ../sdk.
  # cmd/pulumi-resource-kubernetes go:embeds schema-embed.json etc., which `go generate`
  # writes and which are therefore absent from the module zip: copy the command into the
  # wrapper, run its generate.go (sets the schema version), then build it there.
  local pm=github.com/pulumi/pulumi-kubernetes/provider/v4
  local pv="$PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION" sv="$PULUMI_KUBERNETES_SDK_MODULE_VERSION"
  local v="$PULUMI_KUBERNETES_VERSION" src
  init_wrapper "$pm@$pv" >/dev/null
  go get "$pm@$pv" "github.com/pulumi/pulumi-kubernetes/sdk/v4@$sv"
  src="$(mod_dir "$pm@$pv")/cmd/pulumi-resource-kubernetes"
  mkdir -p cmd/pulumi-resource-kubernetes
  cp "$src"/*.go "$src"/*.json cmd/pulumi-resource-kubernetes/
  chmod -R u+w cmd
  rm -f cmd/pulumi-resource-kubernetes/*_test.go
  (cd cmd/pulumi-resource-kubernetes && VERSION="$v" go run generate.go)
  go build "${GO_BUILD_FLAGS[@]}" -ldflags "$(ldflags "-X $pm/pkg/version.Version=$v")" \
    -o "$OUT/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
}
check_pulumi-kubernetes() {
  # a provider has no --version: started without arguments it serves gRPC and prints its
  # port on the first stdout line.
  local pid port=""
  "$1/pulumi-resource-kubernetes" >provider-port.txt 2>/dev/null & pid=$!
  for _ in $(seq 100); do [ -s provider-port.txt ] && break; sleep 0.2; done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  port="$(head -n 1 provider-port.txt)"
  echo "port: $port"
  [[ "$port" =~ ^[0-9]+$ ]]
}

build_etcd() {
  # server/v3 replaces api/v3, client/pkg/v3, client/v3, pkg/v3 => ../<dir> (same release):
  # pin each of them to ETCD_VERSION. Main package = module root (main.go -> etcdmain.Main).
  local m=go.etcd.io/etcd/server/v3 v="$ETCD_VERSION" lhs rest mods=()
  init_wrapper "$m@$v" >local-replaces.txt
  while read -r lhs rest; do
    case "$rest" in *FORBIDDEN*) ;; *) mods+=("$lhs@$v") ;; esac
  done <local-replaces.txt
  go get "$m@$v" "${mods[@]}"
  go build "${GO_BUILD_FLAGS[@]}" -ldflags "$(ldflags)" -o "$OUT/etcd" "$m"
}
check_etcd() { "$1/etcd" --version; }

build_kube() {
  # k8s.io/kubernetes requires every staging module at v0.0.0 and replaces it with
  # ./staging/src/k8s.io/<x>: replace each with its published k8s.io/<x> v0.<minor>.<patch>;
  # one that the proxy does not serve (k8s.io/sample-cli-plugin) gets an empty local stub
  # module (no built package imports it, it only has to exist in the module graph).
  local v="$KUBE_VERSION" sv lhs rest minor
  sv="v0.${v#v1.}"
  minor="${v#v1.}"; minor="${minor%%.*}"
  init_wrapper "k8s.io/kubernetes@$v" >local-replaces.txt
  while read -r lhs rest; do
    if go mod download "$lhs@$sv" 2>/dev/null; then
      go mod edit -replace="$lhs=$lhs@$sv"
    else
      echo "no $lhs@$sv on the proxy -> local stub module"
      mkdir -p "stubs/$lhs"; printf 'module %s\n\ngo 1.26\n' "$lhs" >"stubs/$lhs/go.mod"
      go mod edit -replace="$lhs=./stubs/$lhs"
    fi
  done <local-replaces.txt
  go get "k8s.io/kubernetes@$v"
  local fl="" k
  for k in client-go/pkg/version component-base/version; do
    fl="$fl -X k8s.io/$k.gitVersion=$v -X k8s.io/$k.gitMajor=1 -X k8s.io/$k.gitMinor=$minor -X k8s.io/$k.gitTreeState=clean"
  done
  go build "${GO_BUILD_FLAGS[@]}" -ldflags "$(ldflags "$fl")" -o "$OUT/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}
check_kube() {
  local b out
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    out="$("$1/$b" --version)"; echo "$out"
    [ "$out" = "Kubernetes $KUBE_VERSION" ] || { echo "$b: expected 'Kubernetes $KUBE_VERSION'"; return 1; }
  done
  "$1/kubectl" version --client | grep -q "Client Version: $KUBE_VERSION"
}

build_kwok() {
  local m=sigs.k8s.io/kwok v="$KWOK_VERSION"
  init_wrapper "$m@$v" >/dev/null
  go get "$m@$v"
  # consts.KubeVersion = default --kube-version of kwokctl: make it our KUBE_VERSION.
  go build "${GO_BUILD_FLAGS[@]}" \
    -ldflags "$(ldflags "-X $m/pkg/consts.Version=${v#v} -X $m/pkg/consts.KubeVersion=${KUBE_VERSION#v}")" \
    -o "$OUT/" "$m/cmd/kwok" "$m/cmd/kwokctl"
}
check_kwok() { "$1/kwokctl" --version && "$1/kwok" --version; }

build_olm() {
  local m=github.com/operator-framework/operator-lifecycle-manager v="$OLM_VERSION"
  init_wrapper "$m@$v" >/dev/null
  go get "$m@$v"
  go build "${GO_BUILD_FLAGS[@]}" -ldflags "$(ldflags "-X $m/pkg/version.OLMVersion=$v")" \
    -o "$OUT/" "$m/cmd/olm" "$m/cmd/catalog"
}
check_olm() {
  local b out
  for b in olm catalog; do
    out="$("$1/$b" --help 2>&1 || true)"
    grep -q -- '--namespace' <<<"$out" || { echo "$out"; return 1; }
  done
}

# ---------------------------------------------------------------- driver

human_size() { awk -v b="$1" 'BEGIN { printf "%.1fMiB", b / 1048576 }'; }

link_tool() { # dest-dir
  local f
  mkdir -p "$CACHE/bin"
  for f in "$1"/bin/*; do
    ln -sfn "../$(basename "$1")/bin/$(basename "$f")" "$CACHE/bin/$(basename "$f")"
  done
}

build_one() { # tool -> 0 ok / 1 failed
  local tool="$1" ver dest work stage log start secs sizes f sz rc
  ver="$(tool_version "$tool")"
  dest="$CACHE/$tool-$ver"
  if [ -f "$dest/.complete" ]; then
    link_tool "$dest"
    echo "$tool $ver: cached ($dest)"
    return 0
  fi
  work="$CACHE/work/$tool-$ver"
  stage="$CACHE/.stage-$tool-$ver.$$"
  log="$CACHE/logs/$tool-$ver.log"
  rm -rf "$work" "$stage"; mkdir -p "$work" "$stage/bin" "$CACHE/logs"
  echo "$tool $ver: building (log: $log)"
  start=$(date +%s)
  # (not inside `if`: errexit would be ignored in the subshell)
  set +e
  ( set -euo pipefail; cd "$work"; OUT="$stage/bin"; set -x; "build_$tool" ) >"$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  if [ $rc -ne 0 ]; then
    echo "$tool $ver: BUILD FAILED after ${secs}s; last lines of $log:" >&2
    tail -n 25 "$log" | sed 's/^/    /' >&2
    rm -rf "$stage"
    return 1
  fi
  if ! ( cd "$work"; set -x; "check_$tool" "$stage/bin" ) >>"$log" 2>&1; then
    echo "$tool $ver: built in ${secs}s but the binary check failed (binaries kept in $CACHE/failed-$tool-$ver); last lines of $log:" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
    rm -rf "$CACHE/failed-$tool-$ver"; mv "$stage" "$CACHE/failed-$tool-$ver"
    return 1
  fi
  sizes=""
  for f in "$stage"/bin/*; do
    sz=$(stat -c %s "$f")
    sizes="${sizes:+$sizes,}$(basename "$f")=$(human_size "$sz")"
  done
  { echo "tool=$tool version=$ver built=$(date -u +%FT%TZ) seconds=$secs"; go version; } >"$stage/.complete"
  rm -rf "$dest"
  mv "$stage" "$dest"
  link_tool "$dest"
  [ -f "$CACHE/build-times.tsv" ] || printf 'tool\tversion\tseconds\tsizes\tdate\n' >"$CACHE/build-times.tsv"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$ver" "$secs" "$sizes" "$(date -u +%FT%TZ)" >>"$CACHE/build-times.tsv"
  echo "$tool $ver: built in ${secs}s ($sizes)"
}

main() {
  local tools=("$@") t failed=()
  case "${1:-}" in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; return 0 ;; esac
  [ ${#tools[@]} -gt 0 ] || tools=("${ALL_TOOLS[@]}")
  for t in "${tools[@]}"; do tool_version "$t" >/dev/null; done
  mkdir -p "$CACHE"
  # one build at a time per cache dir (CI and a developer may share it)
  exec 9>"$CACHE/.build.lock"
  if command -v flock >/dev/null; then flock 9; fi
  for t in "${tools[@]}"; do
    build_one "$t" || failed+=("$t")
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "build.sh: FAILED: ${failed[*]}" >&2
    return 1
  fi
}

main "$@"
