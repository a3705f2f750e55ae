/**
 * The render step every owner command shares: a (new) veneer text → the catalog.yaml text it renders to,
 * refused unless opm's validation passes and the package is the folder's, so no command can write a
 * catalog the sanity layer would reject.
 */
import type { BundleSource } from "../bundle/source.js";
import { writeFbc } from "../fbc/write.js";
import { validateConfig } from "../fbc/validate.js";
import { UserError } from "../util/errors.js";
import { renderVeneerConfig } from "../checks/drift.js";

/** Renders and validates; throws a UserError naming the operator when the result would be invalid. */
export async function renderChecked(dir: string, operator: string, veneerText: string, source: BundleSource): Promise<string> {
  const cfg = await renderVeneerConfig(dir, source, veneerText);
  const pkgs = cfg.packages.map((p) => p.name);
  if (pkgs.length !== 1 || pkgs[0] !== operator) {
    throw new UserError(`${operator}: the bundles belong to package ${pkgs.join(", ") || "(none)"}, not ${operator}; the folder name must be the package name`);
  }
  const v = validateConfig(cfg);
  if (!v.passed) throw new UserError(`${operator}: the rendered catalog would not pass opm validate:\n${v.message}`);
  return writeFbc(cfg, "yaml");
}
