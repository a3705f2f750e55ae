#!/usr/bin/env bash
# Installs what the local OCI registry needs (scripts/registry.sh, the registry tests, fixtures:push):
# Debian's docker-registry (CNCF distribution v2), and openssl (the token-auth test makes a certificate).
# Idempotent; prints nothing when everything is there. The package's own system service is not used:
# scripts/registry.sh runs the binary with its own config, port and storage.
set -euo pipefail
missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache policy docker-registry 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Where an init system runs, the package starts its own service on :5000; ours is separate.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  $SUDO systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
