/**
 * Reads a semver template exactly as opm does (sigs.k8s.io/yaml + encoding/json with unknown fields
 * disallowed): keys match case-insensitively, YAML 1.1 booleans, null means absent, unknown keys and wrong
 * types are errors. Every error names file, line and column, followed by opm's own message text.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import { GO_YAML_OPTIONS } from "../../fbc/decode.js";
import { jsonKind } from "../../fbc/gojson.js";
import type { Origin } from "../../fbc/types.js";
import { UserError } from "../../util/errors.js";
import { ARCHETYPES, type Archetype, type Compat, type SemverTemplate, type TemplateBundleEntry } from "./types.js";

const SCHEMA = "olm.semver";

class TemplateError extends UserError {}

interface Ctx {
  file: string;
  lc: LineCounter;
  struct: string;
}

function originOf(ctx: Ctx, node: Node | null | undefined): Origin {
  const pos = ctx.lc.linePos(node?.range?.[0] ?? 0);
  return { file: ctx.file, line: pos.line, column: pos.col };
}

function decodeErr(ctx: Ctx, node: Node | null | undefined, msg: string): never {
  throw new TemplateError(`error unmarshaling JSON: while decoding JSON: ${msg}`, originOf(ctx, node));
}

type Fields = Record<string, (node: Node, path: string) => void>;

/** Walks a YAML mapping as Go decodes a struct: case-insensitive keys, unknown keys rejected. */
function decodeStruct(ctx: Ctx, node: Node | null, path: string, goType: string, fields: Fields): void {
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) decodeErr(ctx, node, `json: cannot unmarshal ${jsonKind((node as Node).toJSON())} into Go struct field ${path} of type ${goType}`);
  const names = Object.keys(fields);
  for (const pair of node.items) {
    const keyNode = pair.key as Node;
    const key = String(isScalar(keyNode) ? keyNode.value : keyNode);
    const field = names.includes(key) ? key : names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (field === undefined) decodeErr(ctx, keyNode, `json: unknown field "${key}"`);
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    fields[field!]!(value, `${path}.${field}`);
  }
}

function decodeBool(ctx: Ctx, node: Node, path: string): boolean {
  if (isScalar(node) && typeof node.value === "boolean") return node.value;
  return decodeErr(ctx, node, `json: cannot unmarshal ${jsonKind(node.toJSON())} into Go struct field ${path} of type bool`);
}

function decodeString(ctx: Ctx, node: Node, path: string, goType = "string"): string {
  if (isScalar(node) && typeof node.value === "string") return node.value;
  return decodeErr(ctx, node, `json: cannot unmarshal ${jsonKind(node.toJSON())} into Go struct field ${path} of type ${goType}`);
}

/**
 * Parses template text. `compat: "veneer"` applies opm v1.26.4's rules (no schema check, `avoidSkipPatch`,
 * flag defaults minor=true/major=false overridden one by one); otherwise opm v1.73's.
 */
export function parseSemverTemplate(text: string, file: string, compat: Compat = "current"): SemverTemplate {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { ...GO_YAML_OPTIONS, lineCounter: lc, uniqueKeys: compat === "current" });
  const all = Array.isArray(docs) ? docs : [];
  const doc = all[0];
  const ctx: Ctx = { file, lc, struct: compat === "veneer" ? "semverTemplate" : "SemverTemplateData" };
  if (doc && doc.errors.length) {
    const err = doc.errors[0]!;
    const pos = lc.linePos(err.pos[0]);
    throw new TemplateError(`error converting YAML to JSON: ${err.message.split("\n")[0]}`, { file, line: pos.line, column: pos.col });
  }
  const veneer = compat === "veneer";
  let major: boolean | undefined;
  let minor: boolean | undefined;
  const tpl: SemverTemplate = {
    schema: "",
    generateMajorChannels: false,
    generateMinorChannels: false,
    defaultChannelTypePreference: "",
    avoidSkipPatch: false,
    bundles: { candidate: [], fast: [], stable: [] },
    file,
  };
  const root = (doc?.contents ?? null) as Node | null;
  const bundleList = (arch: Archetype) => (node: Node, path: string) => {
    const goType = veneer ? `${arch}Bundles` : "semver.channelBundles";
    decodeStruct(ctx, node, path, goType, {
      bundles: (list, p) => {
        if (!isSeq(list)) decodeErr(ctx, list, `json: cannot unmarshal ${jsonKind(list.toJSON())} into Go struct field ${p} of type []semver.bundleEntry`);
        for (const item of list.items as Node[]) {
          const entry: TemplateBundleEntry = { image: "", origin: originOf(ctx, item) };
          decodeStruct(ctx, item, p, "semver.bundleEntry", {
            image: (v, ip) => {
              entry.image = decodeString(ctx, v, ip);
              entry.origin = originOf(ctx, v);
            },
          });
          tpl.bundles[arch].push(entry);
        }
      },
    });
  };
  const fields: Fields = {
    schema: (n, p) => (tpl.schema = decodeString(ctx, n, p)),
    generateMajorChannels: (n, p) => (major = decodeBool(ctx, n, p)),
    generateMinorChannels: (n, p) => (minor = decodeBool(ctx, n, p)),
    candidate: bundleList("candidate"),
    fast: bundleList("fast"),
    stable: bundleList("stable"),
  };
  if (veneer) fields["avoidSkipPatch"] = (n, p) => (tpl.avoidSkipPatch = decodeBool(ctx, n, p));
  else fields["defaultChannelTypePreference"] = (n, p) => (tpl.defaultChannelTypePreference = decodeString(ctx, n, p, "semver.StreamType") as "");
  decodeStruct(ctx, root, ctx.struct, ctx.struct, fields);

  const at = originOf(ctx, root);
  if (veneer) {
    tpl.generateMajorChannels = major ?? false;
    tpl.generateMinorChannels = minor ?? true;
    return tpl;
  }
  if (tpl.schema !== SCHEMA) throw new TemplateError(`readFile: input file has unknown schema, should be "${SCHEMA}"`, at);
  tpl.generateMajorChannels = major ?? false;
  tpl.generateMinorChannels = minor ?? false;
  if (!tpl.generateMajorChannels && !tpl.generateMinorChannels) tpl.generateMinorChannels = true;
  const pref = tpl.defaultChannelTypePreference as string;
  if (pref === "") tpl.defaultChannelTypePreference = tpl.generateMinorChannels ? "minor" : "major";
  else if (pref === "minor" && !tpl.generateMinorChannels)
    throw new TemplateError(
      "schema attribute mismatch: DefaultChannelTypePreference set to 'minor' doesn't make sense if not generating minor-version channels",
      at,
    );
  else if (pref === "major" && !tpl.generateMajorChannels)
    throw new TemplateError(
      "schema attribute mismatch: DefaultChannelTypePreference set to 'major' doesn't make sense if not generating major-version channels",
      at,
    );
  else if (pref !== "minor" && pref !== "major")
    throw new TemplateError(`unknown DefaultChannelTypePreference: "${pref}"\nValid values are 'major' or 'minor'`, at);
  return tpl;
}

/** Unique bundle images of a template, candidate first, then fast, then stable. */
export function templateImages(tpl: SemverTemplate): string[] {
  const seen = new Set<string>();
  for (const a of ARCHETYPES) for (const b of tpl.bundles[a]) seen.add(b.image);
  return [...seen];
}

export { TemplateError };
