/**
 * OLM v0 upgrade graphs, one per channel, and the exact walk a Subscription makes from an installed CSV
 * to the channel head (spec/fbc.md §4).
 *
 * How OLM's resolver picks the next CSV (operator-lifecycle-manager, pkg/controller/registry/resolver):
 * - `sortChannel` orders a channel's entries for the solver: it starts at the head and follows `replaces`,
 *   dropping every entry that another entry of the channel names in `skips`. Entries off that chain, and
 *   skipped entries, are never upgrade targets (a skipped CSV is installable only by naming it as
 *   startingCSV).
 * - From the installed CSV X the candidates are the sorted entries E (E != X) with `E.replaces == X`,
 *   `X ∈ E.skips` (ReplacesPredicate) or `E.skipRange` containing X's version (SkipRangeIncludesPredicate).
 * - The subscription's dependency lists them in that order and the solver takes the first installable one:
 *   the candidate nearest the head wins. OLM then repeats from the new CSV until it sits at the head.
 */
import { channelHead as modelChannelHead, type Model, type ModelBundle, type ModelChannel, type ModelPackage } from "../fbc/model.js";
import { rangeIncludes } from "../fbc/version.js";
import { UserError } from "../util/errors.js";

export type GraphErrorCode =
  | "unknown-package"
  | "unknown-channel"
  | "unknown-csv"
  | "ambiguous-version"
  | "csv-not-in-channel"
  | "invalid-channel"
  | "no-path";

/** A lookup or walk that cannot be answered from the catalog; `code` lets callers map it to their own keys. */
export class GraphError extends UserError {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export type EdgeKind = "replaces" | "skips" | "skipRange";

/** An upgrade OLM may take: from an entry (any entry of the channel) to an upgrade target. */
export interface UpgradeEdge {
  from: string;
  to: string;
  kinds: EdgeKind[];
}

/** A CSV as the resolver sees an installed one: its name and version. */
export interface InstalledCsv {
  name: string;
  version: string;
}

export interface ChannelGraph {
  package: string;
  channel: string;
  head: ModelBundle;
  /** Upgrade targets in the resolver's order, head first: the replaces chain minus skipped entries. */
  targets: ModelBundle[];
  /** Every entry of the channel, by CSV name. */
  entries: Map<string, ModelBundle>;
}

const graphs = new WeakMap<ModelChannel, ChannelGraph>();

/** Names the channels of a package for error messages. */
function channelNames(pkg: ModelPackage): string {
  return [...pkg.channels.keys()].sort().join(", ");
}

/** Looks a package up, failing with the list of known packages. */
export function findPackage(model: Model, pkg: string): ModelPackage {
  const p = model.get(pkg);
  if (!p) {
    throw new GraphError("unknown-package", `unknown package "${pkg}"; the catalog has ${[...model.keys()].sort().join(", ")}`);
  }
  return p;
}

/** Looks a channel up, failing with the channels the package does have. */
export function findChannel(model: Model, pkg: string, channel: string): ModelChannel {
  const p = findPackage(model, pkg);
  const ch = p.channels.get(channel);
  if (!ch || ch.placeholder) {
    throw new GraphError("unknown-channel", `package "${pkg}" has no channel "${channel}"; it has ${channelNames(p)}`);
  }
  return ch;
}

/** Builds (once per loaded channel) the graph the resolver works on: head and ordered upgrade targets. */
export function channelGraph(model: Model, pkg: string, channel: string): ChannelGraph {
  const ch = findChannel(model, pkg, channel);
  const cached = graphs.get(ch);
  if (cached) return cached;
  const where = `channel "${channel}" of package "${pkg}"`;
  const { head, error } = modelChannelHead(ch);
  if (!head) throw new GraphError("invalid-channel", `${where}: ${error}`);
  const skipped = new Set<string>();
  for (const b of ch.bundles.values()) for (const s of b.skips) skipped.add(s);
  const targets: ModelBundle[] = [];
  const seen = new Set<string>();
  for (let cur: ModelBundle | undefined = head; cur; cur = ch.bundles.get(cur.replaces)) {
    if (seen.has(cur.name)) throw new GraphError("invalid-channel", `${where}: a cycle exists in the replaces chain at "${cur.name}"`);
    seen.add(cur.name);
    if (!skipped.has(cur.name)) targets.push(cur);
  }
  const graph: ChannelGraph = { package: pkg, channel, head, targets, entries: ch.bundles };
  graphs.set(ch, graph);
  return graph;
}

/** Why `target` is an upgrade from `from` (empty when it is not): the resolver's two predicates. */
export function edgeKinds(target: ModelBundle, from: InstalledCsv): EdgeKind[] {
  const kinds: EdgeKind[] = [];
  if (target.replaces === from.name) kinds.push("replaces");
  if (target.skips.includes(from.name)) kinds.push("skips");
  if (target.skipRange && rangeIncludes(target.skipRange, from.version)) kinds.push("skipRange");
  return kinds;
}

/** The CSVs OLM would consider next from `from`, in the order the solver prefers them (nearest head first). */
export function upgradeCandidates(graph: ChannelGraph, from: InstalledCsv): ModelBundle[] {
  return graph.targets.filter((t) => t.name !== from.name && edgeKinds(t, from).length > 0);
}

/** Every upgrade edge of a channel, for printing or drawing the graph. */
export function channelEdges(graph: ChannelGraph): UpgradeEdge[] {
  const edges: UpgradeEdge[] = [];
  for (const from of graph.entries.values()) {
    for (const to of upgradeCandidates(graph, from)) edges.push({ from: from.name, to: to.name, kinds: edgeKinds(to, from) });
  }
  return edges;
}

/** The head CSV of a channel by package and channel name: what a subscription ends on. */
export function channelHead(model: Model, pkg: string, channel: string): string {
  return channelGraph(model, pkg, channel).head.name;
}

export interface ResolveOptions {
  /**
   * Accept a CSV that is in another channel of the package, as OLM does after a channel switch: the
   * installed CSV's name and version are matched against this channel's edges.
   */
  crossChannel?: boolean;
}

const stripV = (s: string): string => (/^v\d/.test(s) ? s.slice(1) : s);

/** Turns a CSV name or a version into the installed CSV the walk starts from, with precise errors. */
export function resolveInstalled(model: Model, pkg: string, channel: string, csvOrVersion: string, opts: ResolveOptions = {}): InstalledCsv {
  const p = findPackage(model, pkg);
  const ch = findChannel(model, pkg, channel);
  const inChannel = ch.bundles.get(csvOrVersion);
  if (inChannel) return inChannel;
  const elsewhere = (match: (b: ModelBundle) => boolean): { bundle: ModelBundle; channels: string[] } | undefined => {
    let bundle: ModelBundle | undefined;
    const channels: string[] = [];
    for (const c of p.channels.values()) {
      const b = [...c.bundles.values()].find(match);
      if (b) {
        bundle ??= b;
        channels.push(c.name);
      }
    }
    return bundle ? { bundle, channels: channels.sort() } : undefined;
  };
  const notInChannel = (what: string, found: { bundle: ModelBundle; channels: string[] }): InstalledCsv => {
    if (opts.crossChannel) return found.bundle;
    throw new GraphError(
      "csv-not-in-channel",
      `${what} of package "${pkg}" is not in channel "${channel}"; it is in ${found.channels.join(", ")}`,
    );
  };
  const byName = elsewhere((b) => b.name === csvOrVersion);
  if (byName) return notInChannel(`CSV "${csvOrVersion}"`, byName);
  const version = stripV(csvOrVersion);
  const matches = [...ch.bundles.values()].filter((b) => b.version === version);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new GraphError(
      "ambiguous-version",
      `version ${version} names several CSVs in channel "${channel}" of package "${pkg}": ${matches.map((b) => b.name).sort().join(", ")}`,
    );
  }
  const byVersion = elsewhere((b) => b.version === version);
  if (byVersion) return notInChannel(`version ${version} (${byVersion.bundle.name})`, byVersion);
  throw new GraphError("unknown-csv", `package "${pkg}" has no CSV named or versioned "${csvOrVersion}"`);
}

/** One step of a walk: the CSV reached and the edge kinds that led to it (none for the start). */
export interface UpgradeStep {
  csv: string;
  version: string;
  via: EdgeKind[];
}

/** The walk OLM makes from an installed CSV to the head, with the edge taken at each step. */
export function upgradeWalk(model: Model, pkg: string, channel: string, from: string, opts: ResolveOptions = {}): UpgradeStep[] {
  const graph = channelGraph(model, pkg, channel);
  let cur = resolveInstalled(model, pkg, channel, from, opts);
  const steps: UpgradeStep[] = [{ csv: cur.name, version: cur.version, via: [] }];
  const seen = new Set([cur.name]);
  while (cur.name !== graph.head.name) {
    const next = upgradeCandidates(graph, cur)[0];
    if (!next) {
      throw new GraphError(
        "no-path",
        `no upgrade path from "${cur.name}" (${cur.version}) to the head "${graph.head.name}" of channel "${channel}" of package "${pkg}": ` +
          `no upgrade target of the channel replaces or skips it, or has a skipRange including ${cur.version}`,
      );
    }
    if (seen.has(next.name)) {
      throw new GraphError("no-path", `upgrades from "${from}" in channel "${channel}" of package "${pkg}" loop at "${next.name}"`);
    }
    seen.add(next.name);
    steps.push({ csv: next.name, version: next.version, via: edgeKinds(next, cur) });
    cur = next;
  }
  return steps;
}

/** The sequence of CSVs OLM v0 installs from `from` (a CSV name or version) to the channel head, both included. */
export function upgradePath(model: Model, pkg: string, channel: string, from: string, opts: ResolveOptions = {}): string[] {
  return upgradeWalk(model, pkg, channel, from, opts).map((s) => s.csv);
}
