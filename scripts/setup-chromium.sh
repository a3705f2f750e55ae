#!/usr/bin/env bash
# Installs Debian's chromium, the headless browser the report tests open the static HTML site in
# (driven by playwright-core with executablePath /usr/bin/chromium; no browser download of its own).
# Idempotent; prints nothing when already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"
# fonts-liberation: metric-compatible fonts, so screenshots have readable text on a bare machine.
apt_install chromium fonts-liberation
