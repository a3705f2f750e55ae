import { Composer, LineCounter, Parser, type Document, type ParseOptions, type DocumentOptions, type SchemaOptions } from "yaml";
import type { Origin } from "./types.js";
import { UserError } from "../util/errors.js";

/** One document of a YAML or JSON stream, with the place it starts at. */
export interface SourceDocument {
  value: unknown;
  origin: Origin;
}

/**
 * YAML options that read values as go-yaml v2 (sigs.k8s.io/yaml) does: YAML 1.1 booleans
 * (yes/no/on/off), and timestamps kept as strings.
 */
export const GO_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  uniqueKeys: true,
  merge: true,
  customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:timestamp"),
};

/**
 * Sorts object keys at every level, as the Go decoder does when it turns a document into JSON (maps are
 * marshalled with sorted keys): opm's output of opaque values (property values, unknown blobs) is sorted.
 */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortKeysDeep(o[k]);
  return out;
}

/** Position of byte `offset` in `text`, 1-based, for error messages. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Decodes a file the way the Kubernetes YAMLOrJSONDecoder does: a stream of concatenated JSON values when
 * the first non-blank byte is `{`, else a YAML stream of `---`-separated documents (empty ones skipped).
 * Throws a UserError naming file, line and column on the first syntax error.
 */
export function decodeDocuments(text: string, file: string): SourceDocument[] {
  const first = text.search(/\S/);
  if (first === -1) return [];
  return text[first] === "{" ? decodeJsonStream(text, file, first) : decodeYamlStream(text, file);
}

function decodeYamlStream(text: string, file: string): SourceDocument[] {
  const lc = new LineCounter();
  const parser = new Parser(lc.addNewLine);
  const composer = new Composer(GO_YAML_OPTIONS);
  const out: SourceDocument[] = [];
  for (const doc of composer.compose(parser.parse(text), true) as Iterable<Document.Parsed>) {
    const err = doc.errors[0];
    if (err) {
      const pos = lc.linePos(err.pos[0]);
      throw new UserError(`error converting YAML to JSON: ${err.message.split("\n")[0]}`, {
        file,
        line: pos.line,
        column: pos.col,
      });
    }
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const pos = lc.linePos(start);
    const origin = { file, line: pos.line, column: pos.col };
    if (doc.contents === null) {
      // A document of only comments decodes to null in Go, which has no schema: opm rejects it.
      if (doc.commentBefore || doc.comment) {
        throw new UserError("object '' is missing root schema field", origin, "schema");
      }
      continue;
    }
    out.push({ value: sortKeysDeep(doc.toJS({ maxAliasCount: -1 })), origin });
  }
  return out;
}

function decodeJsonStream(text: string, file: string, start: number): SourceDocument[] {
  const out: SourceDocument[] = [];
  let i = start;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const end = jsonValueEnd(text, i);
    const chunk = text.slice(i, end);
    const pos = positionAt(text, i);
    try {
      out.push({ value: sortKeysDeep(JSON.parse(chunk)), origin: { file, ...pos } });
    } catch (e) {
      const m = /position (\d+)/.exec(String(e));
      const at = positionAt(text, i + (m ? Number(m[1]) : 0));
      throw new UserError(`invalid JSON: ${(e as Error).message}`, { file, ...at });
    }
    i = end;
  }
  return out;
}

/** End offset of the JSON value starting at `i` (objects and arrays balanced, strings skipped). */
function jsonValueEnd(text: string, i: number): number {
  const open = text[i];
  if (open !== "{" && open !== "[") {
    const m = /^[^\s{}[\]]+/.exec(text.slice(i, i + 4096));
    return i + (m ? m[0].length : 1);
  }
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (inString) {
      if (c === 92 /* \ */) j++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}
