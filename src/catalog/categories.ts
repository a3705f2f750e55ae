/**
 * Operator categories, as OperatorHub names them: read from the head CSV's `categories` annotation, with
 * `catalog/categories.yaml` filling in for operators whose CSVs carry none.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { UserError } from "../util/errors.js";

/** OperatorHub's category names (the ones the catalog groups by). */
export const KNOWN_CATEGORIES = [
  "AI/Machine Learning",
  "Application Runtime",
  "Big Data",
  "Cloud Provider",
  "Database",
  "Developer Tools",
  "Drivers and plugins",
  "Integration & Delivery",
  "Logging & Tracing",
  "Modernization & Migration",
  "Monitoring",
  "Networking",
  "OpenShift Optional",
  "Security",
  "Storage",
  "Streaming & Messaging",
];

export const CATEGORIES_FILE = "categories.yaml";

/** Splits a CSV `categories` annotation ("Database, Monitoring") into names. */
export function parseCategoriesAnnotation(value: unknown): string[] {
  if (typeof value !== "string") return [];
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reads `catalog/categories.yaml` (package → list of categories), validating the names. */
export function readCategoryOverrides(catalogDir: string): Map<string, string[]> {
  const file = join(catalogDir, CATEGORIES_FILE);
  const out = new Map<string, string[]>();
  if (!existsSync(file)) return out;
  const doc = parseYaml(readFileSync(file, "utf8")) as Record<string, unknown> | null;
  for (const [pkg, cats] of Object.entries(doc ?? {})) {
    if (!Array.isArray(cats) || cats.some((c) => typeof c !== "string" || !KNOWN_CATEGORIES.includes(c))) {
      throw new UserError(`${file}: "${pkg}" must list OperatorHub categories (${KNOWN_CATEGORIES.join(", ")})`, undefined, pkg);
    }
    out.set(pkg, cats as string[]);
  }
  return out;
}
