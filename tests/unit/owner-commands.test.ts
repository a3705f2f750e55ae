import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addBundle, promote } from "../../src/owner/add-bundle.js";
import { addOperator } from "../../src/owner/add-operator.js";
import { renderVeneer, selfSource } from "../../src/checks/drift.js";
import { loadCatalog } from "../../src/checks/catalog-tree.js";
import { checkSanity } from "../../src/checks/sanity.js";
import { channelHead } from "../../src/graph/upgrade.js";
import { CATALOG, OPERATORS, PERCONA } from "../support/paths.js";
import { cli } from "../support/cli.js";

const PXC = "percona-xtradb-cluster-operator";
const DBAAS_17 = "docker.io/percona/dbaas-operator-bundle:0.1.17";
const fixture = (op: string): string => join(PERCONA, op, "catalog.yaml");

function copyCatalog(): string {
  const dir = mkdtempSync(join(tmpdir(), "owner-cmd-"));
  cpSync(CATALOG, dir, { recursive: true });
  return dir;
}
/** Every file of a folder tree with its bytes, to prove a failed command changed nothing. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), "base64"));
  }
  return out;
}
const sanityErrors = async (root: string, op: string) => (await checkSanity(loadCatalog(root, [op]))).filter((f) => f.severity === "error");

describe("owner tooling: add-operator, add-bundle, promote, check-drift", function () {
  this.timeout(120_000);

  it("add-operator creates a folder that passes sanity; a bad image or a foreign package leaves the catalog untouched", async () => {
    const root = copyCatalog();
    rmSync(join(root, "dbaas-operator"), { recursive: true });
    const before = snapshot(root);
    const bad = cli(["add-operator", "dbaas-operator", "--image", "docker.io/percona/dbaas-operator-bundle:9.9.9", "--owner", "alice", "--catalog", root, "--bundles-from", fixture("dbaas-operator")]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /render bundle "docker\.io\/percona\/dbaas-operator-bundle:9\.9\.9"/);
    await assert.rejects(
      addOperator({ catalog: root, name: "my-db", image: DBAAS_17, owners: ["alice"], channel: "stable", bundlesFrom: fixture("dbaas-operator") }),
      /my-db: the bundles belong to package dbaas-operator, not my-db/,
    );
    assert.deepEqual(snapshot(root), before);
    const ok = cli(["add-operator", "dbaas-operator", "--image", DBAAS_17, "--owner", "alice", "--channel", "stable", "--catalog", root, "--bundles-from", fixture("dbaas-operator")]);
    assert.equal(ok.status, 0, ok.stderr);
    const dir = join(root, "dbaas-operator");
    assert.deepEqual(readdirSync(dir).sort(), [".indexignore", "OWNERS", "catalog.yaml", "veneer.yaml"]);
    assert.match(readFileSync(join(dir, "OWNERS"), "utf8"), /approvers:\n  - alice\n/);
    assert.equal(readFileSync(join(dir, "veneer.yaml"), "utf8"), `Schema: olm.semver\nGenerateMajorChannels: true\nGenerateMinorChannels: false\nStable:\n  Bundles:\n  - Image: ${DBAAS_17}\n`);
    assert.deepEqual(await sanityErrors(root, "dbaas-operator"), []);
  });

  it("add-bundle puts a removed bundle back: veneer.yaml and catalog.yaml equal the committed ones byte for byte", async () => {
    const root = copyCatalog();
    const dir = join(root, "dbaas-operator");
    const veneer = readFileSync(join(dir, "veneer.yaml"), "utf8").replace(`  - Image: ${DBAAS_17}\n`, "");
    const rendered = await renderVeneer(dir, selfSource(dir), veneer);
    writeFileSync(join(dir, "veneer.yaml"), veneer);
    writeFileSync(join(dir, "catalog.yaml"), rendered);
    await addBundle({ catalog: root, operator: "dbaas-operator", image: DBAAS_17, channel: "stable", bundlesFrom: fixture("dbaas-operator") });
    for (const f of ["veneer.yaml", "catalog.yaml"]) assert.equal(readFileSync(join(dir, f), "utf8"), readFileSync(join(CATALOG, "dbaas-operator", f), "utf8"), f);
  });

  it("add-bundle failures (unknown image, a crash between the two renames) leave both files byte-identical", async () => {
    const root = copyCatalog();
    const before = snapshot(root);
    const r = cli(["add-bundle", PXC, "quay.io/operatorhubio/percona-xtradb-cluster-operator:v9.9.9", "--channel", "fast", "--catalog", root, "--bundles-from", fixture(PXC)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /veneer\.yaml:\d+:\d+: render bundle "quay\.io\/operatorhubio\/percona-xtradb-cluster-operator:v9\.9\.9"/);
    await assert.rejects(
      addBundle({
        catalog: root,
        operator: PXC,
        image: "quay.io/operatorhubio/percona-xtradb-cluster-operator:v1.10.0",
        channel: "fast",
        bundlesFrom: fixture(PXC),
        hooks: { beforeRename: (_p, i) => { if (i === 1) throw new Error("killed between renames"); } },
      }),
      /killed between renames/,
    );
    assert.deepEqual(snapshot(root), before);
    assert.equal(cli(["add-bundle", PXC, "x/y:1.0.0", "--channel", "beta", "--catalog", root]).status, 2);
  });

  it("promote moves pxc 1.13.0 to stable: the new stable head passes sanity; bad promotions change nothing", async () => {
    const root = copyCatalog();
    const before = snapshot(root);
    await assert.rejects(promote({ catalog: root, operator: "percona-server-mongodb-operator", version: "1.14.0", to: "stable" }), /1\.14\.0 \(quay\.io\/operatorhubio\/percona-server-mongodb-operator:v1\.14\.0\) is already in stable/);
    await assert.rejects(promote({ catalog: root, operator: PXC, version: "2.0.0", to: "stable" }), /has no bundle with version 2\.0\.0 in catalog\.yaml \(versions: 1\.10\.0, 1\.11\.0, 1\.12\.0, 1\.13\.0\)/);
    assert.equal(cli(["promote", PXC, "1.13.0", "--to", "candidate", "--catalog", root]).status, 2);
    assert.deepEqual(snapshot(root), before);
    const r = cli(["promote", PXC, "v1.13.0", "--to", "stable", "--catalog", root]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(readFileSync(join(root, PXC, "veneer.yaml"), "utf8"), /:v1\.12\.0\n  - Image: quay\.io\/operatorhubio\/percona-xtradb-cluster-operator:v1\.13\.0\n$/);
    const cat = loadCatalog(root, [PXC]);
    assert.equal(channelHead(cat.operators.get(PXC)!.model!, PXC, "stable-v1"), `${PXC}.v1.13.0`);
    assert.deepEqual(await sanityErrors(root, PXC), []);
  });

  it("check-drift passes offline and against the fixture bundles; a linking change names operator and line", () => {
    // offline: all nine folders render from their own committed bundles
    const offline = cli(["check-drift", "--offline", "-o", "json"]);
    assert.equal(offline.status, 0, offline.stdout + offline.stderr);
    const drift = (out: string) => (JSON.parse(out).findings as { operator: string; severity: string }[]).map((f) => `${f.severity} ${f.operator}`);
    assert.deepEqual(drift(offline.stdout), [
      "info ack-rds-controller",
      "info dbaas-operator",
      "info everest-operator",
      "info opentelemetry-operator",
      "info percona-postgresql-operator",
      "info percona-server-mongodb-operator",
      "info percona-xtradb-cluster-operator",
      "info prometheus",
      "info victoriametrics-operator",
    ]);
    // the Percona fixture holds the bundles of the six Percona-catalog operators only (not ack-rds, otel, prometheus)
    const ok = cli(["check-drift", ...OPERATORS, "--bundles-from", PERCONA, "-o", "json"]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(JSON.parse(ok.stdout).findings.length, 12);
    assert.deepEqual(drift(ok.stdout), OPERATORS.flatMap((op) => [`info ${op}`, `info ${op}`]));
    const root = copyCatalog();
    const f = join(root, "dbaas-operator", "catalog.yaml");
    writeFileSync(f, readFileSync(f, "utf8").replace("  - dbaas-operator.v0.1.15\n", ""));
    const bad = cli(["check-drift", "--offline", "--catalog", root]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /ERROR \[drift\] dbaas-operator: catalog\.yaml is not what veneer\.yaml renders to .*first difference at line 23: rendered "  - dbaas-operator\.v0\.1\.15", committed "  - dbaas-operator\.v0\.1\.4"/);
    assert.equal(bad.stdout.match(/ERROR/g)!.length, 1);
  });
});
