/** The three renderings of a catalog diff: terminal text, JSON, and Markdown fit for a PR comment. */
import type { CatalogDiff, Change, ChannelDiff, Edge, PackageDiff } from "./catalog-diff.js";

interface Section {
  label: string;
  items: string[];
}

/** A CSV name without its `<package>.` prefix, to keep lines short. */
function short(pkg: string, csv: string): string {
  return csv.startsWith(`${pkg}.`) ? csv.slice(pkg.length + 1) : csv;
}

function edgeText(pkg: string, e: Edge): string {
  return `${short(pkg, e.from)} → ${short(pkg, e.to)} (${e.kind})`;
}

function excerpt(s: string): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 72 ? `${one.slice(0, 72)}… (${s.length} chars)` : one;
}

function changeText(c: Change<string>, show: (s: string) => string = (s) => s): string {
  if (c.from === undefined) return `added: ${show(c.to!)}`;
  if (c.to === undefined) return `removed (was: ${show(c.from)})`;
  return `${show(c.from)} → ${show(c.to)}`;
}

function channelSections(pkg: string, c: ChannelDiff): Section[] {
  const e = (xs: Edge[], sign: string): string[] => xs.map((x) => `${sign}${edgeText(pkg, x)}`);
  return [
    { label: "head", items: c.head ? [changeText(c.head, (s) => short(pkg, s))] : [] },
    { label: "bundles", items: [...c.bundlesAdded.map((b) => `+ ${short(pkg, b)}`), ...c.bundlesRemoved.map((b) => `- ${short(pkg, b)}`)] },
    { label: "upgrade edges", items: [...e(c.edgesAdded, "+ "), ...e(c.edgesRemoved, "- ")] },
    { label: "edges OLM v0 no longer takes (target now skipped)", items: e(c.edgesNoLongerTaken, "") },
    { label: "edges OLM v0 now takes", items: e(c.edgesNowTaken, "") },
  ].filter((s) => s.items.length);
}

/** The package-level facts of a diff as labelled lists (channels are rendered separately). */
export function packageSections(d: PackageDiff): Section[] {
  const pkg = d.package;
  return [
    { label: "default channel", items: d.defaultChannel ? [changeText(d.defaultChannel)] : [] },
    { label: "description", items: d.description ? [changeText(d.description, excerpt)] : [] },
    { label: "icon", items: d.icon ? [changeText(d.icon)] : [] },
    {
      label: "channels",
      items: [...d.channelsAdded.map((c) => `+ ${c.channel} (head ${short(pkg, c.head)})`), ...d.channelsRemoved.map((c) => `- ${c}`)],
    },
    {
      label: "bundles",
      items: [...d.bundlesAdded.map((b) => `+ ${short(pkg, b.bundle)} (${b.version})`), ...d.bundlesRemoved.map((b) => `- ${short(pkg, b.bundle)} (${b.version})`)],
    },
    {
      label: "bundles moved between channels",
      items: d.bundlesMoved.map(
        (m) => `${short(pkg, m.bundle)}: ${[...m.addedTo.map((c) => `+${c}`), ...m.removedFrom.map((c) => `-${c}`)].join(" ")}`,
      ),
    },
  ].filter((s) => s.items.length);
}

function summary(d: CatalogDiff): string {
  if (!d.packages.length) return `${d.from} → ${d.to}: no changes`;
  const count = (s: PackageDiff["status"]): number => d.packages.filter((p) => p.status === s).length;
  const parts = (["added", "removed", "changed"] as const).filter((s) => count(s)).map((s) => `${count(s)} ${s}`);
  return `${d.from} → ${d.to}: ${d.packages.length} package${d.packages.length === 1 ? "" : "s"} (${parts.join(", ")})`;
}

/** Human text for a terminal. */
export function diffText(d: CatalogDiff): string {
  const out = [summary(d)];
  for (const p of d.packages) {
    out.push("", `${p.package} (${p.status})`);
    for (const s of packageSections(p)) out.push(`  ${s.label}:`, ...s.items.map((i) => `    ${i}`));
    for (const c of p.channels) {
      out.push(`  channel ${c.channel}:`);
      for (const s of channelSections(p.package, c)) out.push(`    ${s.label}:`, ...s.items.map((i) => `      ${i}`));
    }
  }
  return out.join("\n") + "\n";
}

/** JSON for machines. */
export function diffJson(d: CatalogDiff): string {
  return JSON.stringify(d, null, 2) + "\n";
}

const md = (s: string): string => s.replace(/\|/g, "\\|").replace(/</g, "&lt;");

/** Markdown for a PR comment: a summary table, then the details of each package. */
export function diffMarkdown(d: CatalogDiff): string {
  const out = [`### Catalog diff: ${md(summary(d))}`, ""];
  if (!d.packages.length) return out.join("\n");
  out.push("| package | status | default channel | channels | bundles | edges |", "| --- | --- | --- | --- | --- | --- |");
  for (const p of d.packages) {
    const n = (a: number, r: number): string => (a || r ? `+${a} −${r}` : "");
    const edgesA = p.channels.reduce((s, c) => s + c.edgesAdded.length, 0);
    const edgesR = p.channels.reduce((s, c) => s + c.edgesRemoved.length, 0);
    out.push(
      `| \`${p.package}\` | ${p.status} | ${p.defaultChannel ? md(changeText(p.defaultChannel)) : ""} | ${n(p.channelsAdded.length, p.channelsRemoved.length)} | ${n(p.bundlesAdded.length, p.bundlesRemoved.length)} | ${n(edgesA, edgesR)} |`,
    );
  }
  out.push("");
  for (const p of d.packages) {
    out.push(`#### \`${p.package}\` (${p.status})`, "");
    for (const s of packageSections(p)) out.push(`- **${s.label}**`, ...s.items.map((i) => `  - ${md(i)}`));
    for (const c of p.channels) {
      out.push(`- **channel \`${c.channel}\`**`);
      for (const s of channelSections(p.package, c)) out.push(`  - ${s.label}`, ...s.items.map((i) => `    - ${md(i)}`));
    }
    out.push("");
  }
  return out.join("\n");
}

/** Picks the renderer for `-o text|json|markdown`. */
export function renderDiff(d: CatalogDiff, format: string): string {
  return format === "json" ? diffJson(d) : format === "markdown" ? diffMarkdown(d) : diffText(d);
}
