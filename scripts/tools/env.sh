# shellcheck shell=sh
# Source this file (bash/zsh/sh): puts the tools built by scripts/tools/build.sh first on
# PATH and sets the Pulumi variables for an offline machine. Prints nothing.
#   . scripts/tools/env.sh
DBAAS_TOOLS_BIN="${DBAAS_TOOLS_DIR:-$HOME/.cache/dbaas-catalog/tools}/bin"
case ":$PATH:" in
  *":$DBAAS_TOOLS_BIN:"*) ;;
  *) PATH="$DBAAS_TOOLS_BIN:$PATH" ;;
esac
export PATH DBAAS_TOOLS_BIN
# no update check, and fail fast instead of trying to download plugins
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
