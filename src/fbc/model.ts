/**
 * The package → channel → bundle model opm builds from a catalog (alpha/declcfg ConvertToModel) and its
 * validation (alpha/model Validate), with the same checks, order and messages as opm v1.73.
 */
import type { Bundle, DeclarativeConfig, Origin, Property, RelatedImage } from "./types.js";
import type { LoadedBundle } from "./schema.js";
import { parseProperties, type ParsedProperties } from "./properties.js";
import { semverError, semverRangeError } from "./version.js";
import { imageRefError } from "./imageref.js";
import type { Problem } from "./errtree.js";
import { UserError } from "../util/errors.js";

export interface ModelBundle {
  name: string;
  replaces: string;
  skips: string[];
  skipRange: string;
  image: string;
  properties: Property[];
  relatedImages: RelatedImage[];
  objects: string[];
  props?: ParsedProperties;
  version: string;
  release: string;
  hasBlob: boolean;
  deprecation?: string;
  /** Where the olm.deprecations blob that set `deprecation` was read. */
  deprecationOrigin?: Origin;
  origin?: Origin;
}

export interface ModelChannel {
  name: string;
  /** Created by opm for a defaultChannel that names no channel. */
  placeholder?: boolean;
  bundles: Map<string, ModelBundle>;
  deprecation?: string;
  /** Where the olm.deprecations blob that set `deprecation` was read. */
  deprecationOrigin?: Origin;
  origin?: Origin;
}

export interface ModelPackage {
  name: string;
  description?: string;
  defaultChannel?: ModelChannel;
  channels: Map<string, ModelChannel>;
  deprecation?: string;
  /** Where the olm.deprecations blob that set `deprecation` was read. */
  deprecationOrigin?: Origin;
  origin?: Origin;
}

export type Model = Map<string, ModelPackage>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The messages k8s IsDNS1123Label returns, which opm prints for a bad package name. */
export function dns1123LabelErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push("must be no more than 63 characters");
  if (!DNS1123_LABEL.test(name)) {
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

const RELEASE_SEGMENT = /^[0-9A-Za-z-]+$/;

function releaseError(rel: string): string | undefined {
  if (rel.length > 20) return `invalid release "${rel}": exceeds maximum length of 20 characters`;
  const errs: string[] = [];
  rel.split(".").forEach((seg, i) => {
    if (seg === "") errs.push(`segment ${i}: Prerelease is empty`);
    else if (!RELEASE_SEGMENT.test(seg)) errs.push(`segment ${i}: Invalid character(s) found in prerelease "${seg}"`);
    else if (/^[0-9]+$/.test(seg) && seg.length > 1 && seg[0] === "0")
      errs.push(`segment ${i}: Numeric PreRelease version must not contain leading zeroes "${seg}"`);
  });
  return errs.length ? `invalid release "${rel}": ${errs.join("\n")}` : undefined;
}

/** `%#v` of a declcfg.PackageScopedReference, as opm formats it in deprecation errors. */
function goRef(r: { schema: string; name?: string }): string {
  return `declcfg.PackageScopedReference{Schema:"${r.schema}", Name:"${r.name ?? ""}"}`;
}

/**
 * Builds the model, failing fast (first problem only, as a UserError naming the blob's file and line) on
 * the checks opm makes while converting: names, duplicates, unknown packages, properties, versions, images.
 */
export function convertToModel(cfg: DeclarativeConfig): Model {
  const model: Model = new Map();
  const defaults = new Map<string, string>();
  for (const p of cfg.packages) {
    const fail = (m: string, field = "name"): never => {
      throw new UserError(m, p.origin, field);
    };
    if (p.name === "") fail("config contains package with no name");
    if (model.has(p.name)) fail(`duplicate package "${p.name}"`);
    const errs = dns1123LabelErrors(p.name);
    if (errs.length) fail(`invalid package name "${p.name}": [${errs.join(" ")}]`);
    model.set(p.name, { name: p.name, description: p.description, channels: new Map(), origin: p.origin });
    defaults.set(p.name, p.defaultChannel);
  }

  const channelDefinedEntries = new Map<string, Set<string>>();
  for (const c of cfg.channels) {
    const fail = (m: string, field = "name"): never => {
      throw new UserError(m, c.origin, field);
    };
    const pkg = model.get(c.package);
    if (!pkg) fail(`unknown package "${c.package}" for channel "${c.name}"`, "package");
    if (c.name === "") fail(`package "${c.package}" contains channel with no name`);
    if (pkg!.channels.has(c.name)) fail(`package "${c.package}" has duplicate channel "${c.name}"`);
    const ch: ModelChannel = { name: c.name, bundles: new Map(), origin: c.origin };
    const cde = new Set<string>();
    for (const e of c.entries) {
      if (ch.bundles.has(e.name)) fail(`invalid package "${c.package}", channel "${c.name}": duplicate entry "${e.name}"`, "entries");
      cde.add(e.name);
      ch.bundles.set(e.name, {
        name: e.name,
        replaces: e.replaces ?? "",
        skips: e.skips ?? [],
        skipRange: e.skipRange ?? "",
        image: "",
        properties: [],
        relatedImages: [],
        objects: [],
        version: "0.0.0",
        release: "",
        hasBlob: false,
        origin: c.origin,
      });
    }
    // opm keeps only the last channel's entries per package here (a known quirk we reproduce).
    channelDefinedEntries.set(c.package, cde);
    pkg!.channels.set(c.name, ch);
    if (defaults.get(c.package) === c.name) pkg!.defaultChannel = ch;
  }

  const packageBundles = new Map<string, Set<string>>();
  for (const b of cfg.bundles as LoadedBundle[]) {
    const fail = (m: string, field = "properties"): never => {
      throw new UserError(m, b.origin, field);
    };
    if (b.package === "") fail(`package name must be set for bundle "${b.name}"`, "package");
    const pkg = model.get(b.package);
    if (!pkg) fail(`unknown package "${b.package}" for bundle "${b.name}"`, "package");
    const seen = packageBundles.get(b.package) ?? new Set<string>();
    if (seen.has(b.name)) fail(`package "${b.package}" has duplicate bundle "${b.name}"`, "name");
    seen.add(b.name);
    packageBundles.set(b.package, seen);
    let props: ParsedProperties;
    try {
      props = parseProperties(b.properties);
    } catch (e) {
      return fail(`parse properties for bundle "${b.name}": ${(e as Error).message}`);
    }
    if (props.packages.length !== 1)
      fail(`package "${b.package}" bundle "${b.name}" must have exactly 1 "olm.package" property, found ${props.packages.length}`);
    const pp = props.packages[0]!;
    if (b.package !== pp.packageName) fail(`package "${b.package}" does not match "olm.package" property "${pp.packageName}"`);
    checkPullSpec(b.image, `package "${b.package}" bundle "${b.name}" image`, (m) => fail(m, "image"));
    (b.relatedImages ?? []).forEach((r, i) =>
      checkPullSpec(r.image, `package "${b.package}" bundle "${b.name}" relatedImages[${i}].image`, (m) => fail(m, `relatedImages[${i}].image`)),
    );
    const verr = semverError(pp.version);
    if (verr) fail(`error parsing bundle "${b.name}" version "${pp.version}": ${verr}`, "olm.package version");
    if (pp.release) {
      const rerr = releaseError(pp.release);
      if (rerr) fail(`error parsing bundle "${b.name}" release version "${pp.release}": ${rerr}`, "olm.package release");
    }
    channelDefinedEntries.get(b.package)?.delete(b.name);
    let found = false;
    for (const ch of pkg!.channels.values()) {
      const mb = ch.bundles.get(b.name);
      if (!mb) continue;
      found = true;
      Object.assign(mb, {
        image: b.image,
        properties: b.properties,
        relatedImages: b.relatedImages ?? [],
        objects: b.objects ?? [],
        props,
        version: pp.version,
        release: pp.release ?? "",
        hasBlob: true,
        origin: b.origin,
      });
    }
    if (!found) fail(`package "${b.package}", bundle "${b.name}" not found in any channel entries`, "name");
  }

  for (const [pkg, entries] of channelDefinedEntries) {
    if (entries.size > 0) {
      throw new UserError(
        `no olm.bundle blobs found in package "${pkg}" for olm.channel entries [${[...entries].sort().join(" ")}]`,
        model.get(pkg)?.origin,
        "entries",
      );
    }
  }

  for (const pkg of model.values()) {
    const dc = defaults.get(pkg.name) ?? "";
    if (dc !== "" && !pkg.defaultChannel) {
      const ch: ModelChannel = { name: dc, bundles: new Map(), origin: pkg.origin, placeholder: true };
      pkg.defaultChannel = ch;
      pkg.channels.set(dc, ch);
    }
  }

  applyDeprecations(cfg, model, packageBundles);
  return model;
}

function checkPullSpec(image: string, what: string, fail: (m: string) => void): void {
  if (image === "") return;
  const err = imageRefError(image);
  if (err) fail(`${what}: invalid image pull spec "${image}": ${err}`);
}

function applyDeprecations(cfg: DeclarativeConfig, model: Model, packageBundles: Map<string, Set<string>>): void {
  const seen = new Set<string>();
  cfg.deprecations.forEach((d, i) => {
    const fail = (m: string, field = "entries"): never => {
      throw new UserError(m, d.origin, field);
    };
    if (d.package === "") fail(`package name must be set for deprecation item ${i}`, "package");
    const pkg = model.get(d.package);
    if (!pkg) fail(`cannot apply deprecations to an unknown package "${d.package}"`, "package");
    if (seen.has(d.package)) fail(`expected a maximum of one deprecation per package: "${d.package}"`, "package");
    seen.add(d.package);
    const refs = new Set<string>();
    d.entries.forEach((e, j) => {
      const ref = e.reference;
      if (ref.schema === "") fail(`schema must be set for deprecation entry [${j}] for package "${d.package}"`);
      const key = JSON.stringify([ref.schema, ref.name ?? ""]);
      if (refs.has(key)) fail(`duplicate deprecation entry ${goRef(ref)} for package "${d.package}"`);
      refs.add(key);
      switch (ref.schema) {
        case "olm.bundle":
          if (!packageBundles.get(d.package)?.has(ref.name ?? ""))
            fail(`cannot deprecate bundle "${ref.name ?? ""}" for package "${d.package}": bundle not found`, "entries.reference");
          for (const ch of pkg!.channels.values()) {
            const b = ch.bundles.get(ref.name ?? "");
            if (b) Object.assign(b, { deprecation: e.message, deprecationOrigin: d.origin });
          }
          break;
        case "olm.channel": {
          const ch = pkg!.channels.get(ref.name ?? "");
          if (!ch) fail(`cannot deprecate channel "${ref.name ?? ""}" for package "${d.package}": channel not found`, "entries.reference");
          Object.assign(ch!, { deprecation: e.message, deprecationOrigin: d.origin });
          break;
        }
        case "olm.package":
          if (ref.name) fail(`package name must be empty for deprecated package "${d.package}" (specified "${ref.name}")`);
          Object.assign(pkg!, { deprecation: e.message, deprecationOrigin: d.origin });
          break;
        default:
          fail(`cannot deprecate object ${goRef(ref)} referenced by entry ${j} for package "${d.package}": object schema unknown`);
      }
    });
  });
}

/** The head of a channel: the one entry no other entry replaces or skips (skipRange does not count). */
export function channelHead(ch: ModelChannel): { head?: ModelBundle; error?: string } {
  const incoming = new Set<string>();
  for (const b of ch.bundles.values()) {
    if (b.replaces) incoming.add(b.replaces);
    for (const s of b.skips) incoming.add(s);
  }
  const heads = [...ch.bundles.values()].filter((b) => !incoming.has(b.name));
  if (heads.length === 0) return { error: "no channel head found in graph" };
  if (heads.length > 1) return { error: `multiple channel heads found in graph: ${heads.map((h) => h.name).sort().join(", ")}` };
  return { head: heads[0] };
}

function replacesChainError(ch: ModelChannel): string | undefined {
  const { head, error } = channelHead(ch);
  if (!head) return error;
  const skipped = new Set<string>();
  for (const b of ch.bundles.values()) for (const s of b.skips) skipped.add(s);
  const chainFrom = new Map<string, string[]>();
  const chain = new Set<string>([head.name]);
  let cur: ModelBundle | undefined = head;
  while (cur) {
    if (!chainFrom.has(cur.name)) chainFrom.set(cur.name, [cur.name]);
    if (skipped.has(cur.replaces)) break;
    for (const v of chainFrom.values()) v.push(cur.replaces);
    if (chain.has(cur.replaces)) {
      return `detected cycle in replaces chain of upgrade graph: ${(chainFrom.get(cur.replaces) ?? []).join(" -> ")}`;
    }
    chain.add(cur.replaces);
    cur = ch.bundles.get(cur.replaces);
  }
  const stranded = [...ch.bundles.keys()].filter((n) => !chain.has(n) && !skipped.has(n)).sort();
  return stranded.length ? `channel contains one or more stranded bundles: ${stranded.join(", ")}` : undefined;
}

function byName<T extends { name: string }>(m: Map<string, T>): T[] {
  return [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function versionString(b: ModelBundle): string {
  return b.release ? `${b.version}-${b.release}` : b.version;
}

function validateBundle(b: ModelBundle, pkgName: string): Problem | undefined {
  const kids: Problem[] = [];
  const at = (message: string, field: string): void => void kids.push({ message, origin: b.origin, field });
  if (b.name === "") at("name must be set", "name");
  const normalized = b.release ? `${pkgName}-v${versionString(b)}` : b.name;
  if (b.name !== normalized) at(`name "${b.name}" does not match normalized name "${normalized}"`, "olm.package release");
  let props: ParsedProperties | undefined;
  try {
    props = parseProperties(b.properties);
  } catch (e) {
    at((e as Error).message, "properties");
  }
  b.skips.forEach((s, i) => {
    if (s === "") at(`skip[${i}] is empty`, "skips");
  });
  if (b.skipRange !== "") {
    const err = semverRangeError(b.skipRange);
    if (err) at(`invalid skipRange "${b.skipRange}": ${err}`, "skipRange");
  }
  if (props && props.packages.length !== 1) at('must be exactly one property with type "olm.package"', "properties");
  if (b.image === "" && b.objects.length === 0) at("bundle image must be set", "image");
  if (b.deprecation === "") kids.push({ message: "invalid deprecation: message must be set", origin: b.deprecationOrigin, field: "olm.deprecations message" });
  if (b.version.includes("+") && b.release) at("cannot use build metadata in version with a release version", "olm.package version");
  return kids.length ? { message: `invalid bundle "${b.name}"`, children: kids } : undefined;
}

function validateChannel(ch: ModelChannel, pkgName: string): Problem | undefined {
  const kids: Problem[] = [];
  if (ch.name === "") kids.push({ message: "channel name must not be empty", origin: ch.origin, field: "name" });
  if (ch.bundles.size === 0)
    kids.push({ message: "channel must contain at least one bundle", origin: ch.origin, field: ch.placeholder ? "defaultChannel" : "entries" });
  if (ch.bundles.size > 0) {
    const err = replacesChainError(ch);
    if (err) kids.push({ message: err, origin: ch.origin, field: "entries (replaces/skips)" });
  }
  for (const b of byName(ch.bundles)) {
    const p = validateBundle(b, pkgName);
    if (p) kids.push(p);
  }
  if (ch.deprecation !== undefined && ch.deprecation === "")
    kids.push({ message: "invalid deprecation: message must be set", origin: ch.deprecationOrigin, field: "olm.deprecations message" });
  return kids.length ? { message: `invalid channel "${ch.name}"`, children: kids } : undefined;
}

function duplicateVersionsError(pkg: ModelPackage): string | undefined {
  const byVersion = new Map<string, Set<string>>();
  for (const ch of pkg.channels.values()) {
    for (const b of ch.bundles.values()) {
      const v = versionString(b);
      if (!byVersion.has(v)) byVersion.set(v, new Set());
      byVersion.get(v)!.add(b.name);
    }
  }
  const errs = [...byVersion.keys()]
    .sort()
    .map((v) => ({ v, names: [...byVersion.get(v)!].sort() }))
    .filter((x) => x.names.length > 1)
    .map((x) => `{${x.v}: [${x.names.join(", ")}]}`);
  return errs.length ? `duplicate versions found in bundles: [${errs.join(" ")}]` : undefined;
}

function validatePackage(pkg: ModelPackage): Problem | undefined {
  const kids: Problem[] = [];
  const at = (message: string, field: string): void => void kids.push({ message, origin: pkg.origin, field });
  if (pkg.name === "") at("package name must not be empty", "name");
  if (!pkg.defaultChannel) at("default channel must be set", "defaultChannel");
  if (pkg.channels.size === 0) at("package must contain at least one channel", "defaultChannel");
  for (const ch of byName(pkg.channels)) {
    const p = validateChannel(ch, pkg.name);
    if (p) kids.push(p);
  }
  const dup = duplicateVersionsError(pkg);
  if (dup) at(dup, "olm.package version");
  if (pkg.deprecation === "") kids.push({ message: "invalid deprecation: message must be set", origin: pkg.deprecationOrigin, field: "olm.deprecations message" });
  return kids.length ? { message: `invalid package "${pkg.name}"`, children: kids } : undefined;
}

/** Runs opm's model validation; returns the `invalid index` tree, or undefined when the model is valid. */
export function validateModel(model: Model): Problem | undefined {
  const kids = byName(model)
    .map(validatePackage)
    .filter((p): p is Problem => !!p);
  return kids.length ? { message: "invalid index", children: kids } : undefined;
}

/** The bundles of a channel in model form, for graph code that wants plain arrays. */
export function channelBundles(ch: ModelChannel): ModelBundle[] {
  return [...ch.bundles.values()];
}

export type { Bundle };
