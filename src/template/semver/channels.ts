/**
 * Channel generation, edge linking and default-channel choice of the semver template: pure functions
 * over (archetype → bundle name → version), in opm v1.73's form and in the veneer-era (v1.26.4) form.
 */
import type { Channel, ChannelEntry } from "../../fbc/types.js";
import { compareSemver, majorMinor } from "../../fbc/version.js";
import { ARCHETYPES, ARCHETYPE_PRIORITY, type Archetype, type StreamKind } from "./types.js";

export type ArchetypeVersions = Record<Archetype, Map<string, string>>;

export interface ChannelOptions {
  major: boolean;
  minor: boolean;
  preference: "" | StreamKind;
  avoidSkipPatch: boolean;
}

export interface GeneratedChannels {
  channels: Channel[];
  defaultChannel: string;
}

const KIND_PRIORITY: Record<"" | StreamKind, number> = { minor: 2, major: 1, "": 0 };

function channelName(arch: Archetype, kind: StreamKind, v: string): string {
  const { major, minor } = majorMinor(v);
  return kind === "major" ? `${arch}-v${major}` : `${arch}-v${major}.${minor}`;
}

function byVersion(m: Map<string, string>): string[] {
  return [...m.keys()].sort((a, b) => compareSemver(m.get(a)!, m.get(b)!));
}

const byName = (a: Channel, b: Channel): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedUnique = (s: Iterable<string>): string[] => [...new Set(s)].sort();

interface Tuple {
  arch: Archetype;
  kind: StreamKind;
  channel: Channel;
  name: string;
  version: string;
  index: number;
}

interface Highwater {
  arch: Archetype;
  kind: "" | StreamKind;
  version: string;
  name: string;
}

function hwGreater(h: Highwater, cur: Highwater, pref: "" | StreamKind): boolean {
  if (ARCHETYPE_PRIORITY[h.arch] !== ARCHETYPE_PRIORITY[cur.arch]) return ARCHETYPE_PRIORITY[h.arch] > ARCHETYPE_PRIORITY[cur.arch];
  const c = compareSemver(h.version, cur.version);
  if (c !== 0) return c > 0;
  if (h.kind !== cur.kind) {
    if (h.kind === pref) return true;
    if (cur.kind === pref) return false;
    return KIND_PRIORITY[h.kind] > KIND_PRIORITY[cur.kind];
  }
  return false;
}

/** opm v1.61+ (v1.73): one global pass over (archetype, kind, version); cumulative skips within each major. */
export function generateChannelsCurrent(pkg: string, versions: ArchetypeVersions, opts: ChannelOptions): GeneratedChannels {
  const channels = new Map<string, Channel>();
  const tuples: Tuple[] = [];
  let hw: Highwater = { arch: "candidate", kind: "", version: "0.0.0", name: "" };
  for (const arch of ARCHETYPES) {
    const bundles = versions[arch];
    for (const name of byVersion(bundles)) {
      const v = bundles.get(name)!;
      const kinds: StreamKind[] = [];
      if (opts.major) kinds.push("major");
      if (opts.minor) kinds.push("minor");
      for (const kind of kinds) {
        const cname = channelName(arch, kind, v);
        let ch = channels.get(cname);
        if (!ch) {
          ch = { schema: "olm.channel", name: cname, package: pkg, entries: [] };
          channels.set(cname, ch);
          const cand: Highwater = { arch, kind, version: v, name: cname };
          if (hwGreater(cand, hw, opts.preference)) hw = cand;
        }
        ch.entries.push({ name });
        tuples.push({ arch, kind, channel: ch, name, version: v, index: ch.entries.length - 1 });
      }
    }
  }
  linkCurrent(tuples);
  return { channels: [...channels.values()].sort(byName), defaultChannel: hw.name };
}

function setEdges(entry: ChannelEntry, replaces: string, skips: Set<string>): void {
  if (replaces) entry.replaces = replaces;
  else delete entry.replaces;
  const s = sortedUnique([...skips].filter((x) => x !== replaces));
  if (s.length) entry.skips = s;
}

function linkCurrent(entries: Tuple[]): void {
  entries.sort(
    (a, b) =>
      ARCHETYPE_PRIORITY[a.arch] - ARCHETYPE_PRIORITY[b.arch] ||
      KIND_PRIORITY[a.kind] - KIND_PRIORITY[b.kind] ||
      compareSemver(a.version, b.version),
  );
  let prevZMax = "";
  let skips = new Set<string>();
  for (let i = 1; i < entries.length; i++) {
    const prev = entries[i - 1]!;
    const cur = entries[i]!;
    const pv = majorMinor(prev.version);
    const cv = majorMinor(cur.version);
    const archChange = cur.arch !== prev.arch;
    const kindChange = cur.kind !== prev.kind;
    const xChange = pv.major !== cv.major;
    const yChange = pv.minor !== cv.minor || xChange;
    if (archChange || kindChange || xChange || yChange) setEdges(prev.channel.entries[prev.index]!, prevZMax, skips);
    if (archChange || kindChange || xChange) {
      skips = new Set();
      prevZMax = "";
    } else {
      if (yChange) prevZMax = prev.name;
      skips.add(prev.name);
    }
  }
  if (entries.length > 1) {
    const last = entries[entries.length - 1]!;
    const pen = entries[entries.length - 2]!;
    if (last.arch === pen.arch && last.kind === pen.kind && majorMinor(last.version).major === majorMinor(pen.version).major) {
      setEdges(last.channel.entries[last.index]!, prevZMax, skips);
    }
  }
}

/** opm <= v1.26.4 ("veneer"): each channel linked on its own; Y-group heads replace the previous Y-group head. */
export function generateChannelsVeneer(pkg: string, versions: ArchetypeVersions, opts: ChannelOptions): GeneratedChannels {
  const out: Channel[] = [];
  let hw = { arch: "candidate" as Archetype, version: "0.0.0", name: "" };
  for (const arch of ARCHETYPES) {
    const bundles = versions[arch];
    if (bundles.size === 0) continue;
    const majors = new Map<string, Channel>();
    const minors = new Map<string, Channel>();
    for (const name of byVersion(bundles)) {
      const v = bundles.get(name)!;
      for (const [enabled, kind, set] of [
        [opts.major, "major", majors],
        [opts.minor, "minor", minors],
      ] as const) {
        if (!enabled) continue;
        const cname = channelName(arch, kind, v);
        let ch = set.get(cname);
        if (!ch) {
          ch = { schema: "olm.channel", name: cname, package: pkg, entries: [] };
          set.set(cname, ch);
        }
        ch.entries.push({ name });
        if (ARCHETYPE_PRIORITY[arch] > ARCHETYPE_PRIORITY[hw.arch] || compareSemver(v, hw.version) > 0) hw = { arch, version: v, name: cname };
      }
    }
    for (const ch of [...majors.values(), ...minors.values()]) {
      linkVeneer(ch, bundles, opts.avoidSkipPatch);
      out.push(ch);
    }
  }
  return { channels: out.sort(byName), defaultChannel: hw.name };
}

function linkVeneer(ch: Channel, versions: Map<string, string>, avoidSkipPatch: boolean): void {
  const e = ch.entries;
  if (avoidSkipPatch) {
    for (let i = 1; i < e.length; i++) e[i] = { name: e[i]!.name, replaces: e[i - 1]!.name };
    return;
  }
  let cur = e.length - 1;
  let curMinor = majorMinor(versions.get(e[cur]!.name)!);
  let skips: string[] = [];
  for (let i = e.length - 2; i >= 0; i--) {
    const name = e[i]!.name;
    const m = majorMinor(versions.get(name)!);
    if (m.major === curMinor.major && m.minor === curMinor.minor) {
      e[i] = { name };
      skips.push(name);
    } else {
      e[cur] = { name: e[cur]!.name, replaces: name, ...(skips.length ? { skips: sortedUnique(skips) } : {}) };
      skips = [];
      cur = i;
      curMinor = m;
    }
  }
  e[cur] = { name: e[cur]!.name, ...(skips.length ? { skips: sortedUnique(skips) } : {}) };
}
