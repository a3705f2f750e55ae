/**
 * What changed between two states of a catalog, as a reviewer of a catalog PR needs it: packages,
 * default channels, package description and icon, channels and their heads, bundles added, removed or
 * moved between channels, and upgrade edges (declared edges by kind; and edges OLM v0 stops or starts
 * taking). Pure: two loaded catalogs in, plain data out.
 */
import { convertToModel, channelHead, type Model, type ModelPackage } from "../fbc/model.js";
import type { DeclarativeConfig, Package } from "../fbc/types.js";
import type { EdgeKind } from "../graph/upgrade.js";
import { declaredEdges } from "../plan/declared-edges.js";
import { listChange } from "../plan/step-changes.js";
import { UserError, errorMessage } from "../util/errors.js";

export interface Change<T> {
  from?: T;
  to?: T;
}

export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
}

export interface ChannelDiff {
  channel: string;
  head?: Change<string>;
  bundlesAdded: string[];
  bundlesRemoved: string[];
  edgesAdded: Edge[];
  edgesRemoved: Edge[];
  /** Edges declared in both states that OLM v0 took before and no longer takes (target now skipped). */
  edgesNoLongerTaken: Edge[];
  /** Edges declared in both states that OLM v0 now takes and did not before. */
  edgesNowTaken: Edge[];
}

export interface BundleMove {
  bundle: string;
  addedTo: string[];
  removedFrom: string[];
}

export interface PackageDiff {
  package: string;
  status: "added" | "removed" | "changed";
  defaultChannel?: Change<string>;
  description?: Change<string>;
  /** The icon as `mediatype, N bytes`. */
  icon?: Change<string>;
  channelsAdded: { channel: string; head: string }[];
  channelsRemoved: string[];
  bundlesAdded: { bundle: string; version: string }[];
  bundlesRemoved: { bundle: string; version: string }[];
  bundlesMoved: BundleMove[];
  channels: ChannelDiff[];
}

export interface CatalogDiff {
  from: string;
  to: string;
  packages: PackageDiff[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function model(cfg: DeclarativeConfig, label: string): Model {
  try {
    return convertToModel(cfg);
  } catch (e) {
    throw new UserError(`${label}: ${errorMessage(e)}`);
  }
}

function headOf(m: Model, pkg: string, channel: string): string {
  const ch = m.get(pkg)?.channels.get(channel);
  if (!ch) return "";
  const { head, error } = channelHead(ch);
  return head?.name ?? `(${error})`;
}

/** Bundle name → version and the channels listing it. */
function bundlesOf(p: ModelPackage | undefined): Map<string, { version: string; channels: Set<string> }> {
  const out = new Map<string, { version: string; channels: Set<string> }>();
  for (const ch of p?.channels.values() ?? []) {
    for (const b of ch.bundles.values()) {
      const e = out.get(b.name) ?? { version: b.version, channels: new Set<string>() };
      e.channels.add(ch.name);
      out.set(b.name, e);
    }
  }
  return out;
}

/** Declared edges of a channel expanded to one per kind, keyed `from|to|kind`, with whether OLM takes it. */
function edgesOf(m: Model, pkg: string, channel: string): Map<string, Edge & { taken: boolean }> {
  const out = new Map<string, Edge & { taken: boolean }>();
  if (!m.get(pkg)?.channels.has(channel)) return out;
  let declared;
  try {
    declared = declaredEdges(m, pkg, channel);
  } catch {
    return out; // a channel without a single head has no walkable graph; its head change says why
  }
  for (const e of declared) for (const kind of e.kinds) out.set(`${e.from}|${e.to}|${kind}`, { from: e.from, to: e.to, kind, taken: e.taken });
  return out;
}

const plain = ({ from, to, kind }: Edge): Edge => ({ from, to, kind });

function channelDiff(a: Model, b: Model, pkg: string, channel: string): ChannelDiff | undefined {
  const ca = a.get(pkg)!.channels.get(channel)!;
  const cb = b.get(pkg)!.channels.get(channel)!;
  const bundles = listChange([...ca.bundles.keys()], [...cb.bundles.keys()]);
  const ea = edgesOf(a, pkg, channel);
  const eb = edgesOf(b, pkg, channel);
  const edges = listChange([...ea.keys()], [...eb.keys()]);
  const both = [...ea.keys()].filter((k) => eb.has(k)).sort(byText);
  const ha = headOf(a, pkg, channel);
  const hb = headOf(b, pkg, channel);
  const d: ChannelDiff = {
    channel,
    ...(ha !== hb ? { head: { from: ha, to: hb } } : {}),
    bundlesAdded: bundles.added,
    bundlesRemoved: bundles.removed,
    edgesAdded: edges.added.map((k) => plain(eb.get(k)!)),
    edgesRemoved: edges.removed.map((k) => plain(ea.get(k)!)),
    edgesNoLongerTaken: both.filter((k) => ea.get(k)!.taken && !eb.get(k)!.taken).map((k) => plain(eb.get(k)!)),
    edgesNowTaken: both.filter((k) => !ea.get(k)!.taken && eb.get(k)!.taken).map((k) => plain(eb.get(k)!)),
  };
  const empty = !d.head && [d.bundlesAdded, d.bundlesRemoved, d.edgesAdded, d.edgesRemoved, d.edgesNoLongerTaken, d.edgesNowTaken].every((x) => !x.length);
  return empty ? undefined : d;
}

function change<T>(from: T | undefined, to: T | undefined, same = (x: T | undefined, y: T | undefined) => x === y): Change<T> | undefined {
  if (same(from, to)) return undefined;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function iconChange(a: Package | undefined, b: Package | undefined): Change<string> | undefined {
  const ia = a?.icon;
  const ib = b?.icon;
  if (ia?.base64data === ib?.base64data && ia?.mediatype === ib?.mediatype) return undefined;
  const describe = (i: NonNullable<Package["icon"]> | undefined): string | undefined =>
    !i ? undefined : !i.base64data && !i.mediatype ? "empty (no data, no mediatype)" : `${i.mediatype || "no mediatype"}, ${Math.floor((i.base64data.replace(/=+$/, "").length * 3) / 4)} bytes`;
  const [from, to] = [describe(ia), describe(ib)];
  return from === to ? { from, to: `${to} (new image)` } : change(from, to);
}

function packageDiff(a: Model, b: Model, ca: DeclarativeConfig, cb: DeclarativeConfig, pkg: string): PackageDiff | undefined {
  const pa = a.get(pkg);
  const pb = b.get(pkg);
  const blobA = ca.packages.find((p) => p.name === pkg);
  const blobB = cb.packages.find((p) => p.name === pkg);
  const chA = [...(pa?.channels.keys() ?? [])];
  const chB = [...(pb?.channels.keys() ?? [])];
  const channels = listChange(chA, chB);
  const ba = bundlesOf(pa);
  const bb = bundlesOf(pb);
  const bundles = listChange([...ba.keys()], [...bb.keys()]);
  const moved: BundleMove[] = [];
  for (const name of [...ba.keys()].filter((n) => bb.has(n)).sort(byText)) {
    const m = listChange([...ba.get(name)!.channels], [...bb.get(name)!.channels]);
    if (m.added.length || m.removed.length) moved.push({ bundle: name, addedTo: m.added, removedFrom: m.removed });
  }
  const d: PackageDiff = {
    package: pkg,
    status: !pa ? "added" : !pb ? "removed" : "changed",
    channelsAdded: channels.added.map((channel) => ({ channel, head: headOf(b, pkg, channel) })),
    channelsRemoved: channels.removed,
    bundlesAdded: bundles.added.map((bundle) => ({ bundle, version: bb.get(bundle)!.version })),
    bundlesRemoved: bundles.removed.map((bundle) => ({ bundle, version: ba.get(bundle)!.version })),
    bundlesMoved: moved,
    channels: pa && pb ? chA.filter((c) => pb.channels.has(c)).sort(byText).map((c) => channelDiff(a, b, pkg, c)).filter((x): x is ChannelDiff => !!x) : [],
  };
  const dc = change(pa?.defaultChannel?.name, pb?.defaultChannel?.name);
  if (dc) d.defaultChannel = dc;
  const desc = change(blobA?.description || undefined, blobB?.description || undefined);
  if (desc) d.description = desc;
  const icon = iconChange(blobA, blobB);
  if (icon) d.icon = icon;
  const empty =
    d.status === "changed" &&
    !d.defaultChannel && !d.description && !d.icon &&
    [d.channelsAdded, d.channelsRemoved, d.bundlesAdded, d.bundlesRemoved, d.bundlesMoved, d.channels].every((x) => !x.length);
  return empty ? undefined : d;
}

/** Compares two catalog states (`from` → `to`); packages that did not change are left out. */
export function diffCatalogs(from: { label: string; cfg: DeclarativeConfig }, to: { label: string; cfg: DeclarativeConfig }): CatalogDiff {
  const a = model(from.cfg, from.label);
  const b = model(to.cfg, to.label);
  const names = [...new Set([...a.keys(), ...b.keys()])].sort(byText);
  return {
    from: from.label,
    to: to.label,
    packages: names.map((n) => packageDiff(a, b, from.cfg, to.cfg, n)).filter((x): x is PackageDiff => !!x),
  };
}
