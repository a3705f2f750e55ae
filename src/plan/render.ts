/** The three renderings of an upgrade plan: terminal text, JSON, and Markdown for a PR or an issue. */
import type { PlanStep, UpgradePlan } from "./plan.js";
import type { CrdChange, ListChange } from "./step-changes.js";

interface Section {
  label: string;
  items: string[];
}

function crdLine(c: CrdChange): string {
  const head = `${c.crd} (${c.kind})`;
  if (c.change === "added") return `${head}: new, versions ${c.versionsAdded.join(", ")}${c.storage?.to ? `, storage ${c.storage.to}` : ""}`;
  if (c.change === "removed") return `${head}: removed from the bundle (OLM leaves the CRD on the cluster)`;
  const parts: string[] = [];
  if (c.storage) parts.push(`storage ${c.storage.from ?? "none"} → ${c.storage.to ?? "none"}`);
  if (c.versionsAdded.length) parts.push(`versions added ${c.versionsAdded.join(", ")}`);
  if (c.versionsRemoved.length) parts.push(`versions removed ${c.versionsRemoved.join(", ")}`);
  if (c.servingStopped.length) parts.push(`no longer served ${c.servingStopped.join(", ")}`);
  if (c.servingStarted.length) parts.push(`served again ${c.servingStarted.join(", ")}`);
  if (c.removedStoredVersions.length)
    parts.push(`RISK: removes ${c.removedStoredVersions.join(", ")}, a storage version earlier on this path (OLM fails if still in status.storedVersions)`);
  return `${head}: ${parts.join("; ")}`;
}

function listLines(c: ListChange & { all: string[] }): string[] {
  if (!c.added.length && !c.removed.length) return c.all.length ? [`unchanged: ${c.all.join(", ")}`] : [];
  return [...c.added.map((x) => `+ ${x}`), ...c.removed.map((x) => `- ${x}`)];
}

/** The facts of one step, as labelled lists; empty sections are left out. */
export function stepSections(s: PlanStep): Section[] {
  const sections: Section[] = [
    { label: "CRDs", items: s.crds.map(crdLine) },
    { label: "Install modes", items: listLines(s.installModes) },
    { label: "Required GVKs", items: listLines(s.requiredGvks) },
    { label: "Required packages", items: listLines(s.requiredPackages) },
    {
      label: "Related images",
      items: s.relatedImages.map((i) => (i.from && i.to ? `${i.key}: ${i.from} → ${i.to}` : i.to ? `+ ${i.to}` : `- ${i.from}`)),
    },
  ];
  return sections.filter((x) => x.items.length > 0);
}

function summary(p: UpgradePlan): string {
  const n = p.steps.length;
  if (n === 0) return `${p.package} ${p.fromVersion} (${p.from}) is the head of channel ${p.channel}: nothing to upgrade`;
  return `${p.package}, channel ${p.channel}: ${p.fromVersion} → ${p.headVersion} in ${n} step${n === 1 ? "" : "s"}`;
}

/** Human text for a terminal. */
export function planText(p: UpgradePlan): string {
  const out = [summary(p), `  ${p.path.join(" → ")}`];
  p.steps.forEach((s, i) => {
    out.push("", `${i + 1}. ${s.from} (${s.fromVersion}) → ${s.to} (${s.toVersion}) via ${s.via.join("+")}`);
    const sections = stepSections(s);
    if (!sections.length) out.push("   no CRD, requirement, install mode or related image changes");
    for (const sec of sections) {
      out.push(`   ${sec.label}:`);
      for (const item of sec.items) out.push(`     ${item}`);
    }
  });
  return out.join("\n") + "\n";
}

/** JSON for machines (the plan object as is). */
export function planJson(p: UpgradePlan): string {
  return JSON.stringify(p, null, 2) + "\n";
}

const code = (s: string): string => "`" + s.replace(/`/g, "'") + "`";

/** Markdown fit for a PR comment: summary, path, then a section per step. */
export function planMarkdown(p: UpgradePlan): string {
  const out = [`### Upgrade plan: ${summary(p)}`, "", p.path.map(code).join(" → "), ""];
  p.steps.forEach((s, i) => {
    out.push(`#### ${i + 1}. ${s.fromVersion} → ${s.toVersion} (${s.via.join(" + ")})`, "", `${code(s.from)} → ${code(s.to)}`, "");
    const sections = stepSections(s);
    if (!sections.length) out.push("No CRD, requirement, install mode or related image changes.", "");
    for (const sec of sections) {
      out.push(`**${sec.label}**`, "", ...sec.items.map((x) => `- ${x}`), "");
    }
  });
  return out.join("\n");
}

/** Picks the renderer for `-o text|json|markdown`. */
export function renderPlan(p: UpgradePlan, format: string): string {
  return format === "json" ? planJson(p) : format === "markdown" ? planMarkdown(p) : planText(p);
}
