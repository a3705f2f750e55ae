/**
 * What OLM reports for a deployed platform, judged against what the stack planned (its outputs): the
 * CatalogSource READY, each Subscription AtLatestKnown on the channel head, each installed CSV Succeeded.
 * Pure: the objects come in as read from the API server.
 */
import type { KubeObject } from "./cluster.js";

/** One operator as the stack's `operators` output describes it. */
export interface PlannedOperator {
  key: string;
  package: string;
  channel: string;
  namespace: string;
  headCSV: string;
  startingCSV?: string | null;
  upgradePath: string[];
}

export interface OlmSnapshot {
  catalogSources: KubeObject[];
  subscriptions: KubeObject[];
  csvs: KubeObject[];
  installPlans: KubeObject[];
}

export interface OperatorRow {
  key: string;
  namespace: string;
  subscription: string;
  state: string;
  installedCSV: string;
  csvPhase: string;
}

export interface OlmReport {
  catalogState: string;
  rows: OperatorRow[];
  problems: string[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const at = (o: KubeObject | undefined, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);

/** The stack's `operators` output as a list, sorted by key. */
export function plannedOperators(outputs: Record<string, unknown>): PlannedOperator[] {
  const ops = (outputs["operators"] ?? {}) as Record<string, Omit<PlannedOperator, "key">>;
  return Object.keys(ops)
    .sort()
    .map((key) => ({ key, ...ops[key]! }));
}

/** The Subscription of `pkg` in `namespace`, if any. */
export function findSubscription(subs: KubeObject[], namespace: string, pkg: string): KubeObject | undefined {
  return subs.find((s) => s.metadata.namespace === namespace && at(s, "spec", "name") === pkg);
}

/** Judges the snapshot: one row per planned operator, and every way it falls short of the plan. */
export function olmReport(snap: OlmSnapshot, catalog: { name: string; namespace: string }, planned: PlannedOperator[]): OlmReport {
  const problems: string[] = [];
  const cs = snap.catalogSources.find((c) => c.metadata.name === catalog.name && c.metadata.namespace === catalog.namespace);
  const catalogState = str(at(cs, "status", "connectionState", "lastObservedState")) || (cs ? "(no state)" : "(missing)");
  if (catalogState !== "READY") problems.push(`CatalogSource ${catalog.namespace}/${catalog.name}: ${catalogState}, want READY`);
  const rows = planned.map((op) => {
    const sub = findSubscription(snap.subscriptions, op.namespace, op.package);
    const state = str(at(sub, "status", "state")) || (sub ? "(no state)" : "(missing)");
    const installedCSV = str(at(sub, "status", "installedCSV"));
    const csv = snap.csvs.find((c) => c.metadata.namespace === op.namespace && c.metadata.name === installedCSV);
    const csvPhase = str(at(csv, "status", "phase")) || (installedCSV ? "(missing)" : "");
    const where = `${op.key} (${op.namespace}/${sub?.metadata.name ?? op.package})`;
    if (!sub) problems.push(`${where}: no Subscription`);
    else {
      if (state !== "AtLatestKnown") problems.push(`${where}: Subscription state ${state}, want AtLatestKnown`);
      if (installedCSV !== op.headCSV) problems.push(`${where}: installed ${installedCSV || "nothing"}, want the head ${op.headCSV}`);
      if (installedCSV && csvPhase !== "Succeeded") problems.push(`${where}: CSV ${installedCSV} phase ${csvPhase}, want Succeeded`);
    }
    return { key: op.key, namespace: op.namespace, subscription: sub?.metadata.name ?? "", state, installedCSV, csvPhase };
  });
  return { catalogState, rows, problems };
}

/** The report as aligned text lines (catalog line, then one line per operator). */
export function formatOlmReport(r: OlmReport, catalog: { name: string; namespace: string }): string {
  const head = ["operator", "namespace", "subscription", "state", "installed CSV", "phase"];
  const cells = [head, ...r.rows.map((x) => [x.key, x.namespace, x.subscription, x.state, x.installedCSV, x.csvPhase])];
  const widths = head.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const lines = [`CatalogSource ${catalog.namespace}/${catalog.name}: ${r.catalogState}`];
  for (const c of cells) lines.push(c.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd());
  for (const p of r.problems) lines.push(`PROBLEM: ${p}`);
  return lines.join("\n") + "\n";
}

/**
 * The CSVs OLM installed for a Subscription, in the order it installed them: the InstallPlans of the
 * namespace that name the package's CSVs, by `spec.generation` (OLM numbers a namespace's plans), then
 * creation time.
 */
export function installedSequence(installPlans: KubeObject[], namespace: string, csvPrefix: string): string[] {
  return installPlans
    .filter((ip) => ip.metadata.namespace === namespace)
    .sort(
      (a, b) =>
        Number(at(a, "spec", "generation") ?? 0) - Number(at(b, "spec", "generation") ?? 0) ||
        str(a.metadata.creationTimestamp).localeCompare(str(b.metadata.creationTimestamp)),
    )
    .flatMap((ip) => ((at(ip, "spec", "clusterServiceVersionNames") as string[] | undefined) ?? []).filter((n) => n.startsWith(csvPrefix)));
}

/**
 * OLM objects a destroy must leave gone: Subscriptions, CSVs and InstallPlans in the stack's `namespaces`,
 * the CSV copies OLM made of them in other namespaces (label `olm.copiedFrom`), and the stack's CatalogSource.
 */
export function leftovers(snap: OlmSnapshot, namespaces: string[], catalog: { name: string; namespace: string }): string[] {
  const out: string[] = [];
  const inNs = (o: KubeObject) => namespaces.includes(o.metadata.namespace ?? "") || namespaces.includes(o.metadata.labels?.["olm.copiedFrom"] ?? "");
  for (const [kind, list] of [
    ["Subscription", snap.subscriptions],
    ["ClusterServiceVersion", snap.csvs],
    ["InstallPlan", snap.installPlans],
  ] as const) {
    for (const o of list.filter(inNs)) out.push(`${kind} ${o.metadata.namespace}/${o.metadata.name}`);
  }
  for (const c of snap.catalogSources.filter((c) => c.metadata.name === catalog.name && c.metadata.namespace === catalog.namespace)) {
    out.push(`CatalogSource ${c.metadata.namespace}/${c.metadata.name}`);
  }
  return out.sort();
}
