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
# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"
apt_install "${missing[@]}"
# Where an init system runs, the package starts its own service on :5000; ours is separate.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  as_root systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
