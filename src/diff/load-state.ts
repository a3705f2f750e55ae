/**
 * Loads one side of a catalog diff: a catalog directory on disk, or the catalog as committed at a git ref
 * (`<ref>` reads `catalog/`, `<ref>:<path>` reads that folder), with `.indexignore` applied as opm does.
 */
import { existsSync, statSync } from "node:fs";
import { posix } from "node:path";
import { addFileToConfig, loadFbc } from "../fbc/load.js";
import { IndexIgnore, INDEX_IGNORE } from "../fbc/indexignore.js";
import { emptyConfig, type DeclarativeConfig } from "../fbc/types.js";
import { assertRef, fileAt, filesAt } from "../git/git.js";
import { UserError } from "../util/errors.js";

export interface CatalogState {
  /** What the user named: a directory, or `ref:path`. */
  label: string;
  cfg: DeclarativeConfig;
}

/** Reads the catalog folder `dir` (repo-relative) as committed at `ref`. */
export function loadCatalogAtRef(repo: string, ref: string, dir: string): DeclarativeConfig {
  assertRef(repo, ref);
  const root = posix.normalize(dir).replace(/\/$/, "");
  const files = filesAt(repo, ref, root).map((f) => posix.relative(root, f));
  if (!files.length) throw new UserError(`${ref}:${root}: no such directory at that ref`);
  const ig = new IndexIgnore();
  for (const f of files) {
    if (posix.basename(f) === INDEX_IGNORE) ig.add(posix.dirname(f) === "." ? "" : posix.dirname(f), fileAt(repo, ref, `${root}/${f}`) ?? "");
  }
  const cfg = emptyConfig();
  for (const f of files.sort()) {
    if (ig.ignores(f)) continue;
    addFileToConfig(cfg, fileAt(repo, ref, `${root}/${f}`) ?? "", `${ref}:${root}/${f}`);
  }
  return cfg;
}

/** A directory when `spec` names one, else a git ref of `repo` (optionally `ref:path`, default path `catalog`). */
export function loadCatalogState(spec: string, repo = ".", defaultPath = "catalog"): CatalogState {
  if (existsSync(spec) && statSync(spec).isDirectory()) return { label: spec, cfg: loadFbc(spec) };
  const colon = spec.indexOf(":");
  const ref = colon === -1 ? spec : spec.slice(0, colon);
  const path = colon === -1 ? defaultPath : spec.slice(colon + 1) || defaultPath;
  return { label: `${ref}:${path}`, cfg: loadCatalogAtRef(repo, ref, path) };
}
