/**
 * Checks a stack's operators against the catalog and decides what to deploy, before any resource exists:
 * resolved channel, head, startingCSV and the upgrade path OLM will walk; one OperatorGroup per namespace
 * (OLM allows only one) shaped by the install modes every CSV on those paths supports; CRD ownership.
 * Pure: the model comes in loaded, problems come out naming the stack file and key.
 */
import type { Model } from "../fbc/model.js";
import { channelGraph, findChannel, GraphError, resolveInstalled, upgradePath, type GraphErrorCode } from "../graph/upgrade.js";
import { csvInfo, type CsvInfo } from "./catalog.js";
import { UserError } from "../util/errors.js";
import {
  catalogKey,
  operatorKey,
  PlatformConfigError,
  Problems,
  readPlatformConfig,
  stackFileName,
  type RawConfig,
  type CatalogConfig,
  type ClusterConfig,
  type InstallMode,
  type InstallPlanApproval,
  type OperatorConfig,
  type PlatformConfig,
  type RegistryConfig,
  type SubscriptionConfig,
} from "./config.js";

/** Namespaces in which OLM serves a CatalogSource to Subscriptions of every namespace. */
export const GLOBAL_CATALOG_NAMESPACES = ["olm", "openshift-marketplace"];

export interface OperatorPlan {
  key: string;
  package: string;
  channel: string;
  /** The channel came from the package's defaultChannel. */
  defaultChannel: boolean;
  headCSV: string;
  /** The resolved CSV name when startingCSV was configured (by name or version). */
  startingCSV?: string;
  /** Every CSV OLM installs, from the first (startingCSV, or the head) to the head. */
  upgradePath: string[];
  installPlanApproval: InstallPlanApproval;
  namespace: string;
  /** Subscription name: the package name, as OLM's tooling names them (one per package and namespace). */
  subscriptionName: string;
  config?: SubscriptionConfig;
  timeoutSeconds: number;
  /** APIs (`group/Kind`) owned by any CSV on the path. */
  ownedKinds: string[];
}

export interface OperatorGroupPlan {
  name: string;
  mode: InstallMode;
  /** Undefined for AllNamespaces (an OperatorGroup without targetNamespaces selects all). */
  targetNamespaces?: string[];
}

export interface NamespacePlan {
  name: string;
  create: boolean;
  /** The operator (first by key) whose OperatorInstall creates the Namespace and the OperatorGroup. */
  owner: string;
  operators: string[];
  operatorGroup: OperatorGroupPlan;
}

export interface PlatformPlan {
  stackFile: string;
  catalog: CatalogConfig;
  registry?: RegistryConfig;
  hasRegistryPassword: boolean;
  cluster?: ClusterConfig;
  /** Readiness wait of the CatalogSource (operators have their own). */
  waitTimeoutSeconds: number;
  operators: OperatorPlan[];
  namespaces: NamespacePlan[];
}

const FIELD_OF: Record<GraphErrorCode, string> = {
  "unknown-package": "package",
  "unknown-channel": "channel",
  "invalid-channel": "channel",
  "unknown-csv": "startingCSV",
  "ambiguous-version": "startingCSV",
  "csv-not-in-channel": "startingCSV",
  "no-path": "startingCSV",
};

/** Resolves one operator against the catalog; graph errors become problems on the matching key. */
function planOperator(problems: Problems, model: Model, op: OperatorConfig): { plan: OperatorPlan; csvs: CsvInfo[] } | undefined {
  try {
    const pkg = model.get(op.package);
    const channel = op.channel ?? pkg?.defaultChannel?.name ?? "";
    findChannel(model, op.package, channel);
    const graph = channelGraph(model, op.package, channel);
    const startingCSV = op.startingCSV ? resolveInstalled(model, op.package, channel, op.startingCSV).name : undefined;
    const path = upgradePath(model, op.package, channel, startingCSV ?? graph.head.name);
    const csvs = path.map((name) => csvInfo(graph.entries.get(name)!));
    return {
      csvs,
      plan: {
        key: op.key,
        package: op.package,
        channel,
        defaultChannel: op.channel === undefined,
        headCSV: graph.head.name,
        startingCSV,
        upgradePath: path,
        installPlanApproval: op.installPlanApproval,
        namespace: op.namespace,
        subscriptionName: op.package,
        config: op.config,
        timeoutSeconds: op.timeoutSeconds,
        ownedKinds: [...new Set(csvs.flatMap((c) => c.ownedKinds))].sort(),
      },
    };
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    problems.add(operatorKey(op.key, FIELD_OF[e.code]), e.message);
    return undefined;
  }
}

/** The install mode OLM derives from an OperatorGroup's targetNamespaces for operators in `namespace`. */
export function installModeOf(namespace: string, targetNamespaces: string[]): InstallMode {
  if (targetNamespaces.length === 0) return "AllNamespaces";
  if (targetNamespaces.length > 1) return "MultiNamespace";
  return targetNamespaces[0] === namespace ? "OwnNamespace" : "SingleNamespace";
}

const normalize = (ns: string[]): string[] => [...new Set(ns)].sort();

/** Picks the namespace's one OperatorGroup and checks every CSV of every operator in it supports its mode. */
function planNamespace(problems: Problems, name: string, members: OperatorConfig[], csvsOf: Map<string, CsvInfo[]>): NamespacePlan | undefined {
  const explicit = members.filter((m) => m.targetNamespaces !== undefined);
  const first = explicit[0];
  for (const m of explicit.slice(1)) {
    if (JSON.stringify(normalize(m.targetNamespaces!)) !== JSON.stringify(normalize(first!.targetNamespaces!))) {
      problems.add(
        operatorKey(m.key, "targetNamespaces"),
        `operators "${first!.key}" and "${m.key}" share namespace "${name}", which has one OperatorGroup, but want different targetNamespaces: ` +
          `[${normalize(first!.targetNamespaces!).join(", ")}] vs [${normalize(m.targetNamespaces!).join(", ")}]`,
      );
      return undefined;
    }
  }
  const supportsAll = (mode: InstallMode): boolean =>
    members.every((m) => (csvsOf.get(m.key) ?? []).every((c) => !c.installModes || c.installModes.includes(mode)));
  let targets: string[];
  if (first) {
    targets = normalize(first.targetNamespaces!);
  } else if (supportsAll("AllNamespaces")) {
    targets = [];
  } else if (supportsAll("OwnNamespace")) {
    targets = [name];
  } else {
    const detail = members
      .flatMap((m) => (csvsOf.get(m.key) ?? []).map((c) => `${c.name} supports ${c.installModes?.join(", ") || "no install mode"}`))
      .join("; ");
    problems.add(
      operatorKey(members[0]!.key, "targetNamespaces"),
      `no install mode fits every CSV of the operators in namespace "${name}" (AllNamespaces and OwnNamespace tried): ${detail}; set targetNamespaces`,
    );
    return undefined;
  }
  const mode = installModeOf(name, targets);
  let ok = true;
  for (const m of members) {
    const bad = (csvsOf.get(m.key) ?? []).filter((c) => c.installModes && !c.installModes.includes(mode));
    if (bad.length === 0) continue;
    ok = false;
    const why = m.targetNamespaces ? `targetNamespaces [${normalize(m.targetNamespaces).join(", ")}]` : `the OperatorGroup of namespace "${name}"`;
    problems.add(
      operatorKey(m.key, m.targetNamespaces ? "targetNamespaces" : "namespace"),
      `install mode ${mode} (from ${why}) is not supported by ${bad.map((c) => `${c.name} (supports ${c.installModes!.join(", ") || "none"})`).join(", ")}`,
    );
  }
  if (!ok) return undefined;
  return {
    name,
    create: members.every((m) => m.createNamespace),
    owner: members[0]!.key,
    operators: members.map((m) => m.key),
    operatorGroup: { name: `${name}-operators`, mode, targetNamespaces: mode === "AllNamespaces" ? undefined : targets },
  };
}

/** Two operators owning one API would fight over its CRD: the later one (by key) is reported. */
function checkOwnership(problems: Problems, plans: OperatorPlan[]): void {
  const owner = new Map<string, OperatorPlan>();
  for (const p of plans) {
    const clashes = new Map<string, string[]>();
    for (const kind of p.ownedKinds) {
      const o = owner.get(kind);
      if (o && o.key !== p.key) clashes.set(o.key, [...(clashes.get(o.key) ?? []), kind]);
      else owner.set(kind, p);
    }
    for (const [other, kinds] of clashes) {
      const o = plans.find((x) => x.key === other)!;
      problems.add(
        operatorKey(p.key, "package"),
        `${p.package} owns CRDs that operator "${other}" (${o.package}) also owns: ${kinds.join(", ")} (olm.gvk group/kind)`,
      );
    }
  }
}

/** Validates a stack's config against the catalog and plans every resource, or throws every problem at once. */
export function planPlatform(cfg: PlatformConfig, model: Model): PlatformPlan {
  const problems = new Problems(cfg.stackFile);
  const plan = planInto(problems, cfg, model);
  problems.fail();
  return plan;
}

/**
 * The whole check of a stack, as the program runs it: config shape, then the catalog (loaded from the
 * configured dir), all problems of both reported together.
 */
export function checkPlatform(raw: RawConfig, stack: string, loadModel: (dir: string) => Model): PlatformPlan {
  const problems = new Problems(stackFileName(stack));
  const cfg = readPlatformConfig(raw, problems);
  let model: Model;
  try {
    model = loadModel(cfg.catalog.dir);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    problems.add(catalogKey("dir"), `cannot load the catalog: ${e.message}`);
    throw new PlatformConfigError(problems.list);
  }
  const plan = planInto(problems, cfg, model);
  problems.fail();
  return plan;
}

/** Plans what it can, recording problems. */
function planInto(problems: Problems, cfg: PlatformConfig, model: Model): PlatformPlan {
  const plans: OperatorPlan[] = [];
  const csvsOf = new Map<string, CsvInfo[]>();
  for (const op of cfg.operators) {
    const r = planOperator(problems, model, op);
    if (!r) continue;
    plans.push(r.plan);
    csvsOf.set(op.key, r.csvs);
    const catalogNs = cfg.catalog.namespace;
    if (!GLOBAL_CATALOG_NAMESPACES.includes(catalogNs) && op.namespace !== catalogNs) {
      problems.add(
        operatorKey(op.key, "namespace"),
        `the CatalogSource is in namespace "${catalogNs}", which is not a global catalog namespace (${GLOBAL_CATALOG_NAMESPACES.join(", ")}): ` +
          `a Subscription in "${op.namespace}" cannot use it`,
      );
    }
  }
  const seen = new Map<string, string>();
  for (const p of plans) {
    const id = `${p.namespace}/${p.subscriptionName}`;
    const other = seen.get(id);
    if (other) problems.add(operatorKey(p.key, "namespace"), `operator "${other}" already subscribes to ${p.package} in namespace "${p.namespace}"`);
    seen.set(id, p.key);
  }
  checkOwnership(problems, plans);
  const namespaces: NamespacePlan[] = [];
  const planned = new Set(plans.map((p) => p.key));
  const byNamespace = new Map<string, OperatorConfig[]>();
  for (const op of cfg.operators) byNamespace.set(op.namespace, [...(byNamespace.get(op.namespace) ?? []), op]);
  for (const [name, members] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!members.every((m) => planned.has(m.key))) continue;
    const ns = planNamespace(problems, name, members, csvsOf);
    if (ns) namespaces.push(ns);
  }
  return {
    stackFile: cfg.stackFile,
    catalog: cfg.catalog,
    registry: cfg.registry,
    hasRegistryPassword: cfg.hasRegistryPassword,
    cluster: cfg.cluster,
    waitTimeoutSeconds: cfg.waitTimeoutSeconds,
    operators: plans,
    namespaces,
  };
}
