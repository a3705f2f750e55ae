/**
 * Typed views of the manifests a bundle ships (its `olm.bundle.object` properties, decoded by the loader):
 * the ClusterServiceVersion and the CustomResourceDefinitions. Pure; parsed once per bundle.
 */
import type { ModelBundle } from "../fbc/model.js";

export interface InstallMode {
  type: string;
  supported: boolean;
}

export interface OwnedCrd {
  name: string;
  version: string;
  kind: string;
}

export interface WebhookDefinition {
  type: string;
  generateName: string;
  conversionCRDs: string[];
  /** `group/resource` pairs an admission webhook intercepts. */
  resources: string[];
}

export interface Csv {
  name: string;
  version: string;
  installModes: InstallMode[];
  owned: OwnedCrd[];
  webhooks: WebhookDefinition[];
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
}

export interface Crd {
  name: string;
  group: string;
  kind: string;
  plural: string;
  versions: CrdVersion[];
  conversion: string;
}

export interface BundleManifests {
  csv?: Csv;
  crds: Crd[];
  /** How many objects the bundle carries (0: an image-only bundle, nothing to inspect). */
  objectCount: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

function parseCsv(o: Obj): Csv {
  const spec = obj(o["spec"]);
  const owned = arr(obj(spec["customresourcedefinitions"])["owned"]).map((x) => {
    const d = obj(x);
    return { name: str(d["name"]), version: str(d["version"]), kind: str(d["kind"]) };
  });
  const webhooks = arr(spec["webhookdefinitions"]).map((x) => {
    const w = obj(x);
    const resources = arr(w["rules"]).flatMap((r) => {
      const rule = obj(r);
      const groups = arr(rule["apiGroups"]).map(str);
      return arr(rule["resources"]).flatMap((res) => groups.map((g) => `${g}/${str(res)}`));
    });
    return { type: str(w["type"]), generateName: str(w["generateName"]), conversionCRDs: arr(w["conversionCRDs"]).map(str), resources };
  });
  return {
    name: str(obj(o["metadata"])["name"]),
    version: str(spec["version"]),
    installModes: arr(spec["installModes"]).map((m) => ({ type: str(obj(m)["type"]), supported: obj(m)["supported"] === true })),
    owned,
    webhooks,
  };
}

function parseCrd(o: Obj): Crd {
  const spec = obj(o["spec"]);
  let versions = arr(spec["versions"]).map((v) => {
    const d = obj(v);
    return { name: str(d["name"]), served: d["served"] === true, storage: d["storage"] === true };
  });
  // apiextensions.k8s.io/v1beta1 may give a single spec.version instead of spec.versions.
  if (versions.length === 0 && str(spec["version"])) versions = [{ name: str(spec["version"]), served: true, storage: true }];
  return {
    name: str(obj(o["metadata"])["name"]),
    group: str(spec["group"]),
    kind: str(obj(spec["names"])["kind"]),
    plural: str(obj(spec["names"])["plural"]),
    versions,
    conversion: str(obj(spec["conversion"])["strategy"]) || "None",
  };
}

const cache = new WeakMap<object, BundleManifests>();

/** Decodes a bundle's CSV and CRDs once (bundles are shared by every check that inspects them). */
export function bundleManifests(b: Pick<ModelBundle, "objects">): BundleManifests {
  const hit = cache.get(b);
  if (hit) return hit;
  const out: BundleManifests = { crds: [], objectCount: b.objects.length };
  for (const text of b.objects) {
    // Cheap pre-filter: most objects are neither kind, and CRDs are large.
    const isCsv = text.includes('"ClusterServiceVersion"');
    const isCrd = text.includes('"CustomResourceDefinition"');
    if (!isCsv && !isCrd) continue;
    const o = obj(JSON.parse(text));
    if (o["kind"] === "ClusterServiceVersion") out.csv ??= parseCsv(o);
    else if (o["kind"] === "CustomResourceDefinition") out.crds.push(parseCrd(o));
  }
  cache.set(b, out);
  return out;
}

/** The install modes a CSV supports, for messages and compatibility checks. */
export function supportedInstallModes(csv: Csv | undefined): string[] {
  return (csv?.installModes ?? []).filter((m) => m.supported).map((m) => m.type);
}

/** The storage version of a CRD (undefined when none or several are marked). */
export function storageVersion(crd: Crd): string | undefined {
  const s = crd.versions.filter((v) => v.storage);
  return s.length === 1 ? s[0]!.name : undefined;
}
