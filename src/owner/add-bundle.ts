/**
 * `add-bundle` and `promote`: put a bundle image into an archetype of an operator's veneer.yaml and
 * re-render catalog.yaml; both files change together or not at all.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BundleSource } from "../bundle/source.js";
import { loadFbc } from "../fbc/load.js";
import { packageProperty } from "../fbc/properties.js";
import { compareSemver } from "../fbc/version.js";
import { parseSemverTemplate } from "../template/semver/parse.js";
import { ARCHETYPES, ARCHETYPE_PRIORITY, type Archetype } from "../template/semver/types.js";
import { UserError } from "../util/errors.js";
import { CATALOG, VENEER } from "../checks/drift.js";
import { commitFiles, type CommitHooks } from "./commit.js";
import { renderChecked } from "./render-checked.js";
import { ownerSource, type SourceOptions } from "./sources.js";
import { addImageToVeneer, archetypeImages } from "./veneer-edit.js";

export interface AddBundleOptions extends SourceOptions {
  catalog: string;
  operator: string;
  image: string;
  channel: Archetype;
  hooks?: CommitHooks;
}

function operatorDir(catalog: string, operator: string): string {
  const dir = join(catalog, operator);
  if (!existsSync(join(dir, VENEER))) throw new UserError(`${dir}: no ${VENEER} (add the operator first: dbaas-catalog add-operator)`);
  return dir;
}

/** Versions of the images the committed catalog has, to keep archetype lists in version order. */
function committedVersions(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = join(dir, CATALOG);
  if (!existsSync(file)) return out;
  for (const b of loadFbc(file).bundles) {
    const v = packageProperty(b.properties)?.version;
    if (v) out.set(b.image, v);
  }
  return out;
}

/** Adds `image` to the archetype, renders, validates, then writes veneer.yaml and catalog.yaml together. */
async function addImage(dir: string, operator: string, archetype: Archetype, image: string, source: BundleSource, version: string | undefined, hooks?: CommitHooks): Promise<void> {
  const veneerFile = join(dir, VENEER);
  const versions = committedVersions(dir);
  const before = (existing: string): boolean => {
    const v = versions.get(existing);
    return !!version && !!v && compareSemver(v, version) > 0;
  };
  const veneer = addImageToVeneer(readFileSync(veneerFile, "utf8"), veneerFile, archetype, image, before);
  const catalog = await renderChecked(dir, operator, veneer, source);
  commitFiles([{ path: veneerFile, content: veneer }, { path: join(dir, CATALOG), content: catalog }], hooks);
}

/** `add-bundle <operator> <image> --channel <archetype>`. */
export async function addBundle(opts: AddBundleOptions): Promise<void> {
  const dir = operatorDir(opts.catalog, opts.operator);
  const source = await ownerSource(dir, opts, [opts.image]);
  let version: string | undefined;
  try {
    const [b] = await source.renderBundle(opts.image);
    version = b ? packageProperty(b.properties)?.version : undefined;
  } catch {
    // the render below reports a missing image with the template position
  }
  await addImage(dir, opts.operator, opts.channel, opts.image, source, version, opts.hooks);
}

export interface PromoteOptions extends SourceOptions {
  catalog: string;
  operator: string;
  version: string;
  to: Exclude<Archetype, "candidate">;
  hooks?: CommitHooks;
}

/** `promote <operator> <version> --to fast|stable`: the bundle must already be in a less stable archetype. */
export async function promote(opts: PromoteOptions): Promise<string> {
  const dir = operatorDir(opts.catalog, opts.operator);
  const version = opts.version.replace(/^v(?=\d)/, "");
  const versions = committedVersions(dir);
  const images = [...versions].filter(([, v]) => v === version).map(([image]) => image);
  if (images.length === 0) {
    const known = [...new Set(versions.values())].sort(compareSemver).join(", ");
    throw new UserError(`${opts.operator} has no bundle with version ${version} in ${CATALOG} (versions: ${known || "none"})`);
  }
  const veneerFile = join(dir, VENEER);
  const tpl = parseSemverTemplate(readFileSync(veneerFile, "utf8"), veneerFile);
  const image = images.find((i) => ARCHETYPES.some((a) => archetypeImages(tpl, a).includes(i)));
  if (!image) throw new UserError(`${opts.operator} ${version} is in ${CATALOG} but not in ${VENEER}: the catalog has drifted (dbaas-catalog check-drift)`);
  const from = ARCHETYPES.filter((a) => archetypeImages(tpl, a).includes(image));
  if (from.includes(opts.to)) throw new UserError(`${opts.operator} ${version} (${image}) is already in ${opts.to}`);
  if (!from.some((a) => ARCHETYPE_PRIORITY[a] < ARCHETYPE_PRIORITY[opts.to])) {
    throw new UserError(`${opts.operator} ${version} is in ${from.join(", ")}; promotion to ${opts.to} goes from a less stable channel`);
  }
  const source = await ownerSource(dir, opts, []);
  await addImage(dir, opts.operator, opts.to, image, source, version, opts.hooks);
  return image;
}
