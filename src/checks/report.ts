/**
 * Findings of the test layers (sanity, integration, interoperability, owners) and their three renderings:
 * human text, JSON, and Markdown for a PR comment.
 */

export type Severity = "error" | "warning" | "info";

export interface Finding {
  layer: "sanity" | "integration" | "interoperability" | "owners";
  rule: string;
  severity: Severity;
  operator?: string;
  bundle?: string;
  message: string;
  /** Failures that are reported but do not block (candidate channels in interoperability). */
  blocking?: boolean;
}

export interface Report {
  findings: Finding[];
}

/** True when any blocking error is present (the CLI then exits 1). */
export function failed(r: Report): boolean {
  return r.findings.some((f) => f.severity === "error" && f.blocking !== false);
}

function subject(f: Finding): string {
  return [f.operator, f.bundle].filter(Boolean).join(" / ");
}

/** Human text: one line per finding, grouped by layer, then a verdict line. */
export function reportText(r: Report): string {
  const lines: string[] = [];
  for (const layer of ["owners", "sanity", "integration", "interoperability"] as const) {
    const fs = r.findings.filter((f) => f.layer === layer);
    if (!fs.length) continue;
    lines.push(`${layer}:`);
    for (const f of fs) {
      const nb = f.severity === "error" && f.blocking === false ? " (non-blocking)" : "";
      lines.push(`  ${f.severity.toUpperCase()}${nb} [${f.rule}] ${subject(f) ? subject(f) + ": " : ""}${f.message}`);
    }
  }
  const errors = r.findings.filter((f) => f.severity === "error");
  lines.push(failed(r) ? `FAILED: ${errors.length} error(s)` : `PASSED${errors.length ? ` (${errors.length} non-blocking error(s))` : ""}`);
  return lines.join("\n") + "\n";
}

/** JSON for machines. */
export function reportJson(r: Report): string {
  return JSON.stringify({ passed: !failed(r), findings: r.findings }, null, 2) + "\n";
}

const ICON: Record<Severity, string> = { error: "❌", warning: "⚠️", info: "ℹ️" };

/** Markdown summary fit for a PR comment. */
export function reportMarkdown(r: Report, title = "Catalog checks"): string {
  const out = [`### ${title}: ${failed(r) ? "failed" : "passed"}`, ""];
  if (!r.findings.length) return out.concat("No findings.", "").join("\n");
  out.push("| | layer | rule | operator / bundle | finding |", "| --- | --- | --- | --- | --- |");
  for (const f of r.findings) {
    const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    out.push(`| ${ICON[f.severity]} | ${f.layer} | ${f.rule} | ${esc(subject(f))} | ${esc(f.message)}${f.blocking === false ? " _(non-blocking)_" : ""} |`);
  }
  return out.join("\n") + "\n";
}

/** Picks the renderer for `-o text|json|markdown`. */
export function renderReport(r: Report, format: string): string {
  if (format === "json") return reportJson(r);
  if (format === "markdown" || format === "md") return reportMarkdown(r);
  return reportText(r);
}
