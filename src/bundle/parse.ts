/**
 * opm's bundleParser.Parse (pkg/registry/parse.go) over BundleFiles: decodes the manifests (first CSV
 * only), checks the CSV's owned CRDs are in the bundle, reads metadata/ (annotations, dependencies,
 * properties) and derives the package and gvk properties. Pure: files in, data out.
 */
import { goArray, goString, goStruct } from "../fbc/gojson.js";
import { CsvSpec, decodeAs, splitCrdName, type ApiKey, type Obj } from "./csv.js";
import type { BundleFile, BundleFiles } from "./files.js";
import { goQuote } from "./gojson-marshal.js";
import { parseRawJson, type RawNode } from "./raw-json.js";
import { decodeYamlOrJson, type DecodedFile } from "./yaml-or-json.js";

/** A property or dependency as opm holds it: a type and the raw JSON bytes of its value. */
export interface RawProperty {
  type: string;
  raw: string;
}

export interface ParsedBundle {
  /** CSV metadata.name. */
  name: string;
  /** The annotations' package (`operators.operatorframework.io.bundle.package.v1`). */
  package: string;
  /** Manifest objects in file order (the first CSV only). */
  objects: Obj[];
  csv: Obj;
  spec: CsvSpec;
  /** metadata/properties.yaml entries, then the derived ones, de-duplicated. */
  properties: RawProperty[];
  /** metadata/dependencies.yaml entries. */
  dependencies: RawProperty[];
  /** APIs the bundle provides (CRD versions, owned API services). */
  providedApis: ApiKey[];
  /** Files skipped with a warning, as opm logs them. */
  warnings: string[];
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Decodes a manifest as an unstructured.Unstructured: an object with a non-empty string `kind`. */
function decodeManifest(f: BundleFile): Obj {
  if (f.dir) throw new Error(`read ${f.name}: is a directory`);
  const text = f.data.toString("utf8");
  const v = decodeYamlOrJson(text).value;
  if (!isObj(v) || typeof v["kind"] !== "string" || v["kind"] === "") throw new Error(`Object 'Kind' is missing in '${text.slice(0, 200)}'`);
  return v;
}

function apiVersionOf(o: Obj): string {
  const av = typeof o["apiVersion"] === "string" ? (o["apiVersion"] as string) : "";
  const i = av.lastIndexOf("/");
  return i === -1 ? av : av.slice(i + 1);
}

const keyOf = (k: ApiKey): string => `${k.group}\u0000${k.version}\u0000${k.kind}\u0000${k.plural}`;

/** APIKey.String() (`group/version/kind (plural)`), and %v of a map of them (fmt sorts keys field by field). */
function formatKey(k: ApiKey): string {
  return `${k.group}/${k.version}/${k.kind} (${k.plural})`;
}
function formatKeySet(keys: ApiKey[]): string {
  const sorted = [...keys].sort((a, b) => {
    for (const f of ["group", "version", "kind", "plural"] as const) if (a[f] !== b[f]) return a[f] < b[f] ? -1 : 1;
    return 0;
  });
  return `map[${sorted.map((k) => `${formatKey(k)}:{}`).join(" ")}]`;
}

const crdType = (v1beta1: boolean) =>
  goStruct("CustomResourceDefinition", {
    spec: goStruct("CustomResourceDefinitionSpec", {
      group: goString,
      names: goStruct("CustomResourceDefinitionNames", { kind: goString, plural: goString }),
      versions: goArray(goStruct("CustomResourceDefinitionVersion", { name: goString }), "[]v1.CustomResourceDefinitionVersion"),
      ...(v1beta1 ? { version: goString } : {}),
    }),
  });

type CrdSpec = { spec?: { group?: string; names?: { kind?: string; plural?: string }; versions?: { name?: string }[]; version?: string } };

/** The APIs a bundle provides: each CRD version (v1 and v1beta1 CRDs), then owned API services. */
export function providedApis(objects: Obj[], spec: CsvSpec): ApiKey[] {
  const out = new Map<string, ApiKey>();
  const add = (k: ApiKey): void => void out.set(keyOf(k), k);
  for (const o of objects) {
    if (o["kind"] !== "CustomResourceDefinition") continue;
    const v = apiVersionOf(o);
    if (v !== "v1" && v !== "v1beta1") continue;
    let crd: CrdSpec;
    try {
      crd = decodeAs<CrdSpec>(o, crdType(v === "v1beta1"), "CustomResourceDefinition") ?? {};
    } catch (e) {
      throw new Error(`error decoding ${v} CRD: ${(e as Error).message}`);
    }
    const s = crd.spec ?? {};
    const base = { group: s.group ?? "", kind: s.names?.kind ?? "", plural: s.names?.plural ?? "" };
    for (const ver of s.versions ?? []) add({ ...base, version: ver?.name ?? "" });
    if (v === "v1beta1" && s.version) add({ ...base, version: s.version });
  }
  for (const api of spec.apiServiceDefinitions().owned) {
    add({ group: api.group ?? "", version: api.version ?? "", kind: api.kind ?? "", plural: api.name ?? "" });
  }
  return [...out.values()];
}

/** The APIs a bundle requires: required CRDs (`plural.group` names) and required API services. */
export function requiredApis(spec: CsvSpec): ApiKey[] {
  const out = new Map<string, ApiKey>();
  for (const d of spec.crdDefinitions().required) {
    const { plural, group } = splitCrdName(d.name ?? "");
    const k = { group, version: d.version ?? "", kind: d.kind ?? "", plural };
    out.set(keyOf(k), k);
  }
  for (const api of spec.apiServiceDefinitions().required) {
    const k = { group: api.group ?? "", version: api.version ?? "", kind: api.kind ?? "", plural: api.name ?? "" };
    out.set(keyOf(k), k);
  }
  return [...out.values()];
}

function checkOwnedApis(name: string, spec: CsvSpec, provided: ApiKey[]): void {
  const have = new Set(provided.map(keyOf));
  for (const d of spec.crdDefinitions().owned) {
    const { plural, group } = splitCrdName(d.name ?? "");
    const k = { group, version: d.version ?? "", kind: d.kind ?? "", plural };
    if (!have.has(keyOf(k))) {
      throw new Error(`error checking provided apis in bundle ${name}: couldn't find ${formatKey(k)} in bundle. found: ${formatKeySet(provided)}`);
    }
  }
}

/** The last key of `o` that matches `name` case-insensitively (exact or folded), as Go's decoder picks it. */
function goKey(o: Obj, name: string): string | undefined {
  let found: string | undefined;
  for (const k of Object.keys(o)) if (k === name || k.toLowerCase() === name.toLowerCase()) found = k;
  return found;
}

/** YAML scalars decoded into a Go string field become strings (sigs.k8s.io/yaml does this). */
function yamlString(v: unknown): unknown {
  return typeof v === "number" || typeof v === "boolean" ? String(v) : v;
}

function stringMap(v: unknown, yaml: boolean): unknown {
  return yaml && isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, yamlString(x)])) : v;
}

interface Annotations {
  package: string;
  channels: string;
  defaultChannel: string;
}

const ANN_PACKAGE = "operators.operatorframework.io.bundle.package.v1";
const ANN_CHANNELS = "operators.operatorframework.io.bundle.channels.v1";
const ANN_DEFAULT = "operators.operatorframework.io.bundle.channel.default.v1";

function readAnnotations(d: DecodedFile): Annotations | undefined {
  if (!isObj(d.value)) throw new Error("not an object");
  const key = goKey(d.value, "annotations");
  const raw = key === undefined ? undefined : stringMap(d.value[key], !d.json);
  const t = goStruct("Annotations", { [ANN_PACKAGE]: goString, [ANN_CHANNELS]: goString, [ANN_DEFAULT]: goString });
  const a = (decodeAs<Record<string, string>>(raw, t, "AnnotationsFile.annotations") ?? {}) as Record<string, string | undefined>;
  const out = { package: a[ANN_PACKAGE] ?? "", channels: a[ANN_CHANNELS] ?? "", defaultChannel: a[ANN_DEFAULT] ?? "" };
  return out.package || out.channels || out.defaultChannel ? out : undefined;
}

/** Reads a `{<listKey>: [{type, value}]}` file (dependencies or properties), keeping raw values. */
function readTypedList(d: DecodedFile, listKey: string): RawProperty[] {
  if (!isObj(d.value)) throw new Error("not an object");
  const key = goKey(d.value, listKey);
  if (key === undefined) return [];
  const list = d.value[key];
  const node = d.tree?.fields?.get(key);
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new Error(`json: cannot unmarshal into Go struct field of type []registry.Property`);
  return list.map((item, i) => {
    if (item === null) return { type: "", raw: "" };
    if (!isObj(item)) throw new Error(`json: cannot unmarshal into Go struct field of type registry.Property`);
    const tk = goKey(item, "type");
    const type = tk === undefined ? undefined : d.json ? item[tk] : yamlString(item[tk]);
    if (type !== undefined && type !== null && typeof type !== "string") throw new Error("json: cannot unmarshal into Go struct field Property.type of type string");
    const vk = goKey(item, "value");
    const raw = vk === undefined ? "" : d.raw(node?.items?.[i]?.fields?.get(vk), item[vk]);
    return { type: (type as string | undefined) ?? "", raw };
  });
}

function tryDecode(f: BundleFile): DecodedFile | undefined {
  if (f.dir) return undefined;
  try {
    return decodeYamlOrJson(f.data.toString("utf8"));
  } catch {
    return undefined;
  }
}

function firstOf<T>(files: (DecodedFile | undefined)[], read: (d: DecodedFile) => T | undefined, nonEmpty: (t: T) => boolean): T | undefined {
  for (const d of files) {
    if (!d) continue;
    try {
      const v = read(d);
      if (v !== undefined && nonEmpty(v)) return v;
    } catch {
      // opm tries every file as every kind; a file of another kind fails to decode and is skipped
    }
  }
  return undefined;
}

/** propertySet: de-duplicates by (type, raw value), keeping the first. */
export function propertySet(props: RawProperty[]): RawProperty[] {
  const seen = new Set<string>();
  return props.filter((p) => {
    const k = `${p.type}\u0000${p.raw}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The raw JSON opm builds for an `olm.package` property (Go struct order; release omitted when empty). */
export function packageRaw(pkg: string, version: string, release: string): string {
  return `{"packageName":${goQuote(pkg)},"version":${goQuote(version)}${release ? `,"release":${goQuote(release)}` : ""}}`;
}

/** The raw JSON of an `olm.gvk` / `olm.gvk.required` value. */
export function gvkRaw(k: { group: string; kind: string; version: string }): string {
  return `{"group":${goQuote(k.group)},"kind":${goQuote(k.kind)},"version":${goQuote(k.version)}}`;
}

function csvPropertiesAnnotation(csv: Obj, warnings: string[]): RawProperty[] {
  const ann = isObj(csv["metadata"]) ? (csv["metadata"] as Obj)["annotations"] : undefined;
  const text = isObj(ann) ? ann["olm.properties"] : undefined;
  if (typeof text !== "string") return [];
  try {
    const tree: RawNode = parseRawJson(text);
    if (!tree.items) throw new Error("json: cannot unmarshal object into Go value of type []registry.Property");
    return tree.items.map((n) => {
      const item = isObj(n.value) ? n.value : {};
      const tk = goKey(item, "type");
      const vk = goKey(item, "value");
      const type = tk === undefined ? "" : item[tk];
      if (typeof type !== "string") throw new Error("json: cannot unmarshal into Go struct field Property.type of type string");
      return { type, raw: vk === undefined ? "" : n.fields!.get(vk)!.raw };
    });
  } catch (e) {
    warnings.push(`failed to unmarshal csv annotation properties: ${(e as Error).message}`);
    return [];
  }
}

/** Parses bundle files as opm's bundleParser.Parse; throws opm's errors. */
export function parseBundleFiles(files: BundleFiles): ParsedBundle {
  const warnings: string[] = [];
  const objects: Obj[] = [];
  let csv: Obj | undefined;
  for (const f of files.manifests) {
    if (f.dir || f.name.startsWith(".")) continue;
    let obj: Obj;
    try {
      obj = decodeManifest(f);
    } catch (e) {
      warnings.push(`failed to decode: ${(e as Error).message}`);
      continue;
    }
    if (obj["kind"] === "ClusterServiceVersion") {
      if (csv) continue;
      csv = obj;
    }
    objects.push(obj);
  }
  if (objects.length === 0) throw new Error("no bundle objects found");
  if (!csv) throw new Error("no csv in bundle");
  const spec = new CsvSpec(csv);
  const meta = isObj(csv["metadata"]) ? (csv["metadata"] as Obj) : {};
  const name = typeof meta["name"] === "string" ? (meta["name"] as string) : "";
  const provided = providedApis(objects, spec);
  checkOwnedApis(name, spec, provided);

  const decoded = files.metadata.map(tryDecode);
  const annotations = firstOf(decoded, readAnnotations, () => true);
  const dependencies = firstOf(decoded, (d) => readTypedList(d, "dependencies"), (l) => l.length > 0) ?? [];
  const fileProps = firstOf(decoded, (d) => readTypedList(d, "properties"), (l) => l.length > 0) ?? [];
  if (!annotations) throw new Error("Could not find annotations file");

  let derived = csvPropertiesAnnotation(csv, warnings);
  try {
    if (annotations.package) derived = [{ type: "olm.package", raw: packageRaw(annotations.package, spec.version(), spec.release()) }, ...derived];
    for (const api of provided) derived.push({ type: "olm.gvk", raw: gvkRaw(api) });
  } catch (e) {
    throw new Error(`failed to derive properties: ${(e as Error).message}`);
  }
  return {
    name,
    package: annotations.package,
    objects,
    csv,
    spec,
    properties: propertySet([...fileProps, ...propertySet(derived)]),
    dependencies,
    providedApis: provided,
    warnings,
  };
}
