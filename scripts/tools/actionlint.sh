#!/usr/bin/env bash
# Build actionlint (the GitHub Actions workflow linter) from its Go module, then run it.
#
#   scripts/tools/actionlint.sh --build-only     # build (or reuse) the binary, print its path
#   scripts/tools/actionlint.sh [args...]        # build if needed, then lint (default: .github/workflows/*.yml)
#
# Binary: ${DBAAS_TOOLS_DIR:-$HOME/.cache/dbaas-catalog/tools}/actionlint-<version>/bin/actionlint
# (installed into a temp dir, then renamed, so an interrupted build never leaves half a tool behind).
# tests/unit/workflows.test.ts runs this binary on the workflows when it is present.
set -euo pipefail

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
CACHE="${DBAAS_TOOLS_DIR:-$HOME/.cache/dbaas-catalog/tools}"
DEST="$CACHE/actionlint-$ACTIONLINT_VERSION"
BIN="$DEST/bin/actionlint"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

die() { echo "actionlint.sh: $*" >&2; exit 1; }

build() {
  [ -x "$BIN" ] && [ -f "$DEST/.complete" ] && return 0
  command -v go >/dev/null || die "go not found on PATH"
  # the version must exist on the module proxy before we try to build it
  go list -m -versions github.com/rhysd/actionlint | tr ' ' '\n' | grep -qx "$ACTIONLINT_VERSION" \
    || die "github.com/rhysd/actionlint $ACTIONLINT_VERSION is not served by the Go module proxy"
  mkdir -p "$CACHE"
  local tmp
  tmp="$(mktemp -d "$CACHE/.actionlint-$ACTIONLINT_VERSION.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  CGO_ENABLED=0 GOWORK=off GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOBIN="$tmp/bin" \
    go install -trimpath "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  "$tmp/bin/actionlint" -version >/dev/null
  touch "$tmp/.complete"
  rm -rf "$DEST"
  mv "$tmp" "$DEST"
  trap - EXIT
}

build
if [ "${1:-}" = "--build-only" ]; then
  echo "$BIN"
  exit 0
fi
cd "$REPO"
if [ "$#" -eq 0 ]; then
  exec "$BIN" -no-color .github/workflows/*.yml
fi
exec "$BIN" "$@"
