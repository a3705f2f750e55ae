import type { Command } from "commander";
import { join, resolve } from "node:path";
import { operatorDirs } from "../../checks/catalog-tree.js";
import { checkDrift, driftFindings, selfSource } from "../../checks/drift.js";
import { failed, renderReport } from "../../checks/report.js";
import { addBundle, promote } from "../../owner/add-bundle.js";
import { addOperator } from "../../owner/add-operator.js";
import { externalSource, type SourceOptions } from "../../owner/sources.js";
import { ARCHETYPES, type Archetype } from "../../template/semver/types.js";
import { UsageError } from "../../util/errors.js";

interface OwnerCliOptions extends SourceOptions {
  catalog: string;
  offline?: boolean;
  output?: string;
}

function archetype(v: string, allowed: readonly Archetype[], flag: string): Archetype {
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} must be ${allowed.join(", ")}, not "${v}"`);
  return v as Archetype;
}

function sourceOptions(c: Command): Command {
  return c
    .option("--catalog <dir>", "catalog root", "catalog")
    .option("--bundles-from <path>", "take new bundles from an existing FBC file or directory")
    .option("--registry", "take new bundles from the registry source");
}

/** Adds the owner tooling: add-operator, add-bundle, promote, check-drift. */
export function registerOwner(program: Command): void {
  sourceOptions(program.command("add-operator"))
    .description("create catalog/<name>/ (veneer.yaml, OWNERS, .indexignore) and render its catalog.yaml")
    .argument("<name>", "operator (package) name")
    .requiredOption("--image <bundle>", "first bundle image")
    .option("--owner <login>", "GitHub login for OWNERS, repeatable (default: $GITHUB_ACTOR)", (v: string, p: string[] = []) => [...p, v])
    .option("--channel <archetype>", "candidate, fast or stable", "candidate")
    .action(async (name: string, o: OwnerCliOptions & { image: string; owner?: string[]; channel: string }) => {
      const owners = o.owner ?? (process.env["GITHUB_ACTOR"] ? [process.env["GITHUB_ACTOR"]] : []);
      const dir = await addOperator({ ...o, catalog: resolve(o.catalog), name, owners, channel: archetype(o.channel, ARCHETYPES, "--channel") });
      process.stderr.write(`created ${dir}\n`);
    });
  sourceOptions(program.command("add-bundle"))
    .description("add a bundle image to an operator's veneer.yaml and re-render catalog.yaml")
    .argument("<operator>", "operator folder name")
    .argument("<image>", "bundle image")
    .requiredOption("--channel <archetype>", "candidate, fast or stable")
    .action(async (operator: string, image: string, o: OwnerCliOptions & { channel: string }) => {
      await addBundle({ ...o, catalog: resolve(o.catalog), operator, image, channel: archetype(o.channel, ARCHETYPES, "--channel") });
    });
  sourceOptions(program.command("promote"))
    .description("promote a bundle version to the fast or stable archetype and re-render catalog.yaml")
    .argument("<operator>", "operator folder name")
    .argument("<version>", "bundle version (1.2.3 or v1.2.3)")
    .requiredOption("--to <archetype>", "fast or stable")
    .action(async (operator: string, version: string, o: OwnerCliOptions & { to: string }) => {
      const to = archetype(o.to, ["fast", "stable"], "--to") as "fast" | "stable";
      const image = await promote({ ...o, catalog: resolve(o.catalog), operator, version, to });
      process.stderr.write(`promoted ${image} to ${to}\n`);
    });
  sourceOptions(program.command("check-drift"))
    .description("every committed catalog.yaml equals the render of its veneer.yaml (offline from its own bundles, plus --bundles-from or the registry)")
    .argument("[operators...]", "operator folders (default: all)")
    .option("--offline", "only the offline render from each committed catalog.yaml")
    .option("-o, --output <format>", "text, json or markdown", "text")
    .action(async (ops: string[], o: OwnerCliOptions) => {
      const root = resolve(o.catalog);
      const names = ops.length ? ops : operatorDirs(root);
      const results = [];
      // --bundles-from is loaded once; a registry source is made per operator folder
      const shared = o.bundlesFrom && !o.offline ? externalSource(root, o, "if-asked") : undefined;
      for (const op of names) {
        const dir = join(root, op);
        results.push(await checkDrift(dir, selfSource(dir)));
        const ext = shared ?? (o.offline ? undefined : externalSource(dir, o, "if-wired"));
        if (ext) results.push(await checkDrift(dir, ext));
      }
      const report = { findings: driftFindings(results) };
      process.stdout.write(renderReport(report, o.output ?? "text"));
      if (failed(report)) process.exitCode = 1;
    });
}
