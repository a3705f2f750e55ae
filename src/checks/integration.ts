/**
 * The integration layer: the catalog of a change against the catalog of its base ref, as clusters that
 * installed from the base would see it. Per channel, every CSV of the base (its head first) and every CSV of
 * the new channel must still reach the new head by OLM v0's walk; removed bundles and channels are reported;
 * every upgrade step must keep the CRD versions objects are stored and served in.
 */
import { channelEdges, channelGraph, upgradeCandidates, type ChannelGraph, type InstalledCsv } from "../graph/upgrade.js";
import type { ModelBundle, ModelPackage } from "../fbc/model.js";
import { compareSemver } from "../fbc/version.js";
import { errorMessage } from "../util/errors.js";
import type { LoadedCatalog } from "./catalog-tree.js";
import { crdChanges } from "./crd-compat.js";
import { bundleManifests } from "./manifests.js";
import type { Finding, Severity } from "./report.js";

/**
 * OLM's walk from an installed CSV to the head, for a CSV that may no longer be in the catalog (src/graph's
 * upgradeWalk resolves its start in the model, so a removed bundle cannot be its start).
 */
export function walkToHead(graph: ChannelGraph, from: InstalledCsv): { path: string[]; stuck?: InstalledCsv } {
  const path = [from.name];
  let cur = from;
  const seen = new Set(path);
  while (cur.name !== graph.head.name) {
    const next = upgradeCandidates(graph, cur)[0];
    if (!next || seen.has(next.name)) return { path, stuck: cur };
    seen.add(next.name);
    path.push(next.name);
    cur = next;
  }
  return { path };
}

function tryGraph(pkg: ModelPackage, channel: string): { graph?: ChannelGraph; error?: string } {
  try {
    return { graph: channelGraph(new Map([[pkg.name, pkg]]), pkg.name, channel) };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

interface Ctx {
  operator: string;
  add: (rule: string, severity: Severity, message: string, bundle?: string) => void;
}

/** Upgrade steps of a channel whose CRDs to compare: every edge of the new graph, plus the first step out of each removed bundle. */
function checkCrdSteps(ctx: Ctx, steps: [ModelBundle, ModelBundle][], seen: Set<string>): void {
  for (const [from, to] of steps) {
    const key = `${from.name}\u0000${to.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const a = bundleManifests(from);
    const b = bundleManifests(to);
    if (a.objectCount === 0 || b.objectCount === 0) continue;
    for (const c of crdChanges(a, b)) ctx.add(c.rule, c.severity, `upgrade ${from.name} -> ${to.name}: ${c.message}`, to.name);
  }
}

/** Checks one channel of the new catalog against the same channel of the base (absent for a new channel). */
function checkChannel(ctx: Ctx, headPkg: ModelPackage, channel: string, basePkg: ModelPackage | undefined, crdSeen: Set<string>): void {
  const baseCh = basePkg?.channels.get(channel);
  const { graph, error } = tryGraph(headPkg, channel);
  if (!graph) return ctx.add("channel-graph", "error", `channel ${channel}: ${error}`);
  const baseHead = baseCh ? tryGraph(basePkg!, channel).graph?.head : undefined;
  if (baseHead && compareSemver(graph.head.version, baseHead.version) < 0) {
    ctx.add("head-downgrade", "error", `channel ${channel}: the head goes back from ${baseHead.name} (${baseHead.version}) to ${graph.head.name} (${graph.head.version})`, graph.head.name);
  }
  const starts = new Map<string, ModelBundle>();
  for (const b of baseCh?.bundles.values() ?? []) starts.set(b.name, b);
  for (const b of graph.entries.values()) starts.set(b.name, b);
  const steps: [ModelBundle, ModelBundle][] = [];
  for (const from of [...starts.values()].sort((a, b) => compareSemver(a.version, b.version))) {
    const removed = !graph.entries.has(from.name);
    const wasHead = baseHead?.name === from.name;
    const walk = walkToHead(graph, from);
    if (walk.stuck) {
      const rule = wasHead ? "head-upgrade" : "stranded";
      const what = wasHead ? `the previous head ${from.name}` : removed ? `${from.name} (removed from the channel)` : from.name;
      const via = walk.path.length > 1 ? ` (walk ${walk.path.join(" -> ")} stops at ${walk.stuck.name})` : "";
      ctx.add(rule, "error", `channel ${channel}: ${what} cannot upgrade to the new head ${graph.head.name}${via}: no entry replaces or skips it, or has a skipRange including ${walk.stuck.version}`, from.name);
    } else if (removed) {
      ctx.add("bundle-removed", "warning", `channel ${channel}: ${from.name} was removed; installs of it upgrade ${walk.path.join(" -> ")}`, from.name);
    }
    if (removed && walk.path.length > 1) steps.push([from, graph.entries.get(walk.path[1]!)!]);
  }
  for (const e of channelEdges(graph)) steps.push([graph.entries.get(e.from)!, graph.entries.get(e.to)!]);
  checkCrdSteps(ctx, steps, crdSeen);
}

function realChannels(pkg: ModelPackage): string[] {
  return [...pkg.channels.values()].filter((c) => !c.placeholder).map((c) => c.name).sort();
}

/** Compares a change's catalog with its base catalog, operator by operator (or only the operators in `only`). */
export function checkIntegration(base: LoadedCatalog, head: LoadedCatalog, only?: string[]): Finding[] {
  const findings: Finding[] = [];
  const ops = [...new Set([...base.operators.keys(), ...head.operators.keys()])].filter((o) => !only || only.includes(o)).sort();
  for (const operator of ops) {
    const ctx: Ctx = { operator, add: (rule, severity, message, bundle) => void findings.push({ layer: "integration", rule, severity, operator, bundle, message }) };
    const b = base.operators.get(operator);
    const h = head.operators.get(operator);
    if (!h) {
      ctx.add("operator-removed", "error", `catalog/${operator} was removed: every cluster subscribed to it loses its updates`);
      continue;
    }
    if (h.error || !h.model) {
      ctx.add("load", "error", `cannot check upgrades, the catalog does not load: ${h.error ?? "no model"}`);
      continue;
    }
    if (!b?.model) ctx.add("operator-added", "info", b ? `base catalog did not load (${b.error}); only the new graph is checked` : "new operator: only its own graph is checked");
    const crdSeen = new Set<string>();
    for (const basePkg of b?.model?.values() ?? []) {
      const headPkg = h.model.get(basePkg.name);
      if (!headPkg) {
        ctx.add("package-removed", "error", `package ${basePkg.name} was removed: every cluster subscribed to it loses its updates`);
        continue;
      }
      for (const ch of realChannels(basePkg)) {
        if (!realChannels(headPkg).includes(ch)) ctx.add("channel-removed", "error", `channel ${ch} of ${basePkg.name} was removed: subscriptions to it get no more updates`);
      }
      const added = realChannels(headPkg).filter((c) => !basePkg.channels.has(c));
      if (added.length && b?.model) ctx.add("channel-added", "info", `new channel(s): ${added.join(", ")}`);
    }
    for (const headPkg of h.model.values()) {
      for (const ch of realChannels(headPkg)) checkChannel(ctx, headPkg, ch, b?.model?.get(headPkg.name), crdSeen);
    }
    const channels = [...h.model.values()].reduce((n, p) => n + p.channels.size, 0);
    if (!findings.some((f) => f.operator === operator && f.severity === "error")) ctx.add("upgrades", "info", `${channels} channel(s): every previous CSV reaches the new head`);
  }
  return findings;
}
