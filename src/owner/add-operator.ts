/**
 * `add-operator`: a new catalog/<name>/ folder (veneer.yaml, OWNERS, .indexignore and the rendered
 * catalog.yaml) from a first bundle image, created in one rename so a failure leaves no folder behind.
 */
import { join } from "node:path";
import { dns1123LabelErrors } from "../fbc/model.js";
import type { Archetype } from "../template/semver/types.js";
import { UsageError } from "../util/errors.js";
import { parseOwners } from "../checks/owners.js";
import { CATALOG, VENEER } from "../checks/drift.js";
import { createDirAtomic } from "./commit.js";
import { renderChecked } from "./render-checked.js";
import { externalSource, type SourceOptions } from "./sources.js";

export const INDEXIGNORE_TEXT = "# opm reads every file in a catalog folder: only catalog.yaml is content\nOWNERS\nveneer.yaml\n";

/** The OWNERS file of a new operator folder. */
export function ownersText(logins: string[]): string {
  const list = logins.map((l) => `  - ${l}\n`).join("");
  return `# Who may change this folder (GitHub logins). See CONTRIBUTING in README.\napprovers:\n${list}reviewers:\n${list}`;
}

/** The semver template of a new operator: major channels, like the rest of the catalog. */
export function newVeneerText(archetype: Archetype, image: string): string {
  const name = archetype[0]!.toUpperCase() + archetype.slice(1);
  return `Schema: olm.semver\nGenerateMajorChannels: true\nGenerateMinorChannels: false\n${name}:\n  Bundles:\n  - Image: ${image}\n`;
}

export interface AddOperatorOptions extends SourceOptions {
  catalog: string;
  name: string;
  image: string;
  owners: string[];
  channel: Archetype;
}

/** Creates the folder; returns its path. */
export async function addOperator(opts: AddOperatorOptions): Promise<string> {
  const errs = dns1123LabelErrors(opts.name);
  if (errs.length) throw new UsageError(`operator name "${opts.name}" is not a valid package name: ${errs.join("; ")}`);
  if (opts.owners.length === 0) throw new UsageError("add-operator needs --owner <github login> (or GITHUB_ACTOR): someone must approve changes to the folder");
  const owners = ownersText(opts.owners);
  const problems = parseOwners(owners).problems;
  if (problems.length) throw new UsageError(problems.join("; "));
  const dir = join(opts.catalog, opts.name);
  const veneer = newVeneerText(opts.channel, opts.image);
  const source = externalSource(dir, opts, "required")!;
  const catalog = await renderChecked(dir, opts.name, veneer, source);
  createDirAtomic(dir, { [VENEER]: veneer, [CATALOG]: catalog, OWNERS: owners, ".indexignore": INDEXIGNORE_TEXT });
  return dir;
}
