/**
 * The rendered-bundle cache, keyed by manifest digest (content-addressed, so an entry never goes stale):
 * a re-render of an unchanged veneer costs one manifest HEAD per tag and no blob download. Entries are
 * written to a temp file and renamed (atomic, safe with concurrent renders, never torn by kill -9), and
 * each carries the checksum of its body, checked on every read: a damaged entry is a miss, not an error.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic.js";
import type { RenderedBundle } from "./source.js";

/** Bumped whenever rendering changes, so old entries are not reused. */
export const RENDER_FORMAT = "r1";

/** The cache folder: DBAAS_BUNDLE_CACHE, else $XDG_CACHE_HOME (or ~/.cache)/dbaas-catalog/bundles. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env["DBAAS_BUNDLE_CACHE"] || join(env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "dbaas-catalog", "bundles");
}

const sha256 = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");

/** Rendered bundles on disk by manifest digest, so an unchanged image is never pulled twice. */
export class BundleCache {
  constructor(readonly dir: string = defaultCacheDir()) {}

  private path(digest: string): string {
    const [alg, hex] = digest.split(":") as [string, string];
    return join(this.dir, RENDER_FORMAT, alg, hex.slice(0, 2), `${hex}.json`);
  }

  /** The cached rendering of the image with manifest `digest`, or undefined (missing or damaged). */
  get(digest: string): RenderedBundle | undefined {
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return undefined;
    const p = this.path(digest);
    let raw: Buffer;
    try {
      raw = readFileSync(p);
    } catch {
      return undefined; // not cached
    }
    try {
      const nl = raw.indexOf(10);
      const head = JSON.parse(raw.toString("utf8", 0, nl)) as { digest?: string; sha256?: string };
      const body = raw.subarray(nl + 1);
      if (head.digest !== digest || head.sha256 !== sha256(body)) throw new Error("checksum");
      return JSON.parse(body.toString("utf8")) as RenderedBundle;
    } catch {
      try {
        rmSync(p, { force: true });
      } catch {
        // an unreadable entry stays a miss
      }
      return undefined;
    }
  }

  /** Stores a rendering (image-independent) under its manifest digest; best effort (a full or read-only disk only costs speed). */
  put(digest: string, bundle: RenderedBundle): boolean {
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return false;
    const p = this.path(digest);
    const body = JSON.stringify(bundle);
    try {
      mkdirSync(join(p, ".."), { recursive: true });
      writeFileAtomic(p, JSON.stringify({ digest, sha256: sha256(body) }) + "\n" + body);
      return true;
    } catch {
      return false;
    }
  }
}
