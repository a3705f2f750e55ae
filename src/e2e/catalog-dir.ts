/** Writes the e2e variant of a catalog directory (see inline-bundles.ts) for `opm serve`. */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadFbc } from "../fbc/load.js";
import { writeFbc } from "../fbc/write.js";
import { inlineBundles } from "./inline-bundles.js";

/** Loads `catalogDir`, inlines its bundles and writes them as `<outDir>/catalog.json`; returns that file's path. */
export function writeInlineCatalog(catalogDir: string, outDir: string): string {
  const text = writeFbc(inlineBundles(loadFbc(catalogDir)), "json");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "catalog.json");
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return file;
}

