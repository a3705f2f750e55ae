import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFbc } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import { loadCatalog, loadCatalogAt } from "../../src/checks/catalog-tree.js";
import { checkIntegration } from "../../src/checks/integration.js";
import { renderVeneer, selfSource } from "../../src/checks/drift.js";
import { crdChanges } from "../../src/checks/crd-compat.js";
import type { Finding } from "../../src/checks/report.js";
import { CATALOG, REPO } from "../support/paths.js";
import { cli } from "../support/cli.js";

function git(repo: string, ...args: string[]): void {
  const r = spawnSync("git", ["-c", "user.name=base", "-c", "user.email=base@example.invalid", ...args], { cwd: repo, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** A temp git repo whose one commit holds the committed catalog: the base of every case. */
function baseRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "checks-integration-"));
  cpSync(CATALOG, join(repo, "catalog"), { recursive: true });
  cpSync(join(REPO, "OWNERS"), join(repo, "OWNERS"));
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "base");
  return repo;
}

const errors = (fs: Finding[]): Finding[] => fs.filter((f) => f.severity === "error");

describe("checks: integration layer (base ref vs work tree)", function () {
  this.timeout(120_000);
  let repo: string;
  let base: ReturnType<typeof loadCatalogAt>;
  const snapshot = new Map<string, Buffer>();

  /** Changes files of the work tree for one case; `afterEach` puts their bytes back. */
  const change = (rel: string, edit: (text: string) => string): void => {
    const f = join(repo, rel);
    if (!snapshot.has(f)) snapshot.set(f, readFileSync(f));
    writeFileSync(f, edit(readFileSync(f, "utf8")));
  };
  /** Edits an operator's veneer and re-renders its catalog.yaml from the committed bundles, as an owner would. */
  const reRender = async (op: string, edit: (veneer: string) => string): Promise<void> => {
    const dir = join(repo, "catalog", op);
    const veneer = edit(readFileSync(join(dir, "veneer.yaml"), "utf8"));
    const rendered = await renderVeneer(dir, selfSource(dir), veneer);
    change(`catalog/${op}/veneer.yaml`, () => veneer);
    change(`catalog/${op}/catalog.yaml`, () => rendered);
  };
  const integration = (ops?: string[]): Finding[] => checkIntegration(base!, loadCatalog(join(repo, "catalog"), ops), ops);

  before(() => {
    repo = baseRepo();
    base = loadCatalogAt(repo, "HEAD");
  });
  afterEach(() => {
    for (const [f, bytes] of snapshot) writeFileSync(f, bytes);
    snapshot.clear();
  });

  it("loads the base catalog from git and passes when nothing changed (CRD steps only warn)", () => {
    assert.deepEqual([...base!.operators.keys()], [
      "ack-rds-controller",
      "dbaas-operator",
      "everest-operator",
      "opentelemetry-operator",
      "percona-postgresql-operator",
      "percona-server-mongodb-operator",
      "percona-xtradb-cluster-operator",
      "prometheus",
      "victoriametrics-operator",
    ]);
    const fs = integration();
    assert.deepEqual(errors(fs), []);
    assert.equal(fs.filter((f) => f.rule === "upgrades").length, 9);
    assert.ok(fs.some((f) => f.rule === "crd-served-version-dropped" && f.severity === "warning" && /stops serving v1alpha1/.test(f.message)));
  });

  it("drop a bundle: clusters on the removed dbaas-operator.v0.1.6 are stranded", async () => {
    await reRender("dbaas-operator", (v) => v.replace("  - Image: docker.io/percona/dbaas-operator-bundle:0.1.6\n", ""));
    const fs = errors(integration(["dbaas-operator"]));
    assert.deepEqual(fs.map((f) => [f.rule, f.operator, f.bundle]), [["stranded", "dbaas-operator", "dbaas-operator.v0.1.6"]]);
    assert.match(fs[0]!.message, /channel stable-v0: dbaas-operator\.v0\.1\.6 \(removed from the channel\) cannot upgrade to the new head dbaas-operator\.v0\.1\.17/);
  });

  it("drop the head: psmdb v1.14.0 removed goes back in both channels and strands the old head", async () => {
    await reRender("percona-server-mongodb-operator", (v) => v.split("\n").filter((l) => !l.endsWith(":v1.14.0")).join("\n"));
    const got = errors(integration(["percona-server-mongodb-operator"])).map((f) => `${f.rule} ${f.bundle} ${f.message.split(":")[0]}`);
    assert.deepEqual(got, [
      "head-downgrade percona-server-mongodb-operator.v1.13.1 channel fast-v1",
      "head-upgrade percona-server-mongodb-operator.v1.14.0 channel fast-v1",
      "head-downgrade percona-server-mongodb-operator.v1.13.1 channel stable-v1",
      "head-upgrade percona-server-mongodb-operator.v1.14.0 channel stable-v1",
    ]);
  });

  it("remove a channel: psmdb without fast bundles loses fast-v1", async () => {
    await reRender("percona-server-mongodb-operator", (v) => v.replace(/Fast:\n  Bundles:\n(  - .*\n)+/, ""));
    const fs = errors(integration(["percona-server-mongodb-operator"]));
    assert.deepEqual(fs.map((f) => [f.rule, f.operator, f.message]), [
      ["channel-removed", "percona-server-mongodb-operator", "channel fast-v1 of percona-server-mongodb-operator was removed: subscriptions to it get no more updates"],
    ]);
  });

  it("break a replaces chain: the channel has no head any more", () => {
    change("catalog/percona-xtradb-cluster-operator/catalog.yaml", (t) =>
      t.replace("replaces: percona-xtradb-cluster-operator.v1.10.0", "replaces: percona-xtradb-cluster-operator.v1.12.0"),
    );
    const fs = errors(integration(["percona-xtradb-cluster-operator"]));
    assert.equal(fs.length, 1, JSON.stringify(fs));
    assert.equal(fs[0]!.rule, "channel-graph");
    assert.equal(fs[0]!.operator, "percona-xtradb-cluster-operator");
    assert.match(fs[0]!.message, /^channel stable-v1: channel "stable-v1" of package "percona-xtradb-cluster-operator": no channel head found in graph/);
  });

  it("remove a stored CRD version: psmdb v1.14.0 without v1 breaks the upgrade from v1.13.1", () => {
    const file = join(repo, "catalog", "percona-server-mongodb-operator", "catalog.yaml");
    change("catalog/percona-server-mongodb-operator/catalog.yaml", () => {
      const cfg = loadFbc(file);
      const b = cfg.bundles.find((x) => x.name === "percona-server-mongodb-operator.v1.14.0")!;
      for (const p of b.properties) {
        if (p.type !== "olm.bundle.object") continue;
        const v = p.value as { data: string };
        const o = JSON.parse(Buffer.from(v.data, "base64").toString());
        if (o.metadata?.name !== "perconaservermongodbs.psmdb.percona.com") continue;
        o.spec.versions = o.spec.versions.filter((x: { name: string }) => x.name !== "v1");
        o.spec.versions.find((x: { name: string }) => x.name === "v1-12-0").storage = true;
        v.data = Buffer.from(JSON.stringify(o)).toString("base64");
      }
      return writeFbc(cfg, "yaml");
    });
    const fs = errors(integration(["percona-server-mongodb-operator"]));
    const steps = fs.map((f) => `${f.rule} ${f.bundle} ${/upgrade (\S+) ->/.exec(f.message)?.[1]}`);
    assert.ok(steps.includes("crd-stored-version-removed percona-server-mongodb-operator.v1.14.0 percona-server-mongodb-operator.v1.13.1"), steps.join("\n"));
    assert.ok(fs.every((f) => f.operator === "percona-server-mongodb-operator" && f.rule === "crd-stored-version-removed"));
    assert.match(fs[0]!.message, /CRD perconaservermongodbs\.psmdb\.percona\.com drops version v1, the storage version of the previous bundle/);
  });

  it("CRD rules on their own: a served version dropped with no served version left in common is an error", () => {
    const crd = (versions: [string, boolean, boolean][]) => ({ name: "x.example.com", group: "example.com", kind: "X", plural: "xs", conversion: "None", versions: versions.map(([name, served, storage]) => ({ name, served, storage })) });
    const from = { crds: [crd([["v1", true, true]])], objectCount: 1 };
    assert.deepEqual(crdChanges(from, { crds: [crd([["v1", false, false], ["v2", true, true]])], objectCount: 1 }).map((c) => c.rule), ["crd-served-version-removed"]);
    assert.deepEqual(crdChanges(from, { crds: [crd([["v1", true, false], ["v2", true, true]])], objectCount: 1 }), []);
    assert.deepEqual(crdChanges(from, { crds: [], objectCount: 1 }).map((c) => c.rule), ["crd-removed"]);
  });

  it("remove an operator folder; CLI `check integration --base` exits 1 and names it", () => {
    const dir = join(repo, "catalog", "everest-operator");
    const saved = mkdtempSync(join(tmpdir(), "saved-"));
    cpSync(dir, saved, { recursive: true });
    rmSync(dir, { recursive: true });
    try {
      const r = cli(["check", "integration", "--base", "HEAD", "-C", repo]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /ERROR \[operator-removed\] everest-operator: catalog\/everest-operator was removed/);
    } finally {
      cpSync(saved, dir, { recursive: true });
    }
    const ok = cli(["check", "integration", "--base", "HEAD", "-C", repo, "-o", "json"]);
    assert.equal(ok.status, 0, ok.stdout);
  });
});
