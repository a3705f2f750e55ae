/** The semver template (`schema: olm.semver`) as opm reads it, plus where each bundle entry was written. */
import type { Origin } from "../../fbc/types.js";

export type Archetype = "candidate" | "fast" | "stable";
export type StreamKind = "major" | "minor";

/** Archetypes in ascending stability, the order opm walks them in. */
export const ARCHETYPES: readonly Archetype[] = ["candidate", "fast", "stable"];
export const ARCHETYPE_PRIORITY: Record<Archetype, number> = { candidate: 0, fast: 1, stable: 2 };

/**
 * Which opm behaviour to reproduce: `current` is opm v1.73 (edge-scoped linking, cumulative skips, package
 * icon/description); `veneer` is opm <= v1.26.4 (per-channel linking, individual flag defaults), the
 * era that rendered the Percona fixtures.
 */
export type Compat = "current" | "veneer";

export interface TemplateBundleEntry {
  image: string;
  origin: Origin;
}

export interface SemverTemplate {
  schema: string;
  generateMajorChannels: boolean;
  generateMinorChannels: boolean;
  defaultChannelTypePreference: "" | StreamKind;
  avoidSkipPatch: boolean;
  bundles: Record<Archetype, TemplateBundleEntry[]>;
  file: string;
}
