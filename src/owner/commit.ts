/**
 * All-or-nothing writes for owner commands. Several files: each new content is first staged durably next to
 * its target, then the stages are renamed in; a failure rolls the renamed ones back to their bytes before.
 * A new folder: built under a hidden name, then renamed into place in one step.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { writeFileAtomic } from "../util/atomic.js";
import { UserError } from "../util/errors.js";

export interface FileChange {
  path: string;
  content: string;
}

/** Test seam: called before each rename, so a test can make the commit fail halfway. */
export interface CommitHooks {
  beforeRename?: (path: string, index: number) => void;
}

/** Writes every change or none: on any failure each target is left byte-identical to before. */
export function commitFiles(changes: FileChange[], hooks: CommitHooks = {}): void {
  const originals = changes.map((c) => (existsSync(c.path) ? readFileSync(c.path) : undefined));
  const stages: string[] = [];
  const cleanup = (): void => stages.forEach((s) => rmSync(s, { force: true }));
  try {
    for (const c of changes) {
      const stage = join(dirname(c.path), `.${basename(c.path)}.stage-${process.pid}-${randomBytes(4).toString("hex")}`);
      stages.push(stage);
      writeFileAtomic(stage, c.content);
    }
  } catch (e) {
    cleanup();
    throw e;
  }
  let done = 0;
  try {
    for (; done < changes.length; done++) {
      hooks.beforeRename?.(changes[done]!.path, done);
      renameSync(stages[done]!, changes[done]!.path);
    }
  } catch (e) {
    for (let k = done - 1; k >= 0; k--) {
      const o = originals[k];
      if (o === undefined) rmSync(changes[k]!.path, { force: true });
      else writeFileAtomic(changes[k]!.path, o);
    }
    cleanup();
    throw e;
  }
}

/** Creates folder `dir` holding `files` (name → content) in one rename; fails if `dir` exists. */
export function createDirAtomic(dir: string, files: Record<string, string>): void {
  if (existsSync(dir)) throw new UserError(`${dir} already exists`);
  const tmp = mkdtempSync(join(dirname(dir), `.${basename(dir)}.new-`));
  try {
    chmodSync(tmp, 0o755); // mkdtemp makes it private; a catalog folder is an ordinary one
    for (const [name, content] of Object.entries(files)) writeFileAtomic(join(tmp, name), content);
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
