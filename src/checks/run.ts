/**
 * Runs the test layers in CI order (owners, sanity, integration, interoperability) over one repository and
 * gathers their findings into one report, with the time each layer took. The catalog is loaded once.
 */
import { performance } from "node:perf_hooks";
import { isAbsolute, join, relative } from "node:path";
import type { BundleSource } from "../bundle/source.js";
import { assertRef } from "../git/git.js";
import { UsageError } from "../util/errors.js";
import { loadCatalog, loadCatalogAt, mergedModel, type LoadedCatalog } from "./catalog-tree.js";
import { checkIntegration } from "./integration.js";
import { checkPlatform } from "./interop.js";
import { checkOwnersAt } from "./owners-git.js";
import { packagesPlatform, readStack, readStacks, type Platform } from "./platforms.js";
import { failed, type Finding, type Report } from "./report.js";
import { checkSanity } from "./sanity.js";

export type Layer = "owners" | "sanity" | "integration" | "interoperability";
/** The layers in the order CI runs them (what `check all` runs). */
export const LAYERS: readonly Layer[] = ["owners", "sanity", "integration", "interoperability"];

export interface RunOptions {
  repo: string;
  /** Catalog root; default `<repo>/catalog`. */
  catalog?: string;
  /** Limit sanity and integration to these operator folders. */
  operators?: string[];
  layers: readonly Layer[];
  base?: string;
  head?: string;
  author?: string;
  /** Stack names or files; default every `Pulumi.*.yaml` of the repo, else the whole catalog as one platform. */
  platforms?: string[];
  /** A platform given as packages (instead of stacks). */
  packages?: string[];
  /** Extra sources for the drift check (registry, `--bundles-from`). */
  extraSources?: (dir: string) => BundleSource[];
}

export interface RunResult {
  report: Report;
  /** Milliseconds per layer (and `load`). */
  timings: Record<string, number>;
}

function platformsFor(opts: RunOptions, catalog: LoadedCatalog): Platform[] {
  if (opts.packages?.length) return [packagesPlatform("packages", opts.packages)];
  if (opts.platforms?.length) return opts.platforms.map((p) => readStack(opts.repo, p));
  const stacks = readStacks(opts.repo);
  if (stacks.length) return stacks;
  return [packagesPlatform("catalog", [...mergedModel(catalog).keys()].sort())];
}

/** Runs the requested layers; skipped layers say why in an info finding. */
export async function runChecks(opts: RunOptions): Promise<RunResult> {
  const timings: Record<string, number> = {};
  const findings: Finding[] = [];
  const timed = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      timings[name] = Math.round(performance.now() - t);
    }
  };
  const catalogDir = opts.catalog ?? join(opts.repo, "catalog");
  const wants = (l: Layer): boolean => opts.layers.includes(l);
  if (opts.base) assertRef(opts.repo, opts.base);

  if (wants("owners")) {
    if (!opts.base || !opts.author) {
      if (opts.layers.length === 1) throw new UsageError("check owners needs --base <ref> and --author <login>");
      findings.push({ layer: "owners", rule: "skipped", severity: "info", message: "not run: needs --base and --author" });
    } else {
      findings.push(...(await timed("owners", () => checkOwnersAt(opts.repo, opts.base!, opts.author!, opts.head))));
    }
  }
  if (!opts.layers.some((l) => l !== "owners")) return { report: { findings }, timings };
  const head = await timed("load", () => loadCatalog(catalogDir, opts.operators));
  for (const op of opts.operators ?? []) if (!head.operators.has(op)) throw new UsageError(`no operator folder ${join(catalogDir, op)}`);

  let sanityFailed = false;
  if (wants("sanity")) {
    const fs = await timed("sanity", () => checkSanity(head, { extraSources: opts.extraSources }));
    sanityFailed = failed({ findings: fs });
    findings.push(...fs);
  }
  if (wants("integration")) {
    const fs = await timed("integration", () => {
      if (!opts.base) {
        return [
          { layer: "integration", rule: "no-base", severity: "info", message: "no --base: only the catalog's own upgrade graphs and CRD steps are checked" } as Finding,
          ...checkIntegration(head, head),
        ];
      }
      const rel = relative(opts.repo, catalogDir);
      if (isAbsolute(rel) || rel.startsWith("..")) throw new UsageError(`--catalog ${catalogDir} is outside the repository ${opts.repo}`);
      const base = loadCatalogAt(opts.repo, opts.base, rel.split("\\").join("/")) ?? { root: `${opts.base}:${rel}`, operators: new Map() };
      return checkIntegration(base, head, opts.operators);
    });
    findings.push(...fs);
  }
  if (wants("interoperability")) {
    const fs = await timed("interoperability", () => {
      const model = mergedModel(head);
      return platformsFor(opts, head).flatMap((p) => checkPlatform(p, model, { candidatesBlock: sanityFailed }));
    });
    findings.push(...fs);
  }
  return { report: { findings }, timings };
}

/** One line of timings for humans (`load 0.3s, sanity 1.2s, …, total 2.0s`). */
export function formatTimings(t: Record<string, number>): string {
  const total = Object.values(t).reduce((a, b) => a + b, 0);
  return Object.entries(t)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}s`)
    .concat(`total ${(total / 1000).toFixed(2)}s`)
    .join(", ");
}
