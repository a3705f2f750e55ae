/**
 * Every upgrade edge a channel declares, whether or not OLM's resolver ever walks it. The resolver only
 * upgrades to entries on the replaces chain that nothing skips (src/graph `targets`); an edge into any
 * other entry is declared but never taken. Pictures and diffs show both, marked.
 */
import type { Model } from "../fbc/model.js";
import { channelGraph, edgeKinds, type EdgeKind } from "../graph/upgrade.js";

export interface DeclaredEdge {
  from: string;
  to: string;
  kinds: EdgeKind[];
  /** Whether OLM v0 can take this edge (its target is an upgrade target of the channel). */
  taken: boolean;
  /** `from` names no entry of the channel (a `replaces` or `skips` of a CSV outside it). */
  external: boolean;
}

/** The declared edges of a channel, in entry order: into each entry, from every CSV it upgrades. */
export function declaredEdges(model: Model, pkg: string, channel: string): DeclaredEdge[] {
  const g = channelGraph(model, pkg, channel);
  const targets = new Set(g.targets.map((t) => t.name));
  const edges: DeclaredEdge[] = [];
  for (const to of g.entries.values()) {
    const sources = new Map<string, { name: string; version: string }>();
    for (const e of g.entries.values()) if (e.name !== to.name) sources.set(e.name, e);
    for (const name of [to.replaces, ...to.skips]) if (name && !sources.has(name) && name !== to.name) sources.set(name, { name, version: "" });
    for (const from of sources.values()) {
      const kinds = edgeKinds(to, from);
      if (kinds.length) edges.push({ from: from.name, to: to.name, kinds, taken: targets.has(to.name), external: !g.entries.has(from.name) });
    }
  }
  return edges;
}
