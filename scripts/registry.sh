#!/usr/bin/env bash
# A local OCI registry (Debian's docker-registry, CNCF distribution v2) on 127.0.0.1, for fixture bundle
# images, catalog images and the registry tests. No docker daemon involved.
#
#   scripts/registry.sh up       start (idempotent); prints the address, e.g. 127.0.0.1:5000
#   scripts/registry.sh down     stop it (storage is kept)
#   scripts/registry.sh status   "running <address> ..." (exit 0) or "stopped" (exit 1)
#
# Environment:
#   DBAAS_REGISTRY_PORT      port on 127.0.0.1 (default 5000)
#   DBAAS_REGISTRY_DIR       folder owned by this script: config, pid, log, data/ (default
#                            ${XDG_CACHE_HOME:-~/.cache}/dbaas-catalog/registry)
#   DBAAS_REGISTRY_HTPASSWD  an htpasswd file (bcrypt): the registry then requires basic auth
#   DBAAS_REGISTRY_OWNER_PID when set, the registry is stopped (and DBAAS_REGISTRY_DIR removed) as soon
#                            as that process is gone, even if it was killed: test runs never leak one
#   DBAAS_REGISTRY_TOKEN_REALM, _SERVICE, _ISSUER, _ROOTCERT
#                            Bearer token auth against that token service (JWTs signed by a key whose
#                            certificate is in _ROOTCERT), as Docker Hub and quay.io do
# Install the registry with scripts/setup-registry.sh.
set -euo pipefail

PORT="${DBAAS_REGISTRY_PORT:-5000}"
DIR="${DBAAS_REGISTRY_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dbaas-catalog/registry}"
HTPASSWD="${DBAAS_REGISTRY_HTPASSWD:-}"
TOKEN_REALM="${DBAAS_REGISTRY_TOKEN_REALM:-}"
PIDFILE="$DIR/registry.pid"
ADDRFILE="$DIR/address"
LOG="$DIR/registry.log"
CONFIG="$DIR/config.yml"

# The pid of our running registry, or nothing (checks the process really is docker-registry).
running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q docker-registry || return 1
  echo "$pid"
}

# True when GET /v2/ on host:port answers 200 or 401 (bash /dev/tcp: no curl needed).
answers() {
  local host="${1%:*}" port="${1##*:}"
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET /v2/ HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" >&3
    IFS= read -r -t 2 line <&3 || exit 1
    exec 3>&-
    [[ "$line" == *" 200 "* || "$line" == *" 401 "* ]]
  ) 2>/dev/null
}

write_config() {
  mkdir -p "$DIR/data"
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: warn"
    echo "  accesslog:"
    echo "    disabled: true"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $DIR/data"
    echo "  delete:"
    echo "    enabled: true"
    echo "  maintenance:"
    echo "    uploadpurging:"
    echo "      enabled: false"
    echo "http:"
    echo "  addr: 127.0.0.1:$PORT"
    echo "  secret: dbaas-catalog-local-registry"
    if [ -n "$HTPASSWD" ]; then
      echo "auth:"
      echo "  htpasswd:"
      echo "    realm: dbaas-catalog"
      echo "    path: $HTPASSWD"
    elif [ -n "$TOKEN_REALM" ]; then
      echo "auth:"
      echo "  token:"
      echo "    realm: $TOKEN_REALM"
      echo "    service: ${DBAAS_REGISTRY_TOKEN_SERVICE:?}"
      echo "    issuer: ${DBAAS_REGISTRY_TOKEN_ISSUER:?}"
      echo "    rootcertbundle: ${DBAAS_REGISTRY_TOKEN_ROOTCERT:?}"
    fi
  } >"$CONFIG"
}

up() {
  local pid
  if pid="$(running_pid)"; then
    local addr
    addr="$(cat "$ADDRFILE")"
    if answers "$addr"; then echo "$addr"; return 0; fi
  fi
  local bin
  bin="$(command -v docker-registry || true)"
  if [ -z "$bin" ]; then
    echo "registry.sh: docker-registry is not installed (run scripts/setup-registry.sh)" >&2
    return 1
  fi
  write_config
  : >"$LOG"
  # distribution reads REGISTRY_* variables as configuration overrides (REGISTRY_AUTH_FILE, meant for
  # clients, would break it): start it without them.
  local -a unset_args=()
  local v
  for v in $(compgen -e); do
    case "$v" in REGISTRY_*) unset_args+=(-u "$v") ;; esac
  done
  setsid env "${unset_args[@]}" "$bin" serve "$CONFIG" >>"$LOG" 2>&1 </dev/null &
  local started=$!
  echo "$started" >"$PIDFILE"
  if [ -n "${DBAAS_REGISTRY_OWNER_PID:-}" ]; then
    # shellcheck disable=SC2016
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
      if kill -0 "$2" 2>/dev/null; then kill "$2"; sleep 1; kill -9 "$2" 2>/dev/null; rm -rf "$3"; fi' \
      registry-watchdog "$DBAAS_REGISTRY_OWNER_PID" "$started" "$DIR" >/dev/null 2>&1 </dev/null &
  fi
  echo "127.0.0.1:$PORT" >"$ADDRFILE"
  for _ in $(seq 1 100); do
    if answers "127.0.0.1:$PORT"; then echo "127.0.0.1:$PORT"; return 0; fi
    if ! running_pid >/dev/null; then break; fi
    sleep 0.1
  done
  echo "registry.sh: docker-registry did not come up on 127.0.0.1:$PORT; its log ($LOG):" >&2
  tail -n 20 "$LOG" >&2 || true
  down >/dev/null 2>&1 || true
  return 1
}

down() {
  local pid
  if pid="$(running_pid)"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE" "$ADDRFILE"
}

status() {
  local pid addr
  if pid="$(running_pid)" && addr="$(cat "$ADDRFILE")" && answers "$addr"; then
    echo "running $addr (pid $pid, storage $DIR/data)"
    return 0
  fi
  echo "stopped"
  return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *)
    echo "usage: scripts/registry.sh up|down|status" >&2
    exit 2
    ;;
esac
