/**
 * Everything the static catalog site shows, computed from a loaded catalog: the package list by category
 * (src/catalog/list), and per package its channels with heads, entries and upgrade graphs, and what the
 * default channel's head installs (CRDs owned, install modes). Pure.
 */
import type { DeclarativeConfig } from "../fbc/types.js";
import { convertToModel, type ModelBundle } from "../fbc/model.js";
import { compareSemverBuild } from "../fbc/version.js";
import { listPackages, type PackageRow } from "../catalog/list.js";
import { channelGraph } from "../graph/upgrade.js";
import { bundleFacts, type BundleFacts } from "../plan/bundle-facts.js";
import { packageCharts, type ChannelChart } from "./mermaid.js";

export interface EntryView {
  csv: string;
  version: string;
  replaces: string;
  skips: string[];
  skipRange: string;
  /** Whether OLM v0 upgrades to this entry (on the replaces chain and not skipped). */
  upgradeTarget: boolean;
  deprecation?: string;
}

export interface ChannelView extends ChannelChart {
  headVersion: string;
  /** Entries, newest version first. */
  entries: EntryView[];
  deprecation?: string;
}

export interface PackagePage extends PackageRow {
  description: string;
  /** `data:` URI of the package icon, when it has one. */
  icon?: string;
  channelViews: ChannelView[];
  /** Facts of the default channel's head: CRDs, install modes, related images. */
  head?: BundleFacts;
  deprecation?: string;
}

export interface SiteData {
  packages: PackagePage[];
  /** Category → package names; packages without a category under "Uncategorized". */
  categories: Map<string, string[]>;
}

/** The report's group for packages that catalog/categories.yaml does not place. */
export const UNCATEGORIZED = "Uncategorized";

function entryView(b: ModelBundle, targets: Set<string>): EntryView {
  return {
    csv: b.name,
    version: b.version,
    replaces: b.replaces,
    skips: b.skips,
    skipRange: b.skipRange,
    upgradeTarget: targets.has(b.name),
    ...(b.deprecation !== undefined ? { deprecation: b.deprecation } : {}),
  };
}

/** Builds the site's data; `overrides` are the categories of `catalog/categories.yaml`. */
export function siteData(cfg: DeclarativeConfig, overrides: Map<string, string[]> = new Map()): SiteData {
  const model = convertToModel(cfg);
  const packages: PackagePage[] = listPackages(cfg, overrides).map((row) => {
    const pkg = model.get(row.name)!;
    const blob = cfg.packages.find((p) => p.name === row.name);
    const channelViews = packageCharts(model, row.name).map((chart): ChannelView => {
      const g = channelGraph(model, row.name, chart.channel);
      const targets = new Set(g.targets.map((t) => t.name));
      const entries = [...g.entries.values()].sort((a, b) => compareSemverBuild(b.version, a.version)).map((b) => entryView(b, targets));
      const ch = pkg.channels.get(chart.channel)!;
      return { ...chart, headVersion: g.head.version, entries, ...(ch.deprecation !== undefined ? { deprecation: ch.deprecation } : {}) };
    });
    const headBundle = pkg.defaultChannel?.bundles.get(row.headCsv);
    const icon = blob?.icon?.base64data && blob.icon.mediatype ? `data:${blob.icon.mediatype};base64,${blob.icon.base64data}` : undefined;
    return {
      ...row,
      description: blob?.description ?? "",
      ...(icon ? { icon } : {}),
      channelViews,
      ...(headBundle ? { head: bundleFacts(headBundle) } : {}),
      ...(pkg.deprecation !== undefined ? { deprecation: pkg.deprecation } : {}),
    };
  });
  const categories = new Map<string, string[]>();
  for (const p of packages) {
    for (const c of p.categories.length ? p.categories : [UNCATEGORIZED]) categories.set(c, [...(categories.get(c) ?? []), p.name]);
  }
  const sortedCategories = new Map(
    [...categories.entries()].sort(([a], [b]) => (a === UNCATEGORIZED ? 1 : b === UNCATEGORIZED ? -1 : a < b ? -1 : a > b ? 1 : 0)),
  );
  return { packages, categories: sortedCategories };
}
