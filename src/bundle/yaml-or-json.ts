/**
 * Decoding one bundle file as Kubernetes' yaml.NewYAMLOrJSONDecoder does (opm reads every manifest and
 * metadata file with it): JSON when the text starts with `{`, else the first non-empty YAML document,
 * read with go-yaml v2 rules (YAML 1.1 booleans and octals, no sexagesimal numbers, timestamps as strings,
 * duplicate keys allowed, last wins).
 */
import { parse as parseYaml, type DocumentOptions, type ParseOptions, type SchemaOptions } from "yaml";
import { GO_YAML_OPTIONS } from "../fbc/decode.js";
import { parseRawJson, type RawNode } from "./raw-json.js";
import { goMarshal } from "./gojson-marshal.js";

const V2_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  ...GO_YAML_OPTIONS,
  uniqueKeys: false,
  customTags: (tags) =>
    tags.filter((t) => typeof t === "string" || (t.tag !== "tag:yaml.org,2002:timestamp" && t.format !== "TIME")),
};

/** The first document of a YAML stream as k8s' YAMLReader splits it: at `---` lines, skipping empty chunks. */
export function firstYamlDocument(text: string): string {
  let chunk: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith("---")) {
      const rest = line.slice(3).trim();
      if (rest === "" || rest.startsWith("#")) {
        if (chunk.length) break;
        continue;
      }
    }
    chunk.push(line);
  }
  return chunk.join("");
}

/** A decoded file: its value, and the raw JSON text of any sub-value (for json.RawMessage fields). */
export interface DecodedFile {
  value: unknown;
  /** True when the file was read as JSON (raw texts are then source spans). */
  json: boolean;
  /** Raw text of the value at `node` (a RawNode when JSON, else Go's Marshal of the YAML value). */
  raw(node: RawNode | undefined, value: unknown): string;
  /** The RawNode tree when the file is JSON. */
  tree?: RawNode;
}

/** Decodes a file's text; throws with the parser's message when it is not valid YAML/JSON. */
export function decodeYamlOrJson(text: string): DecodedFile {
  if (text.trimStart().startsWith("{")) {
    const value = JSON.parse(text) as unknown;
    let tree: RawNode | undefined;
    return {
      value,
      json: true,
      get tree() {
        return (tree ??= parseRawJson(text.trim()));
      },
      raw: (node) => (node ? node.raw : "null"),
    };
  }
  const doc = firstYamlDocument(text);
  const value = parseYaml(doc, V2_OPTIONS) as unknown;
  return { value: value ?? null, json: false, raw: (_node, v) => goMarshal(v) };
}
