import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CATALOG, REPO } from "../support/paths.js";
import { cli } from "../support/cli.js";

function git(repo: string, ...args: string[]): void {
  const r = spawnSync("git", ["-c", "user.name=base", "-c", "user.email=base@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/**
 * A temp git repo whose HEAD holds the catalog, root OWNERS and stacks as they are in the work tree, so the
 * owners layer judges a known change (one root file) instead of whatever happens to be uncommitted here.
 */
function snapshotRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "checks-all-"));
  cpSync(CATALOG, join(repo, "catalog"), { recursive: true });
  for (const f of readdirSync(REPO).filter((x) => x === "OWNERS" || /^Pulumi\.[^/]*\.ya?ml$/.test(x) || x === "Pulumi.yaml")) cpSync(join(REPO, f), join(repo, f));
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "base");
  writeFileSync(join(repo, "README.md"), "# catalog\n");
  return repo;
}

describe("checks: `check all` on the real catalog", function () {
  this.timeout(120_000);
  let repo = "";
  before(() => (repo = snapshotRepo()));
  after(() => rmSync(repo, { recursive: true, force: true }));

  it("passes every layer (owners, sanity, integration against HEAD, interoperability) in under 30 s", () => {
    const t = performance.now();
    const r = cli(["check", "all", "-C", repo, "--base", "HEAD", "--author", "dbaas-catalog-maintainers", "-o", "json"]);
    const seconds = (performance.now() - t) / 1000;
    console.log(`      check all: ${seconds.toFixed(2)} s wall (CLI process included); ${r.stderr.trim()}`);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { passed: boolean; findings: { layer: string; severity: string; rule: string; message: string }[] };
    assert.equal(out.passed, true);
    assert.deepEqual([...new Set(out.findings.map((f) => f.layer))], ["owners", "sanity", "integration", "interoperability"]);
    assert.deepEqual(out.findings.filter((f) => f.severity === "error"), []);
    assert.deepEqual(
      out.findings.filter((f) => f.layer === "owners").map((f) => `${f.severity} ${f.rule}: ${f.message}`),
      ["info owner: dbaas-catalog-maintainers may change the repository root (1 file(s)); listed in OWNERS"],
    );
    assert.deepEqual(
      out.findings.filter((f) => f.layer === "interoperability").map((f) => f.message.split(":")[0]),
      ["platform aws", "platform dev", "platform edge", "platform percona-observability", "platform percona-platform"],
    );
    assert.match(r.stderr, /^timings: owners [\d.]+s, load [\d.]+s, sanity [\d.]+s, integration [\d.]+s, interoperability [\d.]+s, total [\d.]+s\n$/);
    assert.ok(seconds < 30, `check all took ${seconds.toFixed(1)} s`);
  });
});
