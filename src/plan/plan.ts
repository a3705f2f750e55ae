/**
 * The upgrade plan of one operator: the exact CSV sequence OLM v0 walks from an installed CSV to the head of
 * a channel (src/graph), and for each step what changes on the cluster. Pure: takes the model, returns
 * plain JSON-able data (the CLI prints it, the Pulumi program exports it).
 */
import type { Model, ModelBundle } from "../fbc/model.js";
import { findPackage, upgradeWalk, type EdgeKind, type ResolveOptions } from "../graph/upgrade.js";
import { GraphError } from "../graph/upgrade.js";
import { bundleFacts, type BundleFacts } from "./bundle-facts.js";
import { initialStoredVersions, stepChanges, type StepChanges } from "./step-changes.js";

export interface PlanStep extends StepChanges {
  from: string;
  fromVersion: string;
  to: string;
  toVersion: string;
  /** The edge kinds that make `to` an upgrade of `from` (replaces, skips, skipRange). */
  via: EdgeKind[];
}

export interface UpgradePlan {
  package: string;
  channel: string;
  from: string;
  fromVersion: string;
  head: string;
  headVersion: string;
  /** Every CSV installed in turn, the starting one first, the head last. */
  path: string[];
  steps: PlanStep[];
}

export interface PlanOptions extends ResolveOptions {
  /** The subscription's channel; the package's default channel when omitted. */
  channel?: string;
}

/** The bundle named `csv` in any channel of the package (the same bundle is shared between channels). */
function bundleOf(model: Model, pkg: string, csv: string): ModelBundle {
  for (const ch of findPackage(model, pkg).channels.values()) {
    const b = ch.bundles.get(csv);
    if (b) return b;
  }
  throw new GraphError("unknown-csv", `package "${pkg}" has no CSV named "${csv}"`);
}

/** The channel a subscription without `channel` uses. */
export function defaultChannelOf(model: Model, pkg: string): string {
  const dc = findPackage(model, pkg).defaultChannel;
  if (!dc) throw new GraphError("unknown-channel", `package "${pkg}" has no default channel; pass a channel`);
  return dc.name;
}

/** Plans the upgrade of `pkg` from `from` (a CSV name or a version) to the channel head, step by step. */
export function planUpgrade(model: Model, pkg: string, from: string, opts: PlanOptions = {}): UpgradePlan {
  const channel = opts.channel ?? defaultChannelOf(model, pkg);
  const walk = upgradeWalk(model, pkg, channel, from, { crossChannel: opts.crossChannel });
  const facts = new Map<string, BundleFacts>();
  const factsOf = (csv: string): BundleFacts => {
    if (!facts.has(csv)) facts.set(csv, bundleFacts(bundleOf(model, pkg, csv)));
    return facts.get(csv)!;
  };
  const stored = initialStoredVersions(factsOf(walk[0]!.csv));
  const steps: PlanStep[] = [];
  for (let i = 1; i < walk.length; i++) {
    const prev = walk[i - 1]!;
    const cur = walk[i]!;
    steps.push({
      from: prev.csv,
      fromVersion: prev.version,
      to: cur.csv,
      toVersion: cur.version,
      via: cur.via,
      ...stepChanges(factsOf(prev.csv), factsOf(cur.csv), stored),
    });
  }
  const first = walk[0]!;
  const last = walk[walk.length - 1]!;
  return {
    package: pkg,
    channel,
    from: first.csv,
    fromVersion: first.version,
    head: last.csv,
    headVersion: last.version,
    path: walk.map((s) => s.csv),
    steps,
  };
}
