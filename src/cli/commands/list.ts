import type { Command } from "commander";
import { loadFbc } from "../../fbc/load.js";
import { filterByCategory, listPackages, packagesMarkdown, packagesText } from "../../catalog/list.js";
import { readCategoryOverrides } from "../../catalog/categories.js";
import { UsageError } from "../../util/errors.js";

/** Adds `list`: packages, default channel, head version and categories. */
export function registerList(program: Command): void {
  program
    .command("list")
    .description("list the catalog's packages with default channel, head version and categories")
    .argument("[catalog-dir]", "catalog directory", "catalog")
    .option("--category <name>", "only packages in this OperatorHub category")
    .option("-o, --output <format>", "text, json or markdown", "text")
    .action((dir: string, opts: { category?: string; output: string }) => {
      if (!["text", "json", "markdown"].includes(opts.output)) throw new UsageError(`-o must be text, json or markdown, not "${opts.output}"`);
      const rows = filterByCategory(listPackages(loadFbc(dir), readCategoryOverrides(dir)), opts.category);
      const out = opts.output === "json" ? JSON.stringify(rows, null, 2) + "\n" : opts.output === "markdown" ? packagesMarkdown(rows) : packagesText(rows);
      process.stdout.write(out);
    });
}
