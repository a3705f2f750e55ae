import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkOwnersAt } from "../../src/checks/owners-git.js";
import type { Finding } from "../../src/checks/report.js";
import { CATALOG, REPO } from "../support/paths.js";
import { cli } from "../support/cli.js";

/** Runs git in a temp repo as `who` (commits are authored by that login). */
function git(repo: string, who: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", `user.name=${who}`, "-c", `user.email=${who}@example.invalid`, ...args], { cwd: repo, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** A repo with the real OWNERS files (root and two operators) and a base commit by a maintainer. */
function ownersRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "checks-owners-"));
  cpSync(join(REPO, "OWNERS"), join(repo, "OWNERS"));
  for (const op of ["dbaas-operator", "everest-operator"]) {
    mkdirSync(join(repo, "catalog", op), { recursive: true });
    for (const f of ["OWNERS", "veneer.yaml", ".indexignore"]) cpSync(join(CATALOG, op, f), join(repo, "catalog", op, f));
  }
  git(repo, "maintainer", "init", "-q", "-b", "main");
  git(repo, "maintainer", "add", "-A");
  git(repo, "maintainer", "commit", "-qm", "base");
  return repo;
}

/** Makes a commit on a branch as `who`. */
function commitAs(repo: string, who: string, edit: () => void): void {
  edit();
  git(repo, who, "add", "-A");
  git(repo, who, "commit", "-qm", `change by ${who}`);
}

const verdicts = (fs: Finding[]): string[] => fs.map((f) => `${f.severity} ${f.rule} ${f.operator ?? "<root>"}`);

describe("checks: contributor authorization (owners)", function () {
  this.timeout(60_000);

  it("a commit by a non-owner in a temp git repo fails, naming the operator folder and the rule", () => {
    const repo = ownersRepo();
    commitAs(repo, "mallory", () => appendFileSync(join(repo, "catalog", "dbaas-operator", "veneer.yaml"), "  - Image: docker.io/evil/bundle:6.6.6\n"));
    const r = cli(["check", "owners", "-C", repo, "--base", "HEAD~1", "--head", "HEAD", "--author", "mallory"]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /ERROR \[not-an-owner\] dbaas-operator: mallory is not listed in catalog\/dbaas-operator\/OWNERS at the base ref and changed catalog\/dbaas-operator\/veneer\.yaml/);
    const ok = checkOwnersAt(repo, "HEAD~1", "percona-dbaas-maintainers", "HEAD");
    assert.deepEqual(verdicts(ok), ["info owner dbaas-operator"]);
  });

  it("adding yourself to OWNERS in the same change does not help: OWNERS is read at the base", () => {
    const repo = ownersRepo();
    commitAs(repo, "mallory", () => {
      appendFileSync(join(repo, "catalog", "everest-operator", "OWNERS"), "  - mallory\n");
      appendFileSync(join(repo, "catalog", "everest-operator", "veneer.yaml"), "# mine now\n");
    });
    assert.deepEqual(verdicts(checkOwnersAt(repo, "HEAD~1", "mallory", "HEAD")), ["error not-an-owner everest-operator"]);
  });

  it("a new operator folder is allowed for a login its new OWNERS lists; a root file still needs the root OWNERS", () => {
    const repo = ownersRepo();
    mkdirSync(join(repo, "catalog", "new-operator"));
    writeFileSync(join(repo, "catalog", "new-operator", "OWNERS"), "approvers:\n  - alice\n");
    writeFileSync(join(repo, "catalog", "new-operator", "veneer.yaml"), "Schema: olm.semver\n");
    // work-tree mode: untracked files count as changed
    assert.deepEqual(verdicts(checkOwnersAt(repo, "HEAD", "alice")), ["info new-operator new-operator"]);
    writeFileSync(join(repo, "README.md"), "hi\n");
    assert.deepEqual(verdicts(checkOwnersAt(repo, "HEAD", "Alice")), ["error not-an-owner <root>", "info new-operator new-operator"]);
    assert.deepEqual(verdicts(checkOwnersAt(repo, "HEAD", "dbaas-catalog-maintainers")), ["info owner <root>", "error not-an-owner new-operator"]);
  });

  it("usage: owners needs --base and --author; an unknown ref is exit 1", () => {
    const repo = ownersRepo();
    assert.equal(cli(["check", "owners", "-C", repo, "--base", "HEAD"]).status, 2);
    const r = cli(["check", "owners", "-C", repo, "--base", "no-such-ref", "--author", "x"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /git rev-parse --verify --quiet no-such-ref\^\{commit\}/);
  });
});
