import type { Command } from "commander";
import { loadFbc } from "../../fbc/load.js";
import { readCategoryOverrides } from "../../catalog/categories.js";
import { siteData, sitePages, writeSite } from "../../report/index.js";

/** Adds `report`: a static HTML site of the whole catalog, viewable offline. */
export function registerReport(program: Command): void {
  program
    .command("report")
    .description("write a static HTML site of the catalog: packages by category, channels, heads, upgrade graphs, CRDs, install modes")
    .argument("[catalog-dir]", "catalog directory", "catalog")
    .option("--out <dir>", "output directory (replaced atomically)", "dist/report")
    .action((dir: string, opts: { out: string }) => {
      const pages = sitePages(siteData(loadFbc(dir), readCategoryOverrides(dir)));
      writeSite(opts.out, pages);
      process.stderr.write(`wrote ${pages.size} pages to ${opts.out}/ (open ${opts.out}/index.html)\n`);
    });
}
