/**
 * `opm alpha render-template semver` in TypeScript: template + BundleSource → a one-package catalog,
 * with opm's checks and error texts (each error also names the template file and the image).
 */
import type { Bundle, DeclarativeConfig, Package } from "../../fbc/types.js";
import { emptyConfig } from "../../fbc/types.js";
import { parseProperties } from "../../fbc/properties.js";
import { semverError, stripBuild } from "../../fbc/version.js";
import type { BundleSource, RenderedBundle } from "../../bundle/source.js";
import { UserError, errorMessage } from "../../util/errors.js";
import { generateChannelsCurrent, generateChannelsVeneer, type ArchetypeVersions } from "./channels.js";
import { parseSemverTemplate, templateImages } from "./parse.js";
import { ARCHETYPES, type Compat, type SemverTemplate, type TemplateBundleEntry } from "./types.js";

export interface RenderOptions {
  compat?: Compat;
  /** How many bundles to render at once. */
  concurrency?: number;
  /** Called after each bundle is rendered (for progress output). */
  onBundle?: (image: string, done: number, total: number) => void;
}

/** Renders template text read from `file`. */
export async function renderSemverTemplateText(
  text: string,
  file: string,
  source: BundleSource,
  opts: RenderOptions = {},
): Promise<DeclarativeConfig> {
  const compat = opts.compat ?? "current";
  let tpl: SemverTemplate;
  try {
    tpl = parseSemverTemplate(text, file, compat);
  } catch (e) {
    if (e instanceof UserError && e.origin) {
      throw new UserError(`${prefix(compat)}: unable to read file: ${bareMessage(e)}`, e.origin);
    }
    throw e;
  }
  return renderSemverTemplate(tpl, source, opts);
}

function prefix(compat: Compat): string {
  return compat === "veneer" ? "semver-render" : "render";
}

function bareMessage(e: UserError): string {
  const o = e.origin;
  return o ? e.message.slice(`${o.file}:${o.line}:${o.column}: `.length) : e.message;
}

async function renderAll(
  images: string[],
  source: BundleSource,
  origins: Map<string, TemplateBundleEntry>,
  opts: RenderOptions,
): Promise<Map<string, RenderedBundle>> {
  const out = new Map<string, RenderedBundle>();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < images.length) {
      const image = images[next++]!;
      let bundles: RenderedBundle[];
      try {
        bundles = await source.renderBundle(image);
      } catch (e) {
        const where = origins.get(image)?.origin;
        throw new UserError(`render bundle "${image}": ${errorMessage(e)}`, where);
      }
      if (bundles.length !== 1) {
        throw new UserError(`bundle reference "${image}" resulted in ${bundles.length} bundles, expected 1`, origins.get(image)?.origin);
      }
      out.set(image, bundles[0]!);
      opts.onBundle?.(image, ++done, images.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 8, images.length)) }, worker));
  return out;
}

/** Renders a parsed template with bundles from `source`. */
export async function renderSemverTemplate(tpl: SemverTemplate, source: BundleSource, opts: RenderOptions = {}): Promise<DeclarativeConfig> {
  const compat = opts.compat ?? "current";
  const pre = prefix(compat);
  const images = templateImages(tpl);
  const origins = new Map<string, TemplateBundleEntry>();
  for (const a of ARCHETYPES) for (const b of tpl.bundles[a]) if (!origins.has(b.image)) origins.set(b.image, b);
  const rendered = await renderAll(images, source, origins, opts);
  if (rendered.size === 0) throw new UserError(`${pre}: no bundles specified or no bundles could be rendered`, { file: tpl.file, line: 1, column: 1 });

  let pkgName = "";
  const versions: ArchetypeVersions = { candidate: new Map(), fast: new Map(), stable: new Map() };
  for (const arch of ARCHETYPES) {
    for (const entry of tpl.bundles[arch]) {
      const fail = (m: string): never => {
        throw new UserError(`${pre}: unable to post-process bundle info: ${m}`, entry.origin);
      };
      const b = rendered.get(entry.image);
      if (!b) return fail(`supplied bundle image name "${entry.image}" not found in rendered bundle images`);
      let props;
      try {
        props = parseProperties(b.properties);
      } catch (e) {
        return fail(`parse properties for bundle "${b.name}": ${errorMessage(e)}`);
      }
      if (props.packages.length !== 1) fail(`bundle "${b.name}" has multiple "olm.package" properties, expected exactly 1`);
      const pp = props.packages[0]!;
      const verr = semverError(pp.version);
      if (verr) fail(`bundle "${b.name}" has invalid version "${pp.version}": ${verr}`);
      if (pkgName && pp.packageName !== pkgName) fail(`bundle "${pp.packageName}" does not belong to this package: "${pkgName}"`);
      pkgName ||= pp.packageName;
      if (versions[arch].has(b.name)) fail(`duplicate bundle name "${b.name}"`);
      versions[arch].set(b.name, pp.version);
    }
    const conflicts = buildMetadataConflicts(versions[arch]);
    if (conflicts.length) {
      const agg = conflicts.length === 1 ? conflicts[0]! : `[${conflicts.join(", ")}]`;
      throw new UserError(
        `${pre}: unable to post-process bundle info: encountered bundle versions which differ only by build metadata, which cannot be ordered: ${agg}`,
        tpl.bundles[arch][0]?.origin,
      );
    }
  }

  const channelOpts = {
    major: tpl.generateMajorChannels,
    minor: tpl.generateMinorChannels,
    preference: tpl.defaultChannelTypePreference,
    avoidSkipPatch: tpl.avoidSkipPatch,
  };
  const gen = compat === "veneer" ? generateChannelsVeneer(pkgName, versions, channelOpts) : generateChannelsCurrent(pkgName, versions, channelOpts);
  const pkg: Package = { schema: "olm.package", name: pkgName, defaultChannel: gen.defaultChannel };
  const bundles: Bundle[] = [...rendered.values()].map(({ csvJson: _csv, origin: _o, ...b }) => b);
  if (compat === "current") addPackageMetadata(pkg, gen.channels, [...rendered.values()]);
  return { ...emptyConfig(), packages: [pkg], channels: gen.channels, bundles };
}

function buildMetadataConflicts(m: Map<string, string>): string[] {
  const seen = new Set<string>();
  const errs: string[] = [];
  for (const v of m.values()) {
    const stripped = stripBuild(v);
    if (seen.has(stripped)) errs.push(`bundle version "${v}" cannot be compared to "${stripped}"`);
    seen.add(stripped);
  }
  return errs;
}

/** opm v1.65+: the package takes description and icon from the CSV of the default channel's last entry. */
function addPackageMetadata(pkg: Package, channels: { name: string; entries: { name: string }[] }[], bundles: RenderedBundle[]): void {
  const ch = channels.find((c) => c.name === pkg.defaultChannel);
  const headName = ch?.entries[ch.entries.length - 1]?.name;
  const head = bundles.find((b) => b.name === headName);
  if (!head?.csvJson) return;
  let spec: { description?: unknown; icon?: unknown };
  try {
    spec = (JSON.parse(head.csvJson) as { spec?: typeof spec }).spec ?? {};
  } catch {
    return;
  }
  if (typeof spec.description === "string" && spec.description !== "") pkg.description = spec.description;
  if (Array.isArray(spec.icon) && spec.icon.length > 0) {
    const icon = spec.icon[0] as { base64data?: unknown; mediatype?: unknown };
    const data = typeof icon.base64data === "string" ? icon.base64data.replace(/[\r\n]/g, "") : "";
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(data) && data.length % 4 === 0) {
      pkg.icon = { base64data: Buffer.from(data, "base64").toString("base64"), mediatype: typeof icon.mediatype === "string" ? icon.mediatype : "" };
    }
  }
}
