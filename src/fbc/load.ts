import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { decodeDocuments } from "./decode.js";
import { IndexIgnore, INDEX_IGNORE } from "./indexignore.js";
import { parseBundle, parseChannel, parseDeprecation, parsePackage, toMeta } from "./schema.js";
import { emptyConfig, SCHEMA_BUNDLE, SCHEMA_CHANNEL, SCHEMA_DEPRECATIONS, SCHEMA_PACKAGE } from "./types.js";
import type { DeclarativeConfig } from "./types.js";
import { UserError } from "../util/errors.js";

/** Every file below `root` in lexical walk order, as slash-separated paths relative to `root`. */
function walkFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.isFile() || e.isSymbolicLink()) out.push(relative(root, full).split(sep).join("/"));
    }
  };
  visit(root);
  return out;
}

/** Builds the `.indexignore` matcher of a catalog tree. */
export function indexIgnoreFor(root: string, files = walkFiles(root)): IndexIgnore {
  const ig = new IndexIgnore();
  for (const f of files) {
    const parts = f.split("/");
    if (parts[parts.length - 1] !== INDEX_IGNORE) continue;
    ig.add(parts.slice(0, -1).join("/"), readFileSync(join(root, f), "utf8"));
  }
  return ig;
}

/** The files opm would read from a catalog directory (everything not excluded by `.indexignore`). */
export function catalogFiles(root: string): string[] {
  const files = walkFiles(root);
  const ig = indexIgnoreFor(root, files);
  return files.filter((f) => !ig.ignores(f));
}

/** The blob as opm quotes it: compact JSON with sorted keys (YAML → JSON) and a trailing newline. */
function blobText(blob: Record<string, unknown>, text: string): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
      : Array.isArray(v)
        ? v.map(sorted)
        : v;
  return text.trimStart().startsWith("{") ? JSON.stringify(blob) : JSON.stringify(sorted(blob)) + "\n";
}

/** Adds the blobs of one file's text to `cfg`; `file` is the name used in errors. */
export function addFileToConfig(cfg: DeclarativeConfig, text: string, file: string): void {
  for (const doc of decodeDocuments(text, file)) {
    const meta = toMeta(doc.value, doc.origin);
    switch (meta.schema) {
      case "":
        throw new UserError(`object '${blobText(meta.blob, text)}' is missing root schema field`, doc.origin, "schema");
      case SCHEMA_PACKAGE:
        cfg.packages.push(parsePackage(meta));
        break;
      case SCHEMA_CHANNEL:
        cfg.channels.push(parseChannel(meta));
        break;
      case SCHEMA_BUNDLE:
        cfg.bundles.push(parseBundle(meta));
        break;
      case SCHEMA_DEPRECATIONS:
        cfg.deprecations.push(parseDeprecation(meta));
        break;
      default:
        cfg.others.push({ schema: meta.schema, package: meta.package, name: meta.name, blob: meta.blob, origin: doc.origin });
    }
  }
}

/** Parses FBC text (YAML or JSON stream) into a catalog; used for single files and stdin. */
export function loadFbcText(text: string, file: string): DeclarativeConfig {
  const cfg = emptyConfig();
  addFileToConfig(cfg, text, file);
  return cfg;
}

/**
 * Loads a File-Based Catalog the way opm's LoadFS does: a directory is walked and every file not excluded
 * by `.indexignore` is parsed, whatever its extension; a single file is parsed on its own. The first error
 * stops the load and names file, line and column.
 */
export function loadFbc(path: string): DeclarativeConfig {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new UserError(`stat ${path}: no such file or directory`);
  }
  if (!st.isDirectory()) return loadFbcText(readFileSync(path, "utf8"), path);
  const cfg = emptyConfig();
  for (const f of catalogFiles(path)) {
    const full = join(path, f);
    addFileToConfig(cfg, readFileSync(full, "utf8"), full);
  }
  return cfg;
}
