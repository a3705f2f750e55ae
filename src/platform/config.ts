/**
 * The typed stack configuration of the Pulumi program (namespace `platform:`), parsed from the strings the
 * Pulumi CLI hands a program. Pure: no Pulumi imports. Every problem names the stack file and the key
 * (`Pulumi.dev.yaml: platform:operators.psmdb.channel: ...`) and all problems are reported at once.
 */
import { UserError } from "../util/errors.js";

export const CONFIG_NAMESPACE = "platform";

export type BuildMode = "docker" | "daemonless" | "none";
export type InstallPlanApproval = "Automatic" | "Manual";
export type SecurityContextConfig = "restricted" | "legacy";
export type InstallMode = "AllNamespaces" | "OwnNamespace" | "SingleNamespace" | "MultiNamespace";
export const INSTALL_MODES: InstallMode[] = ["AllNamespaces", "OwnNamespace", "SingleNamespace", "MultiNamespace"];

export interface CatalogConfig {
  /** CatalogSource name. */
  name: string;
  /** Catalog directory, relative to the project root. */
  dir: string;
  /** Repository to push to (build docker/daemonless), or a digest-pinned reference (build none). */
  image?: string;
  build: BuildMode;
  /** Push the built image (`pulumi up` only; preview never pushes). */
  push: boolean;
  namespace: string;
  displayName: string;
  publisher: string;
  /** `host:port` of an already running catalog server, instead of an image. */
  address?: string;
  /** `spec.updateStrategy.registryPoll.interval`, e.g. `10m`. */
  registryPoll?: string;
  securityContextConfig: SecurityContextConfig;
  /** The opm image the catalog image is based on (docker and daemonless builds; see scripts/opm-base.sh offline). */
  opmImage: string;
}

/** The OLM SubscriptionConfig fields the program passes through (`spec.config`). */
export interface SubscriptionConfig {
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  [field: string]: unknown;
}

export interface OperatorConfig {
  /** The short name under `platform:operators`. */
  key: string;
  package: string;
  /** Undefined: the package's default channel (resolved against the catalog and set explicitly). */
  channel?: string;
  startingCSV?: string;
  installPlanApproval: InstallPlanApproval;
  namespace: string;
  createNamespace: boolean;
  /** Undefined: chosen from the CSVs' install modes. */
  targetNamespaces?: string[];
  config?: SubscriptionConfig;
  /** Readiness wait; 0 = do not wait. */
  timeoutSeconds: number;
}

export interface RegistryConfig {
  server: string;
  username: string;
}

export interface ClusterConfig {
  context?: string;
  kubeconfig?: string;
}

export interface PlatformConfig {
  /** `Pulumi.<stack>.yaml`, named in every error. */
  stackFile: string;
  catalog: CatalogConfig;
  /** Sorted by key. */
  operators: OperatorConfig[];
  registry?: RegistryConfig;
  /** True when `platform:registryPassword` is set (its value never enters this object). */
  hasRegistryPassword: boolean;
  cluster?: ClusterConfig;
  waitTimeoutSeconds: number;
}

export interface ConfigProblem {
  file: string;
  key: string;
  message: string;
}

/** All problems of a stack's configuration, each line `Pulumi.<stack>.yaml: <key>: <message>`. */
export class PlatformConfigError extends UserError {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.key}: ${p.message}`).join("\n"));
    this.name = "PlatformConfigError";
  }
}

/** The stack file Pulumi reads a stack's configuration from; errors name it. */
export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** The config key of a field of an operator, as written in errors and in `pulumi config set --path`. */
export function operatorKey(key: string, field?: string): string {
  return `${CONFIG_NAMESPACE}:operators.${key}${field ? `.${field}` : ""}`;
}

/** The config key of a field of the catalog. */
export function catalogKey(field?: string): string {
  return `${CONFIG_NAMESPACE}:catalog${field ? `.${field}` : ""}`;
}

/** Collects problems against one stack file; `fail()` throws them all. */
export class Problems {
  readonly list: ConfigProblem[] = [];
  constructor(readonly file: string) {}
  add(key: string, message: string): void {
    this.list.push({ file: this.file, key, message });
  }
  fail(): void {
    if (this.list.length) throw new PlatformConfigError(this.list);
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const HOST_PORT = /^[^\s/:]+:[0-9]{1,5}$/;

/** Reads typed fields of one config object, recording problems under its key. */
class ObjectReader {
  private readonly used = new Set<string>();
  constructor(
    private readonly problems: Problems,
    readonly key: string,
    private readonly obj: Record<string, unknown>,
  ) {}

  /** A reader of `value`; when it is not an object the problem is recorded and the reader sees `{}`. */
  static of(problems: Problems, key: string, value: unknown): ObjectReader {
    if (value === undefined || value === null) return new ObjectReader(problems, key, {});
    if (typeof value !== "object" || Array.isArray(value)) {
      problems.add(key, `must be an object, got ${JSON.stringify(value)}`);
      return new ObjectReader(problems, key, {});
    }
    return new ObjectReader(problems, key, value as Record<string, unknown>);
  }

  sub(field: string): string {
    return `${this.key}.${field}`;
  }

  raw(field: string): unknown {
    this.used.add(field);
    return this.obj[field];
  }

  string(field: string, check?: (v: string) => string | undefined): string | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" || v === "") {
      this.problems.add(this.sub(field), `must be a non-empty string, got ${JSON.stringify(v)}`);
      return undefined;
    }
    const err = check?.(v);
    if (err) {
      this.problems.add(this.sub(field), err);
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T | undefined {
    return this.string(field, (v) => (values.includes(v as T) ? undefined : `must be one of ${values.join(", ")}, got "${v}"`)) as
      | T
      | undefined;
  }

  boolean(field: string): boolean | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") {
      this.problems.add(this.sub(field), `must be true or false, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  }

  seconds(field: string): number | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null) return undefined;
    return checkSeconds(this.problems, this.sub(field), v);
  }

  strings(field: string, check?: (v: string) => string | undefined): string[] | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) {
      this.problems.add(this.sub(field), `must be a list of strings, got ${JSON.stringify(v)}`);
      return undefined;
    }
    const errs = (v as string[]).map((s) => check?.(s)).filter((e): e is string => !!e);
    if (errs.length) {
      this.problems.add(this.sub(field), errs.join("; "));
      return undefined;
    }
    return v as string[];
  }

  /** Reports fields nobody read: typos such as `chanel` would otherwise be ignored silently. */
  rejectUnknown(hint: Record<string, string> = {}): void {
    for (const k of Object.keys(this.obj)) {
      if (this.used.has(k)) continue;
      const known = [...this.used].sort();
      const near = known.find((u) => u.toLowerCase() === k.toLowerCase() || editDistance(u, k) <= 2);
      const extra = hint[k] ?? (near ? `did you mean "${near}"?` : `known keys: ${known.join(", ")}`);
      this.problems.add(this.sub(k), `unknown key; ${extra}`);
    }
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

function checkSeconds(problems: Problems, key: string, v: unknown): number | undefined {
  const n = typeof v === "string" && /^[0-9]+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    problems.add(key, `must be a whole number of seconds (0 = do not wait), got ${JSON.stringify(v)}`);
    return undefined;
  }
  return n;
}

const dnsLabel = (what: string) => (v: string) =>
  v.length <= 63 && DNS1123_LABEL.test(v) ? undefined : `"${v}" is not a valid ${what} (a DNS-1123 label: lower case alphanumerics and '-')`;

/** True when an image reference is pinned by digest. */
export function isDigestRef(ref: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(ref);
}

/** The registry host of an image reference (docker.io when the first segment is not a host). */
export function registryHost(ref: string): string {
  const first = ref.split("/")[0] ?? "";
  return ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

function parseCatalog(problems: Problems, value: unknown): CatalogConfig {
  const r = ObjectReader.of(problems, catalogKey(), value);
  const name = r.string("name", dnsLabel("CatalogSource name")) ?? "dbaas-catalog";
  const dir = r.string("dir") ?? "catalog";
  const address = r.string("address", (v) => (HOST_PORT.test(v) ? undefined : `must be host:port, got "${v}"`));
  const image = r.string("image", (v) => (/\s/.test(v) ? `"${v}" is not an image reference` : undefined));
  const build = r.oneOf("build", ["docker", "daemonless", "none"] as const) ?? (address || (image && isDigestRef(image)) ? "none" : "daemonless");
  const push = r.boolean("push") ?? true;
  const namespace = r.string("namespace", dnsLabel("namespace")) ?? "olm";
  const displayName = r.string("displayName") ?? "DBaaS operators";
  const publisher = r.string("publisher") ?? "dbaas-catalog";
  const registryPoll = r.string("registryPoll", (v) => (DURATION.test(v) ? undefined : `must be a duration such as 10m or 1h30m, got "${v}"`));
  const securityContextConfig = r.oneOf("securityContextConfig", ["restricted", "legacy"] as const) ?? "restricted";
  const opmImage = r.string("opmImage") ?? "quay.io/operator-framework/opm:v1.73.0";
  r.rejectUnknown();
  if (address && image) problems.add(catalogKey("address"), "set either address (a running catalog server) or image, not both");
  if (address && build !== "none") problems.add(catalogKey("build"), `must be "none" with an address, got "${build}"`);
  if (r.raw("address") === undefined && r.raw("image") === undefined) problems.add(catalogKey("image"), "required: the repository to build into (or a digest-pinned image with build none), unless address is set");
  if (image && build === "none" && !isDigestRef(image)) {
    problems.add(catalogKey("image"), `with build "none" the image must be pinned by digest (…@sha256:<64 hex>), got "${image}"`);
  }
  if (image && build !== "none" && (image.includes("@") || /:[^/]+$/.test(image))) {
    problems.add(catalogKey("image"), `with build "${build}" give the repository only (the tag is the git ref and the digest is computed), got "${image}"`);
  }
  return { name, dir, image, build, push, namespace, displayName, publisher, address, registryPoll, securityContextConfig, opmImage };
}

const SUBSCRIPTION_CONFIG_FIELDS = new Set([
  "env",
  "envFrom",
  "resources",
  "nodeSelector",
  "tolerations",
  "affinity",
  "volumes",
  "volumeMounts",
  "selector",
  "annotations",
]);

function parseSubscriptionConfig(problems: Problems, key: string, value: unknown): SubscriptionConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.add(key, `must be an object (OLM SubscriptionConfig), got ${JSON.stringify(value)}`);
    return undefined;
  }
  const cfg = value as Record<string, unknown>;
  for (const k of Object.keys(cfg)) {
    if (!SUBSCRIPTION_CONFIG_FIELDS.has(k)) problems.add(`${key}.${k}`, `not a SubscriptionConfig field; known: ${[...SUBSCRIPTION_CONFIG_FIELDS].join(", ")}`);
  }
  const env = cfg["env"];
  if (env !== undefined) {
    const ok =
      Array.isArray(env) &&
      env.every(
        (e) =>
          e &&
          typeof e === "object" &&
          typeof (e as Record<string, unknown>)["name"] === "string" &&
          ["string", "undefined"].includes(typeof (e as Record<string, unknown>)["value"]),
      );
    if (!ok) problems.add(`${key}.env`, `must be a list of {name, value} (value a string), got ${JSON.stringify(env)}`);
  }
  const res = cfg["resources"];
  if (res !== undefined) {
    const quantities = (q: unknown): boolean =>
      q === undefined || (!!q && typeof q === "object" && Object.values(q).every((x) => typeof x === "string" || typeof x === "number"));
    const ok = !!res && typeof res === "object" && Object.keys(res).every((k) => k === "limits" || k === "requests") &&
      quantities((res as Record<string, unknown>)["limits"]) && quantities((res as Record<string, unknown>)["requests"]);
    if (!ok) problems.add(`${key}.resources`, `must be {limits?, requests?} of quantities, got ${JSON.stringify(res)}`);
  }
  return cfg as SubscriptionConfig;
}

function parseOperator(problems: Problems, key: string, value: unknown, waitTimeoutSeconds: number): OperatorConfig | undefined {
  const base = operatorKey(key);
  if (dnsLabel("operator key")(key)) problems.add(base, `the short name "${key}" must be a DNS-1123 label (it names resources and the default namespace)`);
  const r = ObjectReader.of(problems, base, value);
  const pkg = r.string("package");
  const channel = r.string("channel");
  const startingCSV = r.string("startingCSV");
  const installPlanApproval = r.oneOf("installPlanApproval", ["Automatic", "Manual"] as const) ?? "Automatic";
  const namespace = r.string("namespace", dnsLabel("namespace")) ?? key;
  const createNamespace = r.boolean("createNamespace") ?? true;
  const targetNamespaces = r.strings("targetNamespaces", dnsLabel("namespace"));
  const config = parseSubscriptionConfig(problems, r.sub("config"), r.raw("config"));
  const timeoutSeconds = r.seconds("timeoutSeconds") ?? waitTimeoutSeconds;
  r.rejectUnknown({ source: "the source is the platform's CatalogSource (platform:catalog)" });
  if (!pkg) {
    if (r.raw("package") === undefined) problems.add(r.sub("package"), "required: the OLM package name");
    return undefined;
  }
  return { key, package: pkg, channel, startingCSV, installPlanApproval, namespace, createNamespace, targetNamespaces, config, timeoutSeconds };
}

/** Raw `platform:*` values: JSON-decoded where the CLI passed JSON (objects, numbers), else the string. */
export type RawConfig = Record<string, unknown>;

/** The secret key read apart from the others, so its value never reaches the typed config. */
export const SECRET_KEYS = ["registryPassword"];
const KNOWN_KEYS = ["catalog", "operators", "registry", "cluster", "waitTimeoutSeconds", ...SECRET_KEYS];

/** Turns the CLI's flat config map (`platform:operators` → JSON text) into raw values; other namespaces are left out. */
export function rawPlatformConfig(all: Record<string, string>): RawConfig {
  const out: RawConfig = {};
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
    const short = k.slice(CONFIG_NAMESPACE.length + 1);
    if (SECRET_KEYS.includes(short)) {
      out[short] = true;
      continue;
    }
    try {
      out[short] = JSON.parse(v);
    } catch {
      out[short] = v;
    }
  }
  return out;
}

/** Validates the raw `platform:` config of a stack into typed config, or throws every problem at once. */
export function parsePlatformConfig(raw: RawConfig, stack: string): PlatformConfig {
  const problems = new Problems(stackFileName(stack));
  const cfg = readPlatformConfig(raw, problems);
  problems.fail();
  return cfg;
}

/**
 * Reads what it can of the raw config, recording problems instead of throwing, so that the catalog
 * checks can still run on the valid part and every problem is reported in one go.
 */
export function readPlatformConfig(raw: RawConfig, problems: Problems): PlatformConfig {
  for (const k of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(k)) problems.add(`${CONFIG_NAMESPACE}:${k}`, `unknown key; known keys: ${KNOWN_KEYS.join(", ")}`);
  }
  const waitTimeoutSeconds =
    raw["waitTimeoutSeconds"] === undefined ? 600 : (checkSeconds(problems, `${CONFIG_NAMESPACE}:waitTimeoutSeconds`, raw["waitTimeoutSeconds"]) ?? 600);
  const catalog = parseCatalog(problems, raw["catalog"]);
  const operators: OperatorConfig[] = [];
  const ops = raw["operators"];
  if (ops === undefined || ops === null || typeof ops !== "object" || Array.isArray(ops) || Object.keys(ops).length === 0) {
    problems.add(`${CONFIG_NAMESPACE}:operators`, "required: an object of operators keyed by short name, e.g. psmdb: {package, channel}");
  } else {
    for (const key of Object.keys(ops).sort()) {
      const op = parseOperator(problems, key, (ops as Record<string, unknown>)[key], waitTimeoutSeconds);
      if (op) operators.push(op);
    }
  }
  let registry: RegistryConfig | undefined;
  if (raw["registry"] !== undefined) {
    const r = ObjectReader.of(problems, `${CONFIG_NAMESPACE}:registry`, raw["registry"]);
    {
      const username = r.string("username");
      const server = r.string("server") ?? (catalog?.image ? registryHost(catalog.image) : undefined);
      r.rejectUnknown({
        password: `never put the password in plain config: pulumi config set --secret ${CONFIG_NAMESPACE}:registryPassword <password>`,
      });
      if (!username) problems.add(r.sub("username"), "required with platform:registry");
      if (!server) problems.add(r.sub("server"), "required when platform:catalog.image does not name the registry");
      if (username && server) registry = { server, username };
    }
  }
  const hasRegistryPassword = raw["registryPassword"] !== undefined;
  if (hasRegistryPassword && !registry) problems.add(`${CONFIG_NAMESPACE}:registryPassword`, "set platform:registry.username too");
  if (registry && !hasRegistryPassword) {
    problems.add(`${CONFIG_NAMESPACE}:registryPassword`, `required with platform:registry: pulumi config set --secret ${CONFIG_NAMESPACE}:registryPassword <password>`);
  }
  let cluster: ClusterConfig | undefined;
  if (raw["cluster"] !== undefined) {
    const r = ObjectReader.of(problems, `${CONFIG_NAMESPACE}:cluster`, raw["cluster"]);
    cluster = { context: r.string("context"), kubeconfig: r.string("kubeconfig") };
    r.rejectUnknown();
  }
  return { stackFile: problems.file, catalog, operators, registry, hasRegistryPassword, cluster, waitTimeoutSeconds };
}
