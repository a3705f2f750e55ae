/**
 * The sanity layer, per operator folder: the template parses, the committed catalog is what it renders to,
 * opm validate passes, OWNERS and .indexignore are right, and every bundle passes the bundle rules.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BundleSource } from "../bundle/source.js";
import { indexIgnoreFor } from "../fbc/load.js";
import type { IndexIgnore } from "../fbc/indexignore.js";
import { validateModel, type ModelBundle } from "../fbc/model.js";
import { leaves } from "../fbc/errtree.js";
import { parseSemverTemplate } from "../template/semver/parse.js";
import { errorMessage, formatOrigin } from "../util/errors.js";
import { bundleFindings } from "./bundle-rules.js";
import type { LoadedCatalog, OperatorCatalog } from "./catalog-tree.js";
import { CATALOG, VENEER, checkDrift, driftFindings, selfSource } from "./drift.js";
import { parseOwners } from "./owners.js";
import type { Finding, Severity } from "./report.js";

export interface SanityOptions {
  /** Extra bundle sources to render each veneer with (a registry, `--bundles-from`), besides the offline one. */
  extraSources?: (dir: string) => BundleSource[];
}

type Add = (rule: string, severity: Severity, message: string, bundle?: string) => void;

function checkVeneer(o: OperatorCatalog, add: Add): boolean {
  const file = join(o.dir, VENEER);
  if (!existsSync(file)) {
    add("veneer-schema", "error", `${VENEER} is missing: every operator folder is rendered from a semver template`);
    return false;
  }
  try {
    parseSemverTemplate(readFileSync(file, "utf8"), file);
    return true;
  } catch (e) {
    add("veneer-schema", "error", errorMessage(e));
    return false;
  }
}

function checkOwnersFile(o: OperatorCatalog, add: Add): void {
  const file = join(o.dir, "OWNERS");
  if (!existsSync(file)) return add("owners-file", "error", "OWNERS is missing: nobody could approve changes to this folder");
  for (const p of parseOwners(readFileSync(file, "utf8")).problems) add("owners-file", "error", p);
}

function checkIndexIgnore(ig: IndexIgnore, o: OperatorCatalog, add: Add): void {
  for (const f of ["OWNERS", VENEER]) {
    if (existsSync(join(o.dir, f)) && !ig.ignores(`${o.operator}/${f}`)) {
      add("indexignore", "error", `opm would read ${o.operator}/${f} as catalog content: list it in ${o.operator}/.indexignore`);
    }
  }
}

function checkModel(o: OperatorCatalog, add: Add): void {
  if (o.error) return add("load", "error", o.error);
  const model = o.model!;
  const names = [...model.keys()];
  if (names.length !== 1 || names[0] !== o.operator) {
    add("package-name", "error", `folder catalog/${o.operator} must hold exactly the package "${o.operator}", found ${names.length ? names.join(", ") : "none"}`);
  }
  const tree = validateModel(model);
  for (const leaf of tree ? leaves(tree) : []) {
    const bundle = leaf.path.map((p) => /^invalid bundle "(.*)"$/.exec(p)?.[1]).find(Boolean);
    const where = leaf.origin ? ` (${formatOrigin(leaf.origin)})` : "";
    add("validate", "error", `${leaf.path.slice(1).join(": ")}: ${leaf.message}${where}`, bundle);
  }
}

/** Bundles of a package, once each (a bundle listed in several channels is one bundle). */
function uniqueBundles(o: OperatorCatalog): { pkg: string; bundle: ModelBundle }[] {
  const seen = new Map<string, { pkg: string; bundle: ModelBundle }>();
  for (const pkg of o.model?.values() ?? []) {
    for (const ch of pkg.channels.values()) for (const b of ch.bundles.values()) if (b.hasBlob && !seen.has(b.name)) seen.set(b.name, { pkg: pkg.name, bundle: b });
  }
  return [...seen.values()].sort((a, b) => (a.bundle.name < b.bundle.name ? -1 : 1));
}

/** Runs the sanity layer on the loaded operators of a catalog. */
export async function checkSanity(catalog: LoadedCatalog, opts: SanityOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const ig = indexIgnoreFor(catalog.root);
  for (const o of catalog.operators.values()) {
    const add: Add = (rule, severity, message, bundle) => void findings.push({ layer: "sanity", rule, severity, operator: o.operator, bundle, message });
    const veneerOk = checkVeneer(o, add);
    checkOwnersFile(o, add);
    checkIndexIgnore(ig, o, add);
    checkModel(o, add);
    if (veneerOk && !o.error) {
      const sources = [selfSource(o.dir), ...(opts.extraSources?.(o.dir) ?? [])];
      for (const s of sources) findings.push(...driftFindings([await checkDrift(o.dir, s)]));
    } else if (veneerOk && !existsSync(join(o.dir, CATALOG))) {
      add("drift", "error", `${CATALOG} is missing: render it from ${VENEER}`);
    }
    const bundles = uniqueBundles(o);
    for (const { pkg, bundle } of bundles) findings.push(...bundleFindings(o.operator, pkg, bundle));
    if (!o.error) add("bundles", "info", `${bundles.length} bundle(s) checked`);
  }
  return findings;
}
