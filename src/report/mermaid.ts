/**
 * Mermaid flowcharts of a package's upgrade graphs, one per channel: replaces (solid), skips (dotted) and
 * skipRange (thick) edges, the head highlighted, entries OLM v0 never upgrades to (skipped, or off the
 * replaces chain) greyed with their incoming edges.
 */
import type { Model } from "../fbc/model.js";
import { channelGraph, findPackage, type EdgeKind } from "../graph/upgrade.js";
import { declaredEdges } from "../plan/declared-edges.js";
import { rangeIncludes } from "../fbc/version.js";

const ARROW: Record<EdgeKind, string> = { replaces: "-->", skips: "-.->", skipRange: "==>" };

/** Mermaid-safe label text (quotes and angle brackets as entity codes). */
function label(s: string): string {
  return s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/** A short node label: `v1.2.3` for the usual `<package>.v<version>` name, else the name and version. */
export function nodeLabel(pkg: string, csv: string, version: string): string {
  if (csv === `${pkg}.v${version}`) return `v${version}`;
  const short = csv.startsWith(`${pkg}.`) ? csv.slice(pkg.length + 1) : csv;
  return version ? `${short} (${version})` : short;
}

/** The flowchart of one channel (Mermaid source, no fences). */
export function channelMermaid(model: Model, pkg: string, channel: string): string {
  const g = channelGraph(model, pkg, channel);
  const targets = new Set(g.targets.map((t) => t.name));
  const ids = new Map<string, string>();
  const id = (csv: string): string => {
    if (!ids.has(csv)) ids.set(csv, `n${ids.size}`);
    return ids.get(csv)!;
  };
  const lines = [
    "flowchart LR",
    "  classDef head fill:#ffd6e0,stroke:#c2185b,stroke-width:3px,color:#000",
    "  classDef pruned fill:#eeeeee,stroke:#9e9e9e,color:#616161",
    "  classDef external fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:4 3,color:#616161",
  ];
  for (const b of g.entries.values()) {
    const cls = b.name === g.head.name ? ":::head" : targets.has(b.name) ? "" : ":::pruned";
    lines.push(`  ${id(b.name)}["${label(nodeLabel(pkg, b.name, b.version))}"]${cls}`);
  }
  const edges = declaredEdges(model, pkg, channel);
  for (const name of new Set(edges.filter((x) => x.external).map((x) => x.from))) lines.push(`  ${id(name)}["${label(nodeLabel(pkg, name, ""))}"]:::external`);
  const greyed: number[] = [];
  edges.forEach((e, i) => {
    lines.push(`  ${id(e.from)} ${ARROW[e.kinds[0]!]}|${e.kinds.join(", ")}| ${id(e.to)}`);
    if (!e.taken) greyed.push(i);
  });
  let n = edges.length;
  for (const b of g.entries.values()) {
    if (!b.skipRange) continue;
    const inChannel = [...g.entries.values()].some((x) => x.name !== b.name && rangeIncludes(b.skipRange, x.version));
    if (inChannel) continue;
    // A skipRange that matches no entry of this channel still upgrades installed CSVs from elsewhere.
    lines.push(`  r${id(b.name)}{{"${label(b.skipRange)}"}}:::external`, `  r${id(b.name)} ${ARROW.skipRange}|skipRange| ${id(b.name)}`);
    if (!targets.has(b.name)) greyed.push(n);
    n++;
  }
  if (greyed.length) lines.push(`  linkStyle ${greyed.join(",")} stroke:#bdbdbd,color:#9e9e9e`);
  return lines.join("\n") + "\n";
}

export interface ChannelChart {
  channel: string;
  isDefault: boolean;
  head: string;
  mermaid: string;
}

/** The flowcharts of a package's channels (all, or the one named), default channel first. */
export function packageCharts(model: Model, pkg: string, only?: string): ChannelChart[] {
  const p = findPackage(model, pkg);
  const names = only ? [only] : [...p.channels.values()].filter((c) => !c.placeholder).map((c) => c.name);
  const dc = p.defaultChannel?.name;
  names.sort((a, b) => (a === dc ? -1 : b === dc ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return names.map((channel) => ({ channel, isDefault: channel === dc, head: channelGraph(model, pkg, channel).head.name, mermaid: channelMermaid(model, pkg, channel) }));
}

/** Plain Mermaid: each chart with a `title` front matter, separated by a blank line. */
export function chartsMermaid(pkg: string, charts: ChannelChart[]): string {
  return charts.map((c) => `---\ntitle: ${pkg} ${c.channel}${c.isDefault ? " (default)" : ""}\n---\n${c.mermaid}`).join("\n");
}

/** Markdown with fenced mermaid blocks (GitHub renders them), a heading per channel. */
export function chartsMarkdown(pkg: string, charts: ChannelChart[]): string {
  return charts
    .map((c) => `### ${pkg} \`${c.channel}\`${c.isDefault ? " (default)" : ""}, head \`${c.head}\`\n\n\`\`\`mermaid\n${c.mermaid}\`\`\`\n`)
    .join("\n");
}
