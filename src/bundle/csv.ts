/**
 * Reading a ClusterServiceVersion as opm's registry.ClusterServiceVersion does: each accessor decodes one
 * field of `spec` with Go's json rules, so wrong types fail with Go's messages.
 */
import { decodeGo, goArray, goString, goStruct, GoJsonError, type GoType } from "../fbc/gojson.js";

export type Obj = Record<string, unknown>;

/** Group/version/kind/plural of an API, opm's registry.APIKey. */
export interface ApiKey {
  group: string;
  version: string;
  kind: string;
  plural: string;
}

/** A CSV `owned`/`required` entry (opm's DefinitionKey). */
export interface DefinitionKey {
  group?: string;
  kind?: string;
  name?: string;
  version?: string;
}

const definitionKey = goStruct("DefinitionKey", { group: goString, kind: goString, name: goString, version: goString });
const definitions = goStruct("definitions", {
  owned: goArray(definitionKey, "[]*registry.DefinitionKey"),
  required: goArray(definitionKey, "[]*registry.DefinitionKey"),
});

/** Decodes with Go's rules, turning a type mismatch into an Error with Go's text. */
export function decodeAs<T>(value: unknown, t: GoType, name: string): T {
  try {
    return decodeGo(value, t, name) as T;
  } catch (e) {
    if (e instanceof GoJsonError) throw new Error(e.message);
    throw e;
  }
}

function goKindOf(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v === "boolean" ? "bool" : typeof v;
}

/** A CSV's spec as opm holds it (json.RawMessage): absent is an error when any field is read. */
export class CsvSpec {
  private readonly spec: Obj | undefined;

  constructor(readonly csv: Obj) {
    const s = csv["spec"];
    if (s !== undefined && s !== null && (typeof s !== "object" || Array.isArray(s))) {
      throw new Error(`json: cannot unmarshal ${goKindOf(s)} into Go value of type map[string]*json.RawMessage`);
    }
    this.spec = s === undefined ? undefined : ((s ?? {}) as Obj);
  }

  private field(key: string): unknown {
    if (this.spec === undefined) throw new Error("unexpected end of JSON input");
    return this.spec[key];
  }

  private stringField(key: string): string {
    const v = this.field(key);
    if (v === undefined || v === null) return "";
    if (typeof v !== "string") throw new Error(`json: cannot unmarshal ${goKindOf(v)} into Go value of type string`);
    return v;
  }

  /** `spec.version` (opm's GetVersion). */
  version(): string {
    return this.stringField("version");
  }

  /** `spec.release`, a string or a number printed as Go does (opm's GetRelease, v1.62+). */
  release(): string {
    const v = this.field("release");
    if (v === undefined || v === null) return "";
    if (typeof v === "string") return v;
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : goFormatG(v);
    throw new Error("release field must be a string or number");
  }

  /** Owned and required CRD definitions (opm's GetCustomResourceDefintions). */
  crdDefinitions(): { owned: DefinitionKey[]; required: DefinitionKey[] } {
    const d = decodeAs<{ owned?: DefinitionKey[]; required?: DefinitionKey[] }>(this.field("customresourcedefinitions"), definitions, "definitions") ?? {};
    return { owned: d.owned ?? [], required: d.required ?? [] };
  }

  /** Owned and required API service definitions (opm's GetApiServiceDefinitions). */
  apiServiceDefinitions(): { owned: DefinitionKey[]; required: DefinitionKey[] } {
    if (this.spec === undefined) throw new Error("error unmarshaling into object map: unexpected end of JSON input");
    const d = decodeAs<{ owned?: DefinitionKey[]; required?: DefinitionKey[] }>(this.spec["apiservicedefinitions"], definitions, "definitions") ?? {};
    return { owned: d.owned ?? [], required: d.required ?? [] };
  }

  /** `spec.relatedImages` as {name, image} pairs (declcfg.RelatedImage). */
  relatedImages(): { name: string; image: string }[] {
    const t = goArray(goStruct("RelatedImage", { name: goString, image: goString }), "[]declcfg.RelatedImage");
    const list = decodeAs<{ name?: string; image?: string }[] | undefined>(this.field("relatedImages"), t, "RelatedImage") ?? [];
    return list.map((r) => ({ name: r?.name ?? "", image: r?.image ?? "" }));
  }

  /** Container and init container images of the deployment install strategy (opm's GetOperatorImages). */
  operatorImages(): string[] {
    if (this.spec === undefined) throw new Error("unexpected end of JSON input");
    const container = goStruct("Container", { image: goString });
    const podSpec = goStruct("PodSpec", { containers: goArray(container, "[]v1.Container"), initContainers: goArray(container, "[]v1.Container") });
    const t = goStruct("csvSpec", {
      install: goStruct("strategy", {
        strategy: goString,
        spec: goStruct("strategySpec", {
          deployments: goArray(
            goStruct("dep", { name: goString, spec: goStruct("DeploymentSpec", { template: goStruct("PodTemplateSpec", { spec: podSpec }) }) }),
            "[]registry.dep",
          ),
        }),
      }),
    });
    type C = { image?: string };
    type S = { install?: { strategy?: string; spec?: { deployments?: { spec?: { template?: { spec?: { containers?: C[]; initContainers?: C[] } } } }[] } } };
    const s = decodeAs<S>(this.spec, t, "csvSpec") ?? {};
    if (s.install?.strategy !== "deployment") return [];
    const out: string[] = [];
    for (const d of s.install.spec?.deployments ?? []) {
      const pod = d?.spec?.template?.spec;
      for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) out.push(c?.image ?? "");
    }
    return out;
  }
}

/** Go's %g for a float64: shortest digits, exponent form when the exponent is < -4 or >= 6. */
export function goFormatG(n: number): string {
  const exp = n === 0 ? 0 : Number(n.toExponential().split("e")[1]);
  const shortest = String(n);
  if (exp < -4 || exp >= 6) {
    const [m, e] = n.toExponential().split("e") as [string, string];
    const sign = e.startsWith("-") ? "-" : "+";
    const abs = e.replace(/^[-+]/, "");
    return `${m}e${sign}${abs.padStart(2, "0")}`;
  }
  return shortest;
}

/** Splits a CRD definition name `plural.group`, as opm does (error when there is no dot). */
export function splitCrdName(name: string): { plural: string; group: string } {
  const i = name.indexOf(".");
  if (i === -1) throw new Error(`couldn't parse plural.group from crd name: ${name}`);
  return { plural: name.slice(0, i), group: name.slice(i + 1) };
}
