import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOG, PERCONA } from "../support/paths.js";
import { cli, cliKilledAfter } from "../support/cli.js";

function copyCatalog(): string {
  const dir = mkdtempSync(join(tmpdir(), "cli-catalog-"));
  cpSync(CATALOG, dir, { recursive: true });
  return dir;
}

describe("CLI", function () {
  this.timeout(120_000);

  it("validate passes on the committed catalog with no output and exit 0", () => {
    const r = cli(["validate", "catalog"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
  });

  it("validate -o json prints opm's shape", () => {
    const r = cli(["validate", "catalog", "-o", "json"]);
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), { passed: true });
  });

  it("a corrupted copy fails with exit 1 and a readable tree naming file, line and field", () => {
    const dir = copyCatalog();
    const f = join(dir, "percona-xtradb-cluster-operator", "catalog.yaml");
    writeFileSync(f, readFileSync(f, "utf8").replace("replaces: percona-xtradb-cluster-operator.v1.10.0", "replaces: percona-xtradb-cluster-operator.v1.12.0"));
    const r = cli(["validate", dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^invalid index:\n└── invalid package "percona-xtradb-cluster-operator":\n/);
    assert.match(r.stderr, /invalid channel "stable-v1":\n/);
    assert.match(r.stderr, /no channel head found in graph/);
    assert.match(r.stderr, /catalog\.yaml:\d+:\d+, field "entries \(replaces\/skips\)"/);
    const j = cli(["validate", dir, "-o", "json"]);
    assert.equal(j.status, 1);
    assert.equal(JSON.parse(j.stdout).passed, false);
  });

  it("usage errors exit 2; a missing directory exits 1", () => {
    assert.equal(cli(["validate"]).status, 2);
    assert.equal(cli(["frobnicate"]).status, 2);
    assert.equal(cli(["validate", "catalog", "-o", "xml"]).status, 2);
    assert.equal(cli(["render", "catalog/dbaas-operator", "--compat", "1999"]).status, 2);
    assert.equal(cli(["validate", "no/such/dir"]).status, 1);
  });

  it("--help works everywhere", () => {
    for (const args of [["--help"], ["render", "--help"], ["validate", "--help"]]) {
      const r = cli(args);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /Usage: dbaas-catalog/);
    }
  });

  it("render writes catalog.yaml equal to the committed one", () => {
    const dir = copyCatalog();
    const op = join(dir, "percona-server-mongodb-operator");
    writeFileSync(join(op, "catalog.yaml"), "stale\n");
    const r = cli(["render", op, "--bundles-from", join(PERCONA, "percona-server-mongodb-operator", "catalog.yaml")]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(op, "catalog.yaml"), "utf8"), readFileSync(join(CATALOG, "percona-server-mongodb-operator", "catalog.yaml"), "utf8"));
  });

  it("a render that fails halfway (bad bundle in the middle) leaves catalog.yaml byte-identical", () => {
    const dir = copyCatalog();
    const op = join(dir, "percona-server-mongodb-operator");
    const before = readFileSync(join(op, "catalog.yaml"));
    const veneer = readFileSync(join(op, "veneer.yaml"), "utf8").replace(":v1.12.0", ":v1.12.99");
    writeFileSync(join(op, "veneer.yaml"), veneer);
    const r = cli(["render", op, "--bundles-from", join(PERCONA, "percona-server-mongodb-operator", "catalog.yaml")]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /veneer\.yaml:\d+:\d+: render bundle "quay\.io\/operatorhubio\/percona-server-mongodb-operator:v1\.12\.99"/);
    assert.deepEqual(readFileSync(join(op, "catalog.yaml")), before);
    assert.deepEqual(readdirSync(op).sort(), [".indexignore", "OWNERS", "catalog.yaml", "veneer.yaml"]);
  });

  it("a render killed with SIGKILL at any moment leaves either the old or the complete new catalog.yaml", async () => {
    const dir = copyCatalog();
    const op = join(dir, "victoriametrics-operator");
    const expected = readFileSync(join(op, "catalog.yaml"), "utf8");
    const from = join(PERCONA, "victoriametrics-operator", "catalog.yaml");
    let sawOld = 0;
    let sawNew = 0;
    for (const ms of [150, 400, 700, 900, 1100, 1300, 1600, 2000, 2600, 4000]) {
      writeFileSync(join(op, "catalog.yaml"), "old content\n");
      await cliKilledAfter(["render", op, "--bundles-from", from], ms);
      const now = readFileSync(join(op, "catalog.yaml"), "utf8");
      if (now === "old content\n") sawOld++;
      else {
        assert.equal(now, expected, `torn write after ${ms} ms`);
        sawNew++;
      }
    }
    assert.ok(sawOld > 0, "some kills must land before the rename");
    assert.ok(sawNew > 0 || sawOld === 10);
  });
});
