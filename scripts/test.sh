#!/usr/bin/env bash
# `npm test`: every test, from a fresh clone. Installs what the tests need (scripts/setup.sh: npm packages,
# docker-registry, Chromium), builds the pinned tools or reuses them (scripts/tools/build.sh, about 22 min
# cold, instant when cached; actionlint), then runs the typecheck with the unit, differential and test-layer
# suites (`npm run test:unit`) and the e2e on a local cluster running OLM (`npm run e2e`).
# .ci/run is this with CI=true, where a missing part fails a test instead of skipping it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/tools/build.sh
bash scripts/tools/actionlint.sh --build-only >/dev/null
npm run test:unit
npm run e2e
