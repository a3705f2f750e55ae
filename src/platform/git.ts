/** The git ref a catalog image is tagged with, so every image traces back to the commit it was built from. */
import { spawnSync } from "node:child_process";

function git(args: string[], cwd: string): string | undefined {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Makes any text a valid image tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`). */
export function imageTag(text: string): string {
  const t = text.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[.-]+/, "");
  return (t || "untagged").slice(0, 128);
}

/**
 * The short commit of `repo`'s HEAD, with `-dirty` when `paths` have uncommitted changes (the image then
 * holds content no commit has; its digest still pins it exactly). `untracked` outside a git work tree.
 */
export function gitRef(repo: string, paths: string[] = []): string {
  const head = git(["rev-parse", "--short=12", "HEAD"], repo);
  if (!head) return "untracked";
  const status = git(["status", "--porcelain", "--", ...paths], repo);
  return imageTag(status ? `${head}-dirty` : head);
}
