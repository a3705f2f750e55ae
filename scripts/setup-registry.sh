#!/usr/bin/env bash
# Installs the local OCI registry used by the registry tests, fixtures and `npm run registry:up`:
# Debian's docker-registry (CNCF distribution v2). Idempotent; prints nothing when already installed.
# The package's own system service is not used: scripts/registry.sh runs the binary with our config.
set -euo pipefail
if command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache policy docker-registry 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
# The package starts its own service where an init system runs; ours is separate (own port, own storage).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  $SUDO systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
