/**
 * Writes the static site atomically: built in a temp folder beside the target, then renamed into place,
 * so a failed or killed run leaves the previous site whole. Bundles Mermaid's browser build so pages work
 * offline (file://).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { MERMAID_ASSET } from "./html.js";

/** The path of the installed mermaid package's self-contained browser build. */
export function mermaidDistPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mermaid/package.json")), "dist", "mermaid.min.js");
}

/** Writes `pages` (path → HTML) plus the Mermaid asset to `outDir`, replacing it atomically. */
export function writeSite(outDir: string, pages: Map<string, string>, mermaidJs = mermaidDistPath()): void {
  const out = resolve(outDir);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = mkdtempSync(join(dirname(out), `.${basename(out)}.tmp-`));
  try {
    for (const [path, html] of pages) {
      mkdirSync(dirname(join(tmp, path)), { recursive: true });
      writeFileSync(join(tmp, path), html);
    }
    mkdirSync(dirname(join(tmp, MERMAID_ASSET)), { recursive: true });
    copyFileSync(mermaidJs, join(tmp, MERMAID_ASSET));
    if (existsSync(out)) {
      const old = `${tmp}.old`;
      renameSync(out, old);
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, out);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
