import type { Command } from "commander";
import { loadFbc } from "../../fbc/load.js";
import { convertToModel } from "../../fbc/model.js";
import { planUpgrade, renderPlan } from "../../plan/index.js";
import { UsageError } from "../../util/errors.js";

/** Adds `plan`: the CSVs OLM v0 walks from an installed version to the channel head, and what each step changes. */
export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("the exact CSV sequence OLM v0 walks from an installed CSV or version to the channel head, with the changes of each step")
    .argument("<package>", "package (operator) name")
    .requiredOption("--from <csv|version>", "installed CSV name or version")
    .option("--channel <name>", "subscription channel (default: the package's default channel)")
    .option("--cross-channel", "accept a CSV from another channel of the package (after a channel switch)")
    .option("--catalog <dir>", "catalog directory", "catalog")
    .option("-o, --output <format>", "text, json or markdown", "text")
    .action((pkg: string, opts: { from: string; channel?: string; crossChannel?: boolean; catalog: string; output: string }) => {
      if (!["text", "json", "markdown"].includes(opts.output)) throw new UsageError(`-o must be text, json or markdown, not "${opts.output}"`);
      const model = convertToModel(loadFbc(opts.catalog));
      const plan = planUpgrade(model, pkg, opts.from, { channel: opts.channel, crossChannel: opts.crossChannel });
      process.stdout.write(renderPlan(plan, opts.output));
    });
}
