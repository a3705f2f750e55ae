import type { Bundle, Channel, DeclarativeConfig, Deprecation, OtherBlob, Package, Property } from "./types.js";
import { toGoYaml } from "./goyaml.js";

export type OutputFormat = "yaml" | "json";

const byString = <T>(key: (t: T) => string) => (a: T, b: T): number => {
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function props(p: Property[] | undefined): Property[] | undefined {
  return p && p.length ? p.map((x) => ({ type: x.type, value: x.value })) : undefined;
}

/** The JSON object opm encodes for a package, in Go struct field order. */
export function packageJson(p: Package): Record<string, unknown> {
  return {
    schema: p.schema,
    name: p.name,
    defaultChannel: p.defaultChannel,
    icon: p.icon ? { base64data: p.icon.base64data, mediatype: p.icon.mediatype } : undefined,
    description: p.description || undefined,
    properties: props(p.properties),
  };
}

/** The JSON object opm encodes for a channel, in Go struct field order. */
export function channelJson(c: Channel): Record<string, unknown> {
  return {
    schema: c.schema,
    name: c.name,
    package: c.package,
    entries: c.entries.map((e) => ({
      name: e.name,
      replaces: e.replaces || undefined,
      skips: e.skips && e.skips.length ? [...e.skips] : undefined,
      skipRange: e.skipRange || undefined,
    })),
    properties: props(c.properties),
  };
}

/** The JSON object opm encodes for a bundle, in Go struct field order. */
export function bundleJson(b: Bundle): Record<string, unknown> {
  return {
    schema: b.schema,
    name: b.name,
    package: b.package,
    image: b.image,
    properties: props(b.properties),
    relatedImages: b.relatedImages && b.relatedImages.length ? b.relatedImages.map((r) => ({ name: r.name, image: r.image })) : undefined,
  };
}

function deprecationJson(d: Deprecation): Record<string, unknown> {
  return {
    schema: d.schema,
    package: d.package,
    entries: d.entries.map((e) => ({
      reference: { schema: e.reference.schema, name: e.reference.name || undefined },
      message: e.message,
    })),
  };
}

/** Blobs in the order opm's declcfg writer emits them: per package (by name), then package-less others. */
export function orderedBlobs(cfg: DeclarativeConfig): Record<string, unknown>[] {
  const names = new Set<string>();
  for (const x of [...cfg.packages.map((p) => p.name), ...cfg.channels.map((c) => c.package), ...cfg.bundles.map((b) => b.package)])
    if (x) names.add(x);
  for (const x of [...cfg.others.map((o) => o.package ?? ""), ...cfg.deprecations.map((d) => d.package)]) if (x) names.add(x);
  const out: Record<string, unknown>[] = [];
  const bySchema = byString<OtherBlob>((o) => o.schema);
  for (const name of [...names].sort()) {
    out.push(...cfg.packages.filter((p) => p.name === name).map(packageJson));
    out.push(...cfg.channels.filter((c) => c.package === name).sort(byString((c) => c.name)).map(channelJson));
    out.push(...cfg.bundles.filter((b) => b.package === name).sort(byString((b) => b.name)).map(bundleJson));
    out.push(...cfg.others.filter((o) => o.package === name).sort(bySchema).map((o) => o.blob));
    out.push(...cfg.deprecations.filter((d) => d.package === name).map(deprecationJson));
  }
  out.push(...cfg.others.filter((o) => !o.package).map((o) => o.blob));
  return out;
}

/** JSON.stringify as Go's encoder does with SetEscapeHTML(false): U+2028/2029 are still escaped. */
export function goJson(v: unknown, indent: string | number = 4): string {
  return JSON.stringify(v, null, indent).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Serializes a catalog exactly as `opm render -o yaml|json` would write it. */
export function writeFbc(cfg: DeclarativeConfig, format: OutputFormat): string {
  const blobs = orderedBlobs(cfg);
  if (format === "json") return blobs.map((b) => goJson(b) + "\n").join("");
  return blobs.map((b) => "---\n" + toGoYaml(b)).join("");
}
