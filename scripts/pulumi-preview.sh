#!/usr/bin/env bash
# A real `pulumi preview` of a stack of the dbaas-platform program, with the Pulumi CLI, the Node.js
# language host and the Kubernetes provider from scripts/tools/build.sh, a throwaway local file backend
# and no cluster (the provider previews against an unreachable cluster without failing).
#
#   scripts/pulumi-preview.sh [stack] [--switch <operator>=<channel>] [-- extra pulumi preview flags]
#
# --switch previews a channel switch against a deployed stack: the first preview's planned state is
# imported as if `pulumi up` had run (no cluster needed), `pulumi config set --path
# platform:operators.<operator>.channel <channel>` is applied, and the second preview shows the diff.
#
# Runs from a temporary project directory (symlinks to the program, a copy of Pulumi.yaml and of the
# stack file) so that `pulumi stack init` writes its encryption salt there, never into the repo.
# PREVIEW_CATALOG_IMAGE=<repo@sha256:...> replaces the catalog build with that image (build "none"), for
# stacks whose builder is not available on this machine.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
stack=dev
case "${1:-}" in -* | "") ;; *) stack="$1"; shift ;; esac
switch=""
if [ "${1:-}" = "--switch" ]; then switch="$2"; shift 2; fi
[ "${1:-}" = "--" ] && shift
. "$repo/scripts/tools/env.sh"
command -v pulumi >/dev/null || { echo "pulumi-preview: pulumi not built (scripts/tools/build.sh)" >&2; exit 2; }
command -v pulumi-language-nodejs >/dev/null || { echo "pulumi-preview: pulumi-language-nodejs not built" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/dbaas-pulumi-preview.XXXXXX")"
trap '[ -n "${PREVIEW_KEEP:-}" ] || rm -rf "$work"' EXIT
project="$work/project"
mkdir -p "$project" "$work/state"
for f in index.ts package.json tsconfig.json node_modules; do ln -s "$repo/$f" "$project/$f"; done
cp "$repo/Pulumi.yaml" "$project/"
cp "$repo/Pulumi.$stack.yaml" "$project/"
if [ -n "${PREVIEW_CATALOG_IMAGE:-}" ]; then
  node --import tsx -e '
    const { readFileSync, writeFileSync } = require("node:fs");
    const { parseDocument } = require("yaml");
    const [file, image] = process.argv.slice(1);
    const doc = parseDocument(readFileSync(file, "utf8"));
    doc.setIn(["config", "platform:catalog", "build"], "none");
    doc.setIn(["config", "platform:catalog", "image"], image);
    writeFileSync(file, doc.toString());
  ' "$project/Pulumi.$stack.yaml" "$PREVIEW_CATALOG_IMAGE"
fi

export PULUMI_BACKEND_URL="file://$work/state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-dbaas-preview}"
# pulumi-language-nodejs is built from sdk v3.68.0, which takes node arguments as a command-line flag and
# ignores Pulumi.yaml's runtime.options.nodeargs as sent by the current CLI: pass tsx through NODE_OPTIONS.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--import tsx"
# No cluster: a kubeconfig that points nowhere makes the provider preview offline.
if [ -z "${KUBECONFIG:-}" ]; then
  cat >"$work/kubeconfig" <<'EOF'
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
EOF
  export KUBECONFIG="$work/kubeconfig"
fi

cd "$project"
pulumi stack init "$stack" --non-interactive >/dev/null
if [ -n "$switch" ]; then
  pulumi preview --stack "$stack" --non-interactive --json >"$work/planned.json"
  pulumi stack export --stack "$stack" >"$work/empty.json"
  # The planned resources as a deployment: custom resources get an id and their inputs as outputs; the
  # default provider (not a step of the preview) is added with the id its references will use.
  cat >"$work/deployed.mjs" <<'JS'
import { readFileSync } from "node:fs";
const [planned, empty] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, "utf8")));
const UNKNOWN_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const PROVIDER_ID = "00000000-0000-4000-8000-000000000000";
const providers = new Map();
const resources = planned.steps.map(({ newState: s }) => {
  const { stackTrace, sourcePosition, ...r } = s;
  if (r.provider) {
    const urn = r.provider.split(`::${UNKNOWN_ID}`)[0];
    const version = urn.split("::default_")[1]?.replaceAll("_", ".");
    providers.set(urn, { urn, custom: true, id: PROVIDER_ID, type: urn.split("::")[2], inputs: { version }, outputs: { version } });
    r.provider = `${urn}::${PROVIDER_ID}`;
  }
  if (r.custom) {
    const m = r.inputs.metadata ?? {};
    r.id = m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? r.urn.split("::").pop());
  }
  // pulumi-kubernetes keeps the inputs it applied under `__inputs` in its state (its "checkpoint object").
  return { ...r, outputs: r.custom ? { ...r.inputs, __inputs: r.inputs } : {} };
});
const deployment = { ...empty.deployment, resources: [resources[0], ...providers.values(), ...resources.slice(1)] };
process.stdout.write(JSON.stringify({ ...empty, deployment }));
JS
  node "$work/deployed.mjs" "$work/planned.json" "$work/empty.json" >"$work/deployed.json"
  pulumi stack import --stack "$stack" --file "$work/deployed.json" >/dev/null
  pulumi config set --stack "$stack" --path "platform:operators.${switch%%=*}.channel" "${switch#*=}"
fi
pulumi preview --stack "$stack" --non-interactive "${@:---diff}"
