/** Thin, synchronous git plumbing for checks that compare the work tree with a base ref. */
import { spawnSync } from "node:child_process";
import { UserError } from "../util/errors.js";

function git(args: string[], cwd: string): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new UserError(`git ${args.join(" ")}: ${r.stderr.trim() || `exit ${r.status}`}`);
  return r.stdout;
}

/** Files changed between `base` and `head` (default: the work tree), as repo-relative paths. */
export function changedFiles(repo: string, base: string, head?: string): string[] {
  const range = head ? [`${base}...${head}`] : [base];
  const out = git(["diff", "--name-only", "--no-renames", ...range, "--"], repo);
  const untracked = head ? "" : git(["ls-files", "--others", "--exclude-standard"], repo);
  return [...new Set((out + untracked).split("\n").filter(Boolean))].sort();
}

/** A file's content at a ref, or undefined when it does not exist there. */
export function fileAt(repo: string, ref: string, path: string): string | undefined {
  const r = spawnSync("git", ["show", `${ref}:${path}`], { cwd: repo, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : undefined;
}

/** Paths under `dir` at a ref (files only). */
export function filesAt(repo: string, ref: string, dir: string): string[] {
  return git(["ls-tree", "-r", "--name-only", ref, "--", dir], repo).split("\n").filter(Boolean);
}

/** Verifies that a ref names a commit, for a clear error before any work. */
export function assertRef(repo: string, ref: string): void {
  git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], repo);
}
