/**
 * A catalog tree split by operator folder (`catalog/<operator>/`): each folder is loaded and converted on
 * its own, so one broken operator is reported by name instead of hiding the others. Files are chosen as
 * opm chooses them (every `.indexignore` of the tree applies).
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { addFileToConfig, catalogFiles } from "../fbc/load.js";
import { convertToModel, type Model } from "../fbc/model.js";
import { emptyConfig, type DeclarativeConfig } from "../fbc/types.js";
import { filesAt, fileAt } from "../git/git.js";
import { errorMessage } from "../util/errors.js";

export interface OperatorCatalog {
  operator: string;
  dir: string;
  cfg?: DeclarativeConfig;
  model?: Model;
  /** Why the folder could not be loaded or converted (opm's fail-fast message, with file and line). */
  error?: string;
}

export interface LoadedCatalog {
  root: string;
  operators: Map<string, OperatorCatalog>;
}

/** Operator folders of a catalog root (not hidden), sorted by name. */
export function operatorDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

/** Loads every operator folder (or only `only`) of a catalog root, converting each to opm's model. */
export function loadCatalog(root: string, only?: string[]): LoadedCatalog {
  const wanted = new Set(only ?? operatorDirs(root));
  const operators = new Map<string, OperatorCatalog>();
  for (const op of operatorDirs(root)) if (wanted.has(op)) operators.set(op, { operator: op, dir: join(root, op), cfg: emptyConfig() });
  let files: string[] = [];
  try {
    files = catalogFiles(root);
  } catch (e) {
    for (const o of operators.values()) o.error = errorMessage(e);
  }
  for (const f of files) {
    const o = operators.get(f.split("/")[0]!);
    if (!o?.cfg || o.error) continue;
    try {
      addFileToConfig(o.cfg, readFileSync(join(root, f), "utf8"), join(root, f));
    } catch (e) {
      o.error = errorMessage(e);
    }
  }
  for (const o of operators.values()) {
    if (o.error) {
      delete o.cfg;
      continue;
    }
    try {
      o.model = convertToModel(o.cfg!);
    } catch (e) {
      o.error = errorMessage(e);
    }
  }
  return { root, operators };
}

/** Every package model of a loaded catalog in one map (operators that failed to load are left out). */
export function mergedModel(c: LoadedCatalog): Model {
  const m: Model = new Map();
  for (const o of c.operators.values()) for (const [k, v] of o.model ?? []) m.set(k, v);
  return m;
}

/**
 * Loads the catalog as it is at a git ref: the tree is written to a temp folder and read with the same
 * loader, so `.indexignore` rules apply exactly as on the work tree. Returns undefined when the ref has no
 * catalog folder.
 */
export function loadCatalogAt(repo: string, ref: string, catalogPath = "catalog"): LoadedCatalog | undefined {
  const paths = filesAt(repo, ref, catalogPath);
  if (paths.length === 0) return undefined;
  const tmp = mkdtempSync(join(tmpdir(), "dbaas-catalog-base-"));
  try {
    for (const p of paths) {
      const dest = join(tmp, p);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, fileAt(repo, ref, p) ?? "");
    }
    const loaded = loadCatalog(join(tmp, catalogPath));
    for (const o of loaded.operators.values()) {
      o.dir = join(repo, catalogPath, o.operator);
      if (o.error) o.error = o.error.split(tmp + "/").join(`${ref}:`);
    }
    return { ...loaded, root: `${ref}:${catalogPath}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
