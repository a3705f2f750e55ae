/**
 * The contents of a bundle as opm reads them, whatever they came from (a directory or an image's
 * layers): the top-level files of `manifests/` and `metadata/`, each sorted by name as fs.ReadDir does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../util/errors.js";
import { compareBytes } from "./gojson-marshal.js";

export interface BundleFile {
  name: string;
  data: Buffer;
  /** Directories are listed (opm tries and fails to decode them in metadata/), never read. */
  dir?: boolean;
}

export interface BundleFiles {
  manifests: BundleFile[];
  metadata: BundleFile[];
}

/** Sorts files by name bytewise, as Go's fs.ReadDir returns them. */
export function sortFiles(files: BundleFile[]): BundleFile[] {
  return [...files].sort((a, b) => compareBytes(a.name, b.name));
}

/** True when `dir` holds both `manifests/` and `metadata/` folders (opm's isBundle). */
export function isBundleDir(dir: string): boolean {
  const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
  return isDir(dir) && isDir(join(dir, "manifests")) && isDir(join(dir, "metadata"));
}

function readLevel(dir: string): BundleFile[] {
  return sortFiles(
    readdirSync(dir, { withFileTypes: true }).map((e) => {
      const p = join(dir, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isDirectory() === true);
      return isDir ? { name: e.name, data: Buffer.alloc(0), dir: true } : { name: e.name, data: readFileSync(p) };
    }),
  );
}

/** Reads a bundle directory (`manifests/` + `metadata/`). */
export function readBundleDir(dir: string): BundleFiles {
  if (!isBundleDir(dir)) throw new UserError(`${dir}: not a bundle directory (it needs manifests/ and metadata/ folders)`);
  return { manifests: readLevel(join(dir, "manifests")), metadata: readLevel(join(dir, "metadata")) };
}

/** Picks the bundle files out of an unpacked image's file tree (paths relative to the image root). */
export function bundleFilesFromTree(tree: Map<string, { data: Buffer; dir?: boolean }>): BundleFiles {
  for (const d of ["manifests", "metadata"]) {
    if (!tree.get(d)?.dir && ![...tree.keys()].some((k) => k.startsWith(d + "/"))) throw new UserError(`open ${d}: no such file or directory (not a bundle image)`);
  }
  const level = (prefix: string): BundleFile[] => {
    const out: BundleFile[] = [];
    for (const [path, f] of tree) {
      if (!path.startsWith(prefix)) continue;
      const name = path.slice(prefix.length);
      if (name === "" || name.includes("/")) continue;
      out.push(f.dir ? { name, data: Buffer.alloc(0), dir: true } : { name, data: f.data });
    }
    return sortFiles(out);
  };
  return { manifests: level("manifests/"), metadata: level("metadata/") };
}
