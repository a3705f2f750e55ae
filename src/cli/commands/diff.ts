import type { Command } from "commander";
import { diffCatalogs, loadCatalogState, renderDiff } from "../../diff/index.js";
import { UsageError } from "../../util/errors.js";

/** Adds `diff`: what changed between two catalog states (directories or git refs), for reviews and PR comments. */
export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description("compare two catalog states: packages, channels, heads, default channels, bundles, upgrade edges")
    .argument("<a>", "catalog directory, or git ref (reads catalog/ at it; ref:path for another folder)")
    .argument("<b>", "catalog directory, or git ref")
    .option("--repo <dir>", "git repository for refs", ".")
    .option("-o, --output <format>", "text, json or markdown", "text")
    .action((a: string, b: string, opts: { repo: string; output: string }) => {
      if (!["text", "json", "markdown"].includes(opts.output)) throw new UsageError(`-o must be text, json or markdown, not "${opts.output}"`);
      const d = diffCatalogs(loadCatalogState(a, opts.repo), loadCatalogState(b, opts.repo));
      process.stdout.write(renderDiff(d, opts.output));
    });
}
