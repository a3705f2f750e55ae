/** Contributor authorization against git: the changed files of a change and the OWNERS files at its base. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assertRef, changedFiles, fileAt } from "../git/git.js";
import { checkOwners } from "./owners.js";
import type { Finding } from "./report.js";

const ownersPath = (scope: string): string => (scope ? `${scope}/OWNERS` : "OWNERS");

/** Checks that `author` may make the change from `base` to `head` (default: the work tree, untracked files included). */
export function checkOwnersAt(repo: string, base: string, author: string, head?: string): Finding[] {
  assertRef(repo, base);
  if (head) assertRef(repo, head);
  const changed = changedFiles(repo, base, head);
  if (changed.length === 0) return [{ layer: "owners", rule: "no-changes", severity: "info", message: `no files changed since ${base}` }];
  return checkOwners({
    changed,
    author,
    baseOwners: (scope) => fileAt(repo, base, ownersPath(scope)),
    headOwners: (scope) => {
      if (head) return fileAt(repo, head, ownersPath(scope));
      const f = join(repo, ownersPath(scope));
      return existsSync(f) ? readFileSync(f, "utf8") : undefined;
    },
  });
}
