import type { Command } from "commander";
import { resolve } from "node:path";
import { renderReport, failed } from "../../checks/report.js";
import { LAYERS, formatTimings, runChecks, type Layer, type RunOptions } from "../../checks/run.js";
import type { BundleSource } from "../../bundle/source.js";
import { externalSource } from "../../owner/sources.js";
import { UsageError } from "../../util/errors.js";

interface CheckCliOptions {
  repo: string;
  catalog?: string;
  output: string;
  base?: string;
  head?: string;
  author?: string;
  platform?: string[];
  packages?: string;
  bundlesFrom?: string;
  registry?: boolean;
  timings?: boolean;
}

const FORMATS = ["text", "json", "markdown", "md"];

/** Turns CLI options into run options (paths resolved, extra drift sources wired). */
function runOptions(layers: readonly Layer[], operators: string[], o: CheckCliOptions): RunOptions {
  if (!FORMATS.includes(o.output)) throw new UsageError(`-o must be text, json or markdown, not "${o.output}"`);
  const repo = resolve(o.repo);
  return {
    repo,
    catalog: o.catalog ? resolve(o.catalog) : undefined,
    operators: operators.length ? operators : undefined,
    layers,
    base: o.base,
    head: o.head,
    author: o.author,
    platforms: o.platform,
    packages: o.packages?.split(",").map((s) => s.trim()).filter(Boolean),
    extraSources: o.bundlesFrom || o.registry ? extraSources(o) : undefined,
  };
}

/** `--bundles-from` is loaded once for every operator; a registry source is made per operator folder. */
function extraSources(o: CheckCliOptions): (dir: string) => BundleSource[] {
  let shared: BundleSource | undefined;
  return (dir) => [o.bundlesFrom ? (shared ??= externalSource(dir, o, "if-asked")!) : externalSource(dir, o, "if-asked")!];
}

async function run(layers: readonly Layer[], operators: string[], o: CheckCliOptions): Promise<void> {
  const { report, timings } = await runChecks(runOptions(layers, operators, o));
  process.stdout.write(renderReport(report, o.output));
  if (o.timings || layers.length > 1) process.stderr.write(`timings: ${formatTimings(timings)}\n`);
  if (failed(report)) process.exitCode = 1;
}

function common(c: Command): Command {
  return c
    .option("-C, --repo <dir>", "repository root", ".")
    .option("--catalog <dir>", "catalog root (default <repo>/catalog)")
    .option("-o, --output <format>", "text, json or markdown", "text")
    .option("--timings", "print how long each layer took (stderr)");
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Adds `check <layer>`: the CI test layers, each exiting 1 on a blocking error. */
export function registerCheck(program: Command): void {
  const check = program.command("check").description("run the catalog test layers (owners, sanity, integration, interop, all)");
  common(check.command("sanity").argument("[operators...]", "operator folders (default: all)"))
    .description("template, drift, opm validate, OWNERS and bundle checks per operator")
    .option("--bundles-from <path>", "also render each veneer with bundles from this FBC (checks bundle contents)")
    .option("--registry", "also render each veneer with bundles from the registry source")
    .action((ops: string[], o: CheckCliOptions) => run(["sanity"], ops, o));
  common(check.command("integration").argument("[operators...]", "operator folders (default: all)"))
    .description("upgrades from the base ref's catalog still reach every new head; CRD versions kept")
    .option("--base <ref>", "git ref of the base catalog (default: only the catalog's own graphs)")
    .action((ops: string[], o: CheckCliOptions) => run(["integration"], ops, o));
  common(check.command("interop").alias("interoperability"))
    .description("operators installed together coexist: APIs, requirements, install modes, webhooks; candidate matrix")
    .option("--platform <stack>", "Pulumi stack (Pulumi.<stack>.yaml), repeatable (default: every stack, else the whole catalog)", collect)
    .option("--packages <list>", "comma-separated packages forming one platform")
    .action((o: CheckCliOptions) => run(["interoperability"], [], o));
  common(check.command("owners"))
    .description("the author may change every folder the change touches (OWNERS at the base ref)")
    .requiredOption("--base <ref>", "git ref the change is based on")
    .requiredOption("--author <login>", "GitHub login of the change's author")
    .option("--head <ref>", "git ref of the change (default: the work tree)")
    .action((o: CheckCliOptions) => run(["owners"], [], o));
  common(check.command("all"))
    .description("every layer, in CI order")
    .option("--base <ref>", "git ref of the base (integration; owners with --author)")
    .option("--head <ref>", "git ref of the change for owners (default: the work tree)")
    .option("--author <login>", "GitHub login of the author (owners)")
    .option("--platform <stack>", "Pulumi stack, repeatable", collect)
    .option("--packages <list>", "comma-separated packages forming one platform")
    .option("--bundles-from <path>", "also render each veneer with bundles from this FBC")
    .option("--registry", "also render each veneer with bundles from the registry source")
    .action((o: CheckCliOptions) => run(LAYERS, [], o));
}
