import { parse as parseYaml } from "yaml";
import { decodeGo, goArray, goBytes, goRaw, goString, goStruct, GoJsonError } from "./gojson.js";
import type { Bundle, Channel, Deprecation, Origin, Package } from "./types.js";
import { PROP_BUNDLE_OBJECT } from "./types.js";
import { GO_YAML_OPTIONS } from "./decode.js";
import { UserError } from "../util/errors.js";

/** The three meta keys opm reads from every blob, whatever their case. */
export interface Meta {
  schema: string;
  package: string;
  name: string;
  blob: Record<string, unknown>;
  origin: Origin;
}

const META_KEYS = ["schema", "package", "name"] as const;
const META_ERR = "error unmarshaling JSON: while decoding JSON: ";

/** Go's `%t` of a decoded JSON value (opm formats the wrong meta type with it). */
function goPercentT(v: unknown): string {
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return `%!t(float64=${goPercentV(v)})`;
  if (Array.isArray(v)) return `[${v.map(goPercentT).join(" ")}]`;
  return `%!t(map[string]interface {}=${goPercentV(v)})`;
}

/** Go's `%v` of a decoded JSON value. */
function goPercentV(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return `[${v.map(goPercentV).join(" ")}]`;
  if (v && typeof v === "object")
    return `map[${Object.keys(v).sort().map((k) => `${k}:${goPercentV((v as Record<string, unknown>)[k])}`).join(" ")}]`;
  return String(v);
}

/**
 * Extracts schema/package/name from a decoded document as opm's declcfg.Meta does: keys are matched
 * case-insensitively, two keys folding to the same meta key are an error, values must be strings.
 */
export function toMeta(value: unknown, origin: Origin): Meta {
  if (value === null || value === undefined) throw new UserError("object '' is missing root schema field", origin, "schema");
  if (typeof value !== "object" || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "array" : typeof value === "number" ? "number" : typeof value === "boolean" ? "bool" : "string";
    throw new UserError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`, origin);
  }
  const blob = value as Record<string, unknown>;
  const found: Record<string, string[]> = {};
  for (const k of Object.keys(blob)) {
    const folded = k.toLowerCase();
    if ((META_KEYS as readonly string[]).includes(folded)) (found[folded] ??= []).push(k);
  }
  const meta: Meta = { schema: "", package: "", name: "", blob, origin };
  for (const key of META_KEYS) {
    const keys = found[key];
    if (!keys) continue;
    if (keys.length > 1) {
      throw new UserError(`${META_ERR}duplicate keys for key "${key}": [${keys.sort().join(" ")}]`, origin, key);
    }
    const v = blob[keys[0]!];
    if (v === null || v === undefined) continue;
    if (typeof v !== "string") {
      throw new UserError(`${META_ERR}expected value for key "${key}" to be a string, got ${goPercentT(v)}: ${goPercentV(v)}`, origin, key);
    }
    meta[key] = v;
  }
  return meta;
}

const propertyType = goStruct("property.Property", { type: goString, value: goRaw });
const propertiesType = goArray(propertyType, "[]property.Property");

const packageType = goStruct("Package", {
  schema: goString,
  name: goString,
  defaultChannel: goString,
  icon: goStruct("Icon", { base64data: goBytes, mediatype: goString }),
  description: goString,
  properties: propertiesType,
});

const channelType = goStruct("Channel", {
  schema: goString,
  package: goString,
  name: goString,
  entries: goArray(
    goStruct("ChannelEntry", { name: goString, replaces: goString, skips: goArray(goString, "[]string"), skipRange: goString }),
    "[]declcfg.ChannelEntry",
  ),
  properties: propertiesType,
});

const bundleType = goStruct("Bundle", {
  schema: goString,
  package: goString,
  name: goString,
  image: goString,
  properties: propertiesType,
  relatedImages: goArray(goStruct("RelatedImage", { name: goString, image: goString }), "[]declcfg.RelatedImage"),
});

const deprecationType = goStruct("Deprecation", {
  schema: goString,
  package: goString,
  entries: goArray(
    goStruct("DeprecationEntry", {
      reference: goStruct("PackageScopedReference", { schema: goString, name: goString }),
      message: goString,
    }),
    "[]declcfg.DeprecationEntry",
  ),
});

function decodeTyped<T>(meta: Meta, type: Parameters<typeof decodeGo>[1], what: string): T {
  try {
    return decodeGo(meta.blob, type, (type as { name: string }).name) as T;
  } catch (e) {
    if (e instanceof GoJsonError) throw new UserError(`parse ${what}: ${e.message}`, meta.origin, /field (\S+)/.exec(e.message)?.[1]);
    throw e;
  }
}

/** Decodes an `olm.package` blob with opm's leniency and strictness. */
export function parsePackage(meta: Meta): Package {
  const p = decodeTyped<Package>(meta, packageType, "package");
  return { ...p, schema: "olm.package", name: p.name ?? "", defaultChannel: p.defaultChannel ?? "", origin: meta.origin };
}

/** Decodes an `olm.channel` blob. */
export function parseChannel(meta: Meta): Channel {
  const c = decodeTyped<Channel>(meta, channelType, "channel");
  return {
    ...c,
    schema: "olm.channel",
    package: c.package ?? "",
    name: c.name ?? "",
    entries: (c.entries ?? []).map((e) => ({ ...e, name: e.name ?? "" })),
    origin: meta.origin,
  };
}

/** A bundle plus the manifests opm decodes from its `olm.bundle.object` properties. */
export interface LoadedBundle extends Bundle {
  objects?: string[];
}

/** Decodes an `olm.bundle` blob and its embedded objects, failing as opm's readBundleObjects does. */
export function parseBundle(meta: Meta): LoadedBundle {
  const b = decodeTyped<Bundle>(meta, bundleType, "bundle");
  const bundle: LoadedBundle = {
    ...b,
    schema: "olm.bundle",
    package: b.package ?? "",
    name: b.name ?? "",
    image: b.image ?? "",
    properties: b.properties ?? [],
    origin: meta.origin,
  };
  const objects: string[] = [];
  bundle.properties.forEach((p, i) => {
    if (p.type !== PROP_BUNDLE_OBJECT) return;
    try {
      const v = decodeGo(p.value, goStruct("property.BundleObject", { data: goBytes }), "property.BundleObject") as {
        data?: string;
      };
      objects.push(bundleObjectJson(v.data ?? ""));
    } catch (e) {
      throw new UserError(
        `read bundle objects: package "${bundle.package}", bundle "${bundle.name}": parse property at index ${i} as bundle object: ${(e as Error).message}`,
        meta.origin,
        `properties[${i}] (olm.bundle.object)`,
      );
    }
  });
  if (objects.length) bundle.objects = objects;
  return bundle;
}

/** Decodes one base64 `olm.bundle.object` payload (JSON or YAML) to compact JSON text. */
export function bundleObjectJson(data: string): string {
  const text = Buffer.from(data, "base64").toString("utf8");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) return JSON.stringify(JSON.parse(text));
  return JSON.stringify(parseYaml(text, GO_YAML_OPTIONS) ?? null);
}

/** Decodes an `olm.deprecations` blob. */
export function parseDeprecation(meta: Meta): Deprecation {
  const d = decodeTyped<Deprecation>(meta, deprecationType, "deprecation");
  return {
    ...d,
    schema: "olm.deprecations",
    package: d.package ?? "",
    entries: (d.entries ?? []).map((e) => ({
      reference: { schema: e.reference?.schema ?? "", name: e.reference?.name ?? "" },
      message: e.message ?? "",
    })),
    origin: meta.origin,
  };
}
