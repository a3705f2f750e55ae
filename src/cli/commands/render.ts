import type { Command } from "commander";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { renderSemverTemplateText } from "../../template/semver/render.js";
import { FbcBundleSource } from "../../bundle/fbc-source.js";
import type { BundleSource } from "../../bundle/source.js";
import { getRegistrySourceFactory } from "../../bundle/default-source.js";
import { writeFbc, type OutputFormat } from "../../fbc/write.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { UsageError, UserError } from "../../util/errors.js";
import { progress } from "../progress.js";

export interface RenderCliOptions {
  bundlesFrom?: string;
  compat: string;
  output: string;
  stdout?: boolean;
}

function chooseSource(dir: string, opts: RenderCliOptions): BundleSource {
  if (opts.bundlesFrom) return new FbcBundleSource(opts.bundlesFrom);
  const registry = getRegistrySourceFactory();
  if (registry) return registry(dir, { ...opts });
  throw new UsageError("no bundle source: pass --bundles-from <fbc file or dir>");
}

/** Renders `<dir>/veneer.yaml` to `<dir>/catalog.yaml` (atomically) or stdout. */
export async function renderOperatorDir(dir: string, opts: RenderCliOptions): Promise<string> {
  if (opts.compat !== "current" && opts.compat !== "veneer") throw new UsageError(`--compat must be "current" or "veneer", not "${opts.compat}"`);
  if (opts.output !== "yaml" && opts.output !== "json") throw new UsageError(`-o must be "yaml" or "json", not "${opts.output}"`);
  const template = existsSync(dir) && statSync(dir).isDirectory() ? join(dir, "veneer.yaml") : dir;
  if (!existsSync(template)) throw new UserError(`${template}: no such file (an operator directory holds veneer.yaml)`);
  const source = chooseSource(dir, opts);
  const bar = progress("render");
  const cfg = await renderSemverTemplateText(readFileSync(template, "utf8"), template, source, {
    compat: opts.compat,
    onBundle: (image, done, total) => bar.tick(done, total, image),
  });
  bar.done();
  const text = writeFbc(cfg, opts.output as OutputFormat);
  if (opts.stdout) {
    process.stdout.write(text);
    return text;
  }
  const target = join(template === dir ? join(dir, "..") : dir, opts.output === "json" ? "catalog.json" : "catalog.yaml");
  writeFileAtomic(target, text);
  return text;
}

/** Adds `render` to the CLI. */
export function registerRender(program: Command): void {
  program
    .command("render")
    .description("render an operator's veneer.yaml (semver template) to catalog.yaml, as opm alpha render-template semver")
    .argument("<operator-dir>", "folder with veneer.yaml (or the template file itself)")
    .option("--bundles-from <path>", "take bundles from an existing FBC file or directory instead of a registry")
    .option("--compat <era>", "current (opm v1.73) or veneer (opm <= v1.26.4 linking and defaults)", "current")
    .option("-o, --output <format>", "yaml or json", "yaml")
    .option("--stdout", "print the catalog instead of writing catalog.yaml")
    .action(async (dir: string, opts: RenderCliOptions) => {
      await renderOperatorDir(dir, opts);
    });
}
