#!/usr/bin/env bash
# Installs Debian's chromium, the headless browser the report tests open the static HTML site in
# (driven by playwright-core with executablePath /usr/bin/chromium; no browser download of its own).
# Idempotent; prints nothing when already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  $SUDO apt-get update -qq
fi
# fonts-liberation: metric-compatible fonts, so screenshots have readable text on a bare machine.
install_chromium() { $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; }
# A stale package list can name a version the mirror no longer has: refresh once and retry.
install_chromium || { $SUDO apt-get update -qq && install_chromium; }
