/**
 * Layer archives: a reproducible tar writer (entries sorted, mtime 0, uid/gid 0, fixed modes, no user
 * names; gzip without timestamp or OS byte) so the same files always give the same layer digest, and a
 * reader for the layers of images built by any tool (pax and GNU headers via tar-stream).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import tar from "tar-stream";
import { compareBytes } from "../bundle/gojson-marshal.js";

export interface TarEntry {
  /** Path inside the image, without a leading `/` or `./`; directories without a trailing `/`. */
  path: string;
  type: "file" | "directory" | "symlink" | "link" | "other";
  data?: Buffer;
  linkname?: string;
  /** Permission bits; files default to 0644 and directories to 0755 (an executable needs 0755). */
  mode?: number;
}

/** Builds a tar of files and directories (parents are added), byte-for-byte reproducible. */
export async function packTar(entries: TarEntry[]): Promise<Buffer> {
  const all = new Map<string, TarEntry>();
  for (const e of entries) {
    const parts = e.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!all.has(dir)) all.set(dir, { path: dir, type: "directory" });
    }
    all.set(e.path, e);
  }
  const sorted = [...all.values()].sort((a, b) => compareBytes(a.path, b.path));
  const pack = tar.pack();
  const out: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) out.push(chunk as Buffer);
  })();
  for (const e of sorted) {
    const common = { mtime: new Date(0), uid: 0, gid: 0, uname: "", gname: "" };
    if (e.type === "directory") pack.entry({ ...common, name: e.path + "/", type: "directory", mode: e.mode ?? 0o755 });
    else if (e.type === "symlink") pack.entry({ ...common, name: e.path, type: "symlink", linkname: e.linkname ?? "", mode: 0o777 });
    else if (e.type === "file") pack.entry({ ...common, name: e.path, type: "file", mode: e.mode ?? 0o644 }, e.data ?? Buffer.alloc(0));
    else throw new Error(`cannot archive ${e.path}: only files, directories and symlinks`);
  }
  pack.finalize();
  await done;
  return Buffer.concat(out);
}

/** Gzip with a fixed header (mtime 0, OS "unknown"), so compressing the same tar gives the same bytes. */
export function gzipReproducible(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: 9 });
  gz.writeUInt32LE(0, 4);
  gz[9] = 0xff;
  return gz;
}

function cleanPath(p: string): string {
  return p.replace(/^(\.\/|\/)+/, "").replace(/\/+$/, "");
}

/** Reads a tar archive into entries (file contents in memory: bundle and catalog layers are small). */
export async function unpackTar(data: Buffer): Promise<TarEntry[]> {
  const ex = tar.extract();
  const entries: TarEntry[] = [];
  const reading = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const h = entry.header;
      const type = h.type === "file" || h.type === "contiguous-file" ? "file" : h.type === "directory" ? "directory" : h.type === "symlink" ? "symlink" : h.type === "link" ? "link" : "other";
      const path = cleanPath(h.name);
      if (path === "" || path === ".") continue;
      entries.push({ path, type, data: type === "file" ? Buffer.concat(chunks) : undefined, linkname: h.linkname ?? undefined, mode: h.mode ?? undefined });
    }
  })();
  ex.end(data);
  await reading;
  return entries;
}

/** Decompresses a gzip layer; throws the zlib message for corrupt data. */
export function gunzip(data: Buffer): Buffer {
  return gunzipSync(data);
}
