/**
 * Drift: the committed `catalog.yaml` of an operator must be exactly what its `veneer.yaml` renders to.
 * Rendering from the committed catalog's own bundles checks channels and linking offline; rendering from a
 * registry (or another FBC) also checks the bundle contents.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { FbcBundleSource } from "../bundle/fbc-source.js";
import type { BundleSource } from "../bundle/source.js";
import { renderSemverTemplateText } from "../template/semver/render.js";
import type { Compat } from "../template/semver/types.js";
import { writeFbc } from "../fbc/write.js";
import type { DeclarativeConfig } from "../fbc/types.js";
import { errorMessage } from "../util/errors.js";
import type { Finding } from "./report.js";

/** The file names of an operator folder that drift compares: the template, and what it renders to. */
export const VENEER = "veneer.yaml";
export const CATALOG = "catalog.yaml";

/** Renders an operator folder's veneer.yaml (or `veneerText` standing for it) to a catalog, writing nothing. */
export async function renderVeneerConfig(dir: string, source: BundleSource, veneerText?: string, compat: Compat = "current"): Promise<DeclarativeConfig> {
  const file = join(dir, VENEER);
  return renderSemverTemplateText(veneerText ?? readFileSync(file, "utf8"), file, source, { compat });
}

/** The catalog.yaml text (opm's YAML) an operator folder's veneer renders to. */
export async function renderVeneer(dir: string, source: BundleSource, veneerText?: string): Promise<string> {
  return writeFbc(await renderVeneerConfig(dir, source, veneerText), "yaml");
}

/** A source made of the operator's committed catalog.yaml (the offline drift check). */
export function selfSource(dir: string): BundleSource {
  let src: FbcBundleSource | undefined;
  return {
    description: join(dir, CATALOG),
    // loaded on first use, so a missing catalog.yaml is a drift finding rather than a crash
    renderBundle: async (image) => (src ??= new FbcBundleSource(join(dir, CATALOG))).renderBundle(image),
  };
}

export interface Difference {
  line: number;
  expected: string;
  found: string;
}

/** The first line where two texts differ (1-based), or undefined when they are equal. */
export function firstDifference(expected: string, found: string): Difference | undefined {
  if (expected === found) return undefined;
  const a = expected.split("\n");
  const b = found.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const clip = (s: string | undefined): string => (s === undefined ? "<end of file>" : s.length > 120 ? s.slice(0, 117) + "..." : s);
  return { line: i + 1, expected: clip(a[i]), found: clip(b[i]) };
}

export interface DriftResult {
  operator: string;
  source: string;
  rendered?: string;
  difference?: Difference;
  error?: string;
}

/** Renders one operator folder with `source` and compares with its committed catalog.yaml. */
export async function checkDrift(dir: string, source: BundleSource): Promise<DriftResult> {
  const operator = basename(dir);
  const r: DriftResult = { operator, source: source.description };
  const committedPath = join(dir, CATALOG);
  if (!existsSync(committedPath)) return { ...r, error: `${CATALOG} is missing: render it from ${VENEER}` };
  try {
    r.rendered = await renderVeneer(dir, source);
  } catch (e) {
    return { ...r, error: errorMessage(e) };
  }
  r.difference = firstDifference(r.rendered, readFileSync(committedPath, "utf8"));
  return r;
}

/** Sanity findings for drift results: an error per operator whose committed catalog is stale. */
export function driftFindings(results: DriftResult[]): Finding[] {
  return results.map((r): Finding => {
    const base = { layer: "sanity" as const, rule: "drift", operator: r.operator };
    if (r.error) return { ...base, severity: "error", message: `cannot render ${VENEER} with bundles from ${r.source}: ${r.error}` };
    if (r.difference) {
      const d = r.difference;
      return {
        ...base,
        severity: "error",
        message: `${CATALOG} is not what ${VENEER} renders to (bundles from ${r.source}); first difference at line ${d.line}: rendered "${d.expected}", committed "${d.found}". Run: dbaas-catalog render catalog/${r.operator}`,
      };
    }
    return { ...base, severity: "info", message: `${CATALOG} equals the render of ${VENEER} (bundles from ${r.source})` };
  });
}
