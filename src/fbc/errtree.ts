/**
 * opm's validation error tree (alpha/model/error.go): a node prints its message, then its children with
 * `├── ` / `└── ` prefixes; a node only exists when it has children. Leaves may carry where the offending
 * blob was read, which our text output adds after the message and opm's does not have.
 */
import type { Origin } from "./types.js";
import { formatOrigin } from "../util/errors.js";

export interface Problem {
  message: string;
  origin?: Origin;
  field?: string;
  children?: Problem[];
}

/** Renders a problem tree exactly as opm does; with `withOrigins`, leaves get a ` (file:line:col)` suffix. */
export function renderTree(root: Problem, withOrigins = false): string {
  const lines: string[] = [];
  const visit = (p: Problem, prefix: string, last: boolean, depth: number): void => {
    const hasChildren = !!p.children?.length;
    const at = [p.origin ? formatOrigin(p.origin) : "", p.field ? `field "${p.field}"` : ""].filter(Boolean).join(", ");
    const where = withOrigins && !hasChildren && at ? ` (${at})` : "";
    lines.push(`${prefix}${p.message}${hasChildren ? ":" : ""}${where}`);
    const kids = p.children ?? [];
    kids.forEach((c, i) => {
      let sub = prefix;
      if (depth > 0) sub = sub.slice(0, -4) + (last ? "    " : "│   ");
      const subLast = i === kids.length - 1;
      visit(c, sub + (subLast ? "└── " : "├── "), subLast, depth + 1);
    });
  };
  visit(root, "", true, 0);
  return lines.join("\n").trim();
}

/** Every leaf of a tree with the path of messages above it, for JSON output and tests. */
export function leaves(root: Problem, path: string[] = []): { path: string[]; message: string; origin?: Origin; field?: string }[] {
  if (!root.children?.length) return [{ path, message: root.message, origin: root.origin, field: root.field }];
  return root.children.flatMap((c) => leaves(c, [...path, root.message]));
}
