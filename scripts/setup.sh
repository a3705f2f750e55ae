#!/usr/bin/env bash
# Installs the project's dependencies on a fresh machine (idempotent; fast when already done):
# npm packages, Debian's docker-registry (local OCI registry) and chromium (report tests).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/setup-registry.sh
bash scripts/setup-chromium.sh
