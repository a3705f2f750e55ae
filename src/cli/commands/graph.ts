import type { Command } from "commander";
import { loadFbc } from "../../fbc/load.js";
import { convertToModel } from "../../fbc/model.js";
import { chartsMarkdown, chartsMermaid, packageCharts } from "../../report/mermaid.js";
import { UsageError } from "../../util/errors.js";

/** Adds `graph`: Mermaid flowcharts of a package's upgrade graphs, to paste in docs or PRs. */
export function registerGraph(program: Command): void {
  program
    .command("graph")
    .description("print a Mermaid flowchart of each channel's upgrade graph (replaces, skips, skipRange; head highlighted)")
    .argument("<package>", "package (operator) name")
    .option("--channel <name>", "only this channel")
    .option("--catalog <dir>", "catalog directory", "catalog")
    .option("-o, --output <format>", "mermaid or markdown (fenced blocks)", "mermaid")
    .action((pkg: string, opts: { channel?: string; catalog: string; output: string }) => {
      if (!["mermaid", "markdown"].includes(opts.output)) throw new UsageError(`-o must be mermaid or markdown, not "${opts.output}"`);
      const charts = packageCharts(convertToModel(loadFbc(opts.catalog)), pkg, opts.channel);
      process.stdout.write(opts.output === "markdown" ? chartsMarkdown(pkg, charts) : chartsMermaid(pkg, charts));
    });
}
