# Shared by scripts/cluster/{up,down}.sh (sourced, not run). Paths, tool checks, process helpers.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../tools/env.sh
source "$REPO/scripts/tools/env.sh"

# Everything the cluster scripts create lives here (kwok workdir, kubeconfig, logs, pids, served catalog).
STATE="${DBAAS_CLUSTER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dbaas-catalog/cluster}"
CLUSTER_NAME="${DBAAS_CLUSTER_NAME:-dbaas}"
CATALOG_PORT="${DBAAS_CATALOG_PORT:-50051}"
CATALOG_ADDRESS="127.0.0.1:$CATALOG_PORT"
KUBECONFIG_FILE="$STATE/kubeconfig"
export KWOK_WORKDIR="$STATE/kwok"
OLM_NAMESPACE=olm

# Binaries the cluster needs, all built by scripts/tools/build.sh (tool name in brackets).
REQUIRED_BINS=(etcd:etcd kube-apiserver:kube kube-controller-manager:kube kube-scheduler:kube kubectl:kube
  kwok:kwok kwokctl:kwok olm:olm catalog:olm opm:opm)

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

# Prints the build.sh tool names whose binaries are missing (nothing when all are there).
missing_tools() {
  local entry bin tool out=()
  for entry in "${REQUIRED_BINS[@]}"; do
    bin="${entry%%:*}"; tool="${entry#*:}"
    [ -x "$DBAAS_TOOLS_BIN/$bin" ] || out+=("$tool")
  done
  [ ${#out[@]} -eq 0 ] || printf '%s\n' "${out[@]}" | sort -u | tr '\n' ' '
}

kc() { kubectl --kubeconfig "$KUBECONFIG_FILE" "$@"; }

# The pid in $STATE/<name>.pid if that process is alive and its command line contains <pattern>.
running_pid() { # name pattern
  local f="$STATE/$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" || return 1
  echo "$pid"
}

# Starts a detached background process, logging to $STATE/<name>.log, pid in $STATE/<name>.pid.
start_bg() { # name cmd...
  local name="$1"; shift
  : >"$STATE/$name.log"
  setsid "$@" >>"$STATE/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$name.pid"
}

# Stops the process of $STATE/<name>.pid (TERM, then KILL after 5 s) if it is ours and alive.
stop_bg() { # name pattern
  local pid
  if pid="$(running_pid "$1" "$2")"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$1.pid"
}

# True when something accepts TCP connections on host:port.
port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

# Waits up to <seconds> for <command...> to succeed.
wait_for() { # seconds description cmd...
  local secs="$1" what="$2"; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "timed out after ${secs}s waiting for $what"; return 1; }
    sleep 1
  done
}
