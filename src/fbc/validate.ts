/**
 * `opm validate` as a library: load a catalog directory, build the model, validate it. The result keeps
 * opm's exact message (for `-o json` parity) and our richer tree with file positions.
 */
import { loadFbc } from "./load.js";
import { convertToModel, validateModel, type Model } from "./model.js";
import { renderTree, type Problem } from "./errtree.js";
import type { DeclarativeConfig, Origin } from "./types.js";
import { UserError, formatOrigin } from "../util/errors.js";

export interface ValidationResult {
  passed: boolean;
  /** The error text opm prints (tree or single line), without positions. */
  message?: string;
  /** The problem tree, with positions on leaves; a fail-fast error is a single leaf. */
  problems?: Problem;
  model?: Model;
}

function failFast(e: unknown): ValidationResult {
  if (!(e instanceof UserError)) throw e;
  const origin: Origin | undefined = e.origin;
  const bare = origin ? e.message.slice(formatOrigin(origin).length + 2) : e.message;
  return { passed: false, message: bare, problems: { message: bare, origin, field: e.field } };
}

/** Validates an already loaded catalog (convert + model validation). */
export function validateConfig(cfg: DeclarativeConfig): ValidationResult {
  let model: Model;
  try {
    model = convertToModel(cfg);
  } catch (e) {
    return failFast(e);
  }
  const tree = validateModel(model);
  if (!tree) return { passed: true, model };
  return { passed: false, message: renderTree(tree), problems: tree, model };
}

/** Loads and validates a catalog directory with opm's verdict. */
export function validateDir(dir: string): ValidationResult {
  let cfg: DeclarativeConfig;
  try {
    cfg = loadFbc(dir);
  } catch (e) {
    return failFast(e);
  }
  return validateConfig(cfg);
}

/** Human output: opm's tree, with `(file:line:col)` after each finding. */
export function formatValidationText(r: ValidationResult): string {
  if (r.passed || !r.problems) return "";
  return renderTree(r.problems, true);
}

/** opm's `-o json` output shape. */
export function formatValidationJson(r: ValidationResult): string {
  const out: Record<string, unknown> = { passed: r.passed };
  if (!r.passed) out["error"] = { message: r.message };
  return JSON.stringify(out, null, 2) + "\n";
}
