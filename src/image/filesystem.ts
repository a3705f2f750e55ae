/**
 * An image's root filesystem in memory: layers applied in order with OCI whiteouts (`.wh.<name>` deletes,
 * `.wh..wh..opq` empties a directory), hard links and in-image symlinks resolved to file contents.
 */
import type { TarEntry } from "./tar.js";

export interface FsNode {
  data: Buffer;
  dir?: boolean;
  /** Permission bits from the layer, when it gave them. */
  mode?: number;
}

export type ImageFs = Map<string, FsNode>;

const parentOf = (p: string): string => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");

function removeTree(fs: ImageFs, path: string, keepSelf: boolean): void {
  for (const k of [...fs.keys()]) if (k.startsWith(path + "/") || (!keepSelf && k === path)) fs.delete(k);
}

/** Applies one layer's entries onto `fs`. */
export function applyLayer(fs: ImageFs, entries: TarEntry[]): void {
  const links: TarEntry[] = [];
  for (const e of entries) {
    const base = e.path.slice(e.path.lastIndexOf("/") + 1);
    const dir = parentOf(e.path);
    if (base === ".wh..wh..opq") {
      removeTree(fs, dir, true);
      continue;
    }
    if (base.startsWith(".wh.")) {
      removeTree(fs, (dir ? dir + "/" : "") + base.slice(4), false);
      continue;
    }
    if (e.type === "directory") {
      const prev = fs.get(e.path);
      if (prev && !prev.dir) fs.delete(e.path);
      fs.set(e.path, { data: Buffer.alloc(0), dir: true, mode: e.mode });
    } else if (e.type === "file") {
      removeTree(fs, e.path, false);
      fs.set(e.path, { data: e.data ?? Buffer.alloc(0), mode: e.mode });
    } else if (e.type === "link" || e.type === "symlink") {
      links.push(e);
    }
  }
  for (const l of links) {
    const target = l.type === "link" ? (l.linkname ?? "").replace(/^\/+/, "") : resolveSymlink(parentOf(l.path), l.linkname ?? "");
    const node = fs.get(target);
    if (node) fs.set(l.path, node);
  }
}

function resolveSymlink(dir: string, link: string): string {
  const parts = link.startsWith("/") ? [] : dir.split("/").filter(Boolean);
  for (const seg of link.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}

/** The files under `prefix/` (relative paths), e.g. a catalog image's `/configs`. */
export function subtree(fs: ImageFs, prefix: string): ImageFs {
  const p = prefix.replace(/^\/+|\/+$/g, "");
  const out: ImageFs = new Map();
  for (const [k, v] of fs) if (p === "" || k.startsWith(p + "/")) out.set(p === "" ? k : k.slice(p.length + 1), v);
  return out;
}
