/**
 * From a parsed bundle to the `olm.bundle` blob `opm render` prints: opm's ObjectsAndPropertiesFromBundle
 * (properties sorted by type and raw value), getRelatedImages, and render.Run's final touches (bundle
 * objects moved last, related images sorted by image). The image is applied separately (withImage), so a
 * rendering can be cached by content and reused for any reference to it.
 */
import type { Property, RelatedImage } from "../fbc/types.js";
import { goStruct, goString } from "../fbc/gojson.js";
import type { RenderedBundle } from "./source.js";
import { decodeAs } from "./csv.js";
import { compareBytes, goMarshal, goQuote } from "./gojson-marshal.js";
import { gvkRaw, packageRaw, requiredApis, type ParsedBundle, type RawProperty } from "./parse.js";

const gvkType = goStruct("GVK", { group: goString, kind: goString, version: goString });
const packageType = goStruct("Package", { packageName: goString, version: goString, release: goString });

type Gvk = { group: string; kind: string; version: string };

function parseRaw<T>(p: RawProperty, idx: number, t: Parameters<typeof decodeAs>[1]): T {
  try {
    if (p.raw === "") throw new Error("unexpected end of JSON input");
    return (decodeAs<T>(JSON.parse(p.raw), t, (t as { name: string }).name) ?? {}) as T;
  } catch (e) {
    throw new Error(`parse property[${idx}] of type "${p.type}": ${(e as Error).message}`);
  }
}

/** opm's ObjectsAndPropertiesFromBundle: the sorted property list and each object's JSON. */
export function bundleProperties(b: ParsedBundle): { properties: RawProperty[]; objects: string[] } {
  const provided = new Map<string, Gvk>();
  const required = new Map<string, Gvk>();
  const key = (g: Gvk): string => `${g.group}\u0000${g.kind}\u0000${g.version}`;
  let pkg: RawProperty | undefined;
  const others: RawProperty[] = [];
  b.properties.forEach((p, i) => {
    if (p.type === "olm.gvk") {
      const v = parseRaw<Partial<Gvk>>(p, i, gvkType);
      const g = { group: v.group ?? "", kind: v.kind ?? "", version: v.version ?? "" };
      provided.set(key(g), g);
    } else if (p.type === "olm.package") {
      const v = parseRaw<{ packageName?: string; version?: string; release?: string }>(p, i, packageType);
      pkg = { type: "olm.package", raw: packageRaw(v.packageName ?? "", v.version ?? "", v.release ?? "") };
    } else others.push(p);
  });
  const packageRequired: RawProperty[] = [];
  b.dependencies.forEach((p, i) => {
    if (p.type === "olm.gvk") {
      const v = parseRaw<Partial<Gvk>>(p, i, gvkType);
      const g = { group: v.group ?? "", kind: v.kind ?? "", version: v.version ?? "" };
      required.set(key(g), g);
    } else if (p.type === "olm.package") {
      const v = parseRaw<{ packageName?: string; version?: string }>(p, i, packageType);
      packageRequired.push({ type: "olm.package.required", raw: `{"packageName":${goQuote(v.packageName ?? "")},"versionRange":${goQuote(v.version ?? "")}}` });
    } else others.push(p);
  });
  let version: string;
  let release: string;
  try {
    version = b.spec.version();
  } catch (e) {
    throw new Error(`get version: ${(e as Error).message}`);
  }
  try {
    release = b.spec.release();
  } catch (e) {
    throw new Error(`get release: ${(e as Error).message}`);
  }
  for (const api of b.providedApis) {
    const g = { group: api.group, kind: api.kind, version: api.version };
    if (!provided.has(key(g))) provided.set(key(g), g);
  }
  for (const api of requiredApis(b.spec)) {
    const g = { group: api.group, kind: api.kind, version: api.version };
    if (!required.has(key(g))) required.set(key(g), g);
  }
  const objects = b.objects.map(goMarshal);
  const props: RawProperty[] = objects.map((o) => ({ type: "olm.bundle.object", raw: `{"data":"${Buffer.from(o, "utf8").toString("base64")}"}` }));
  props.push(pkg ?? { type: "olm.package", raw: packageRaw(b.package, version, release) });
  for (const g of provided.values()) props.push({ type: "olm.gvk", raw: gvkRaw(g) });
  for (const g of required.values()) props.push({ type: "olm.gvk.required", raw: gvkRaw(g) });
  props.push(...packageRequired, ...others);
  props.sort((x, y) => compareBytes(x.type, y.type) || compareBytes(x.raw, y.raw));
  return { properties: props, objects };
}

/** opm's getRelatedImages without the bundle image: CSV relatedImages, then operator images not yet listed. */
export function csvRelatedImages(b: ParsedBundle): RelatedImage[] {
  const list: RelatedImage[] = b.spec.relatedImages().map((r) => relatedImage(r.image, r.name));
  const seen = new Set(list.map((r) => r.image));
  for (const img of b.spec.operatorImages()) {
    if (!seen.has(img)) list.push(relatedImage(img));
    seen.add(img);
  }
  return list;
}

/** The rendered blob for a parsed bundle, with an empty image (as `opm render <bundle dir>`). */
export function toRenderedBundle(b: ParsedBundle): RenderedBundle {
  let properties: RawProperty[];
  let related: RelatedImage[];
  try {
    properties = bundleProperties(b).properties;
  } catch (e) {
    throw new Error(`get properties for bundle "${b.name}": ${(e as Error).message}`);
  }
  try {
    related = csvRelatedImages(b);
  } catch (e) {
    throw new Error(`get related images for bundle "${b.name}": ${(e as Error).message}`);
  }
  const isObject = (p: RawProperty): boolean => p.type === "olm.bundle.object" || p.type === "olm.csv.metadata";
  const ordered = [...properties.filter((p) => !isObject(p)), ...properties.filter(isObject)];
  return {
    schema: "olm.bundle",
    name: b.name,
    package: b.package,
    image: "",
    properties: ordered.map((p): Property => ({ type: p.type, value: p.raw === "" ? null : JSON.parse(p.raw) })),
    relatedImages: sortRelated(related),
    csvJson: goMarshal(b.csv),
  };
}

/** A related image; opm writes `name: ""` for unnamed ones (declcfg.RelatedImage has no omitempty). */
function relatedImage(image: string, name = ""): RelatedImage {
  return { name, image };
}

function sortRelated(list: RelatedImage[]): RelatedImage[] {
  return [...list].sort((a, b) => compareBytes(a.image, b.image));
}

/**
 * Sets the bundle image as opm does when it renders an image reference: `image` is the reference as
 * typed, and it joins relatedImages (unnamed) unless already listed.
 */
export function withImage(b: RenderedBundle, image: string): RenderedBundle {
  const related = b.relatedImages ?? [];
  const add = image !== "" && !related.some((r) => r.image === image);
  return { ...b, image, relatedImages: sortRelated(add ? [...related, relatedImage(image)] : related) };
}
