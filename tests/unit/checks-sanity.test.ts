import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFbc } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import type { DeclarativeConfig } from "../../src/fbc/types.js";
import { loadCatalog } from "../../src/checks/catalog-tree.js";
import { checkSanity } from "../../src/checks/sanity.js";
import { failed, type Finding } from "../../src/checks/report.js";
import { CATALOG } from "../support/paths.js";
import { cli } from "../support/cli.js";

/** A scratch copy of the committed catalog. */
function copyCatalog(): string {
  const dir = mkdtempSync(join(tmpdir(), "checks-sanity-"));
  cpSync(CATALOG, dir, { recursive: true });
  return dir;
}

/** Rewrites one operator's catalog.yaml through the real loader and writer. */
function editCatalog(root: string, op: string, edit: (cfg: DeclarativeConfig) => void): void {
  const file = join(root, op, "catalog.yaml");
  const cfg = loadFbc(file);
  edit(cfg);
  writeFileSync(file, writeFbc(cfg, "yaml"));
}

/** Edits the decoded manifests (olm.bundle.object) of one bundle. */
function editObjects(cfg: DeclarativeConfig, bundle: string, edit: (objs: Record<string, any>[]) => Record<string, any>[]): void {
  const b = cfg.bundles.find((x) => x.name === bundle)!;
  const objs = b.properties.filter((p) => p.type === "olm.bundle.object").map((p) => JSON.parse(Buffer.from((p.value as { data: string }).data, "base64").toString()));
  const others = b.properties.filter((p) => p.type !== "olm.bundle.object");
  b.properties = [...others, ...edit(objs).map((o) => ({ type: "olm.bundle.object", value: { data: Buffer.from(JSON.stringify(o)).toString("base64") } }))];
}

const errors = (fs: Finding[]): Finding[] => fs.filter((f) => f.severity === "error");
const sanity = async (root: string, ops?: string[]): Promise<Finding[]> => checkSanity(loadCatalog(root, ops));

describe("checks: sanity layer", function () {
  this.timeout(120_000);

  it("passes on the committed catalog, warning on the known quirks only (psmdb .v1 name, prometheus CSV names, dbaas image tag)", async () => {
    const fs = await sanity(CATALOG);
    assert.deepEqual(errors(fs), []);
    const warnings = fs.filter((f) => f.severity === "warning").map((f) => `${f.rule} ${f.bundle}`);
    assert.deepEqual(warnings.sort(), [
      "csv-name-quirk percona-server-mongodb-operator.v1",
      "csv-name-quirk prometheusoperator.0.47.0",
      "csv-name-quirk prometheusoperator.0.56.3",
      "image-tag dbaas-operator.v0.1.15",
    ]);
    assert.equal(fs.filter((f) => f.rule === "drift" && f.severity === "info").length, 9);
  });

  it("drift: a bundle dropped from veneer.yaml without re-rendering names the operator and the first differing line", async () => {
    const root = copyCatalog();
    const v = join(root, "dbaas-operator", "veneer.yaml");
    writeFileSync(v, readFileSync(v, "utf8").replace("  - Image: docker.io/percona/dbaas-operator-bundle:0.1.6\n", ""));
    const fs = await sanity(root, ["dbaas-operator"]);
    const [e, ...more] = errors(fs);
    assert.equal(more.length, 0, JSON.stringify(more));
    assert.equal(e!.rule, "drift");
    assert.equal(e!.operator, "dbaas-operator");
    assert.match(e!.message, /first difference at line \d+: rendered .*committed "- name: dbaas-operator.v0.1.6"/);
  });

  it("bundle: an owned CRD that is not shipped fails with operator, bundle and rule", async () => {
    const root = copyCatalog();
    editCatalog(root, "percona-server-mongodb-operator", (cfg) =>
      editObjects(cfg, "percona-server-mongodb-operator.v1.14.0", (objs) => objs.filter((o) => o["metadata"]?.name !== "perconaservermongodbbackups.psmdb.percona.com")),
    );
    const fs = await sanity(root, ["percona-server-mongodb-operator"]);
    assert.deepEqual(
      errors(fs).map((f) => [f.rule, f.operator, f.bundle]),
      [["owned-crd-missing", "percona-server-mongodb-operator", "percona-server-mongodb-operator.v1.14.0"]],
    );
    assert.match(errors(fs)[0]!.message, /owns CRD perconaservermongodbbackups\.psmdb\.percona\.com \(v1\) but the bundle does not ship it/);
    assert.ok(failed({ findings: fs }));
  });

  it("bundle: no supported install mode, a CSV version off the package version, no relatedImages", async () => {
    const root = copyCatalog();
    editCatalog(root, "everest-operator", (cfg) => {
      editObjects(cfg, "everest-operator.v0.0.19", (objs) =>
        objs.map((o) => {
          if (o["kind"] !== "ClusterServiceVersion") return o;
          o["spec"].installModes = o["spec"].installModes.map((m: { type: string }) => ({ ...m, supported: false }));
          o["spec"].version = "0.0.20";
          return o;
        }),
      );
      cfg.bundles.find((b) => b.name === "everest-operator.v0.0.18")!.relatedImages = [];
    });
    const got = errors(await sanity(root, ["everest-operator"])).map((f) => `${f.rule} ${f.bundle}`);
    assert.deepEqual(got.sort(), ["csv-version everest-operator.v0.0.19", "install-modes everest-operator.v0.0.19", "related-images everest-operator.v0.0.18"]);
  });

  it("veneer schema, OWNERS and .indexignore problems are each named", async () => {
    const root = copyCatalog();
    const op = join(root, "victoriametrics-operator");
    writeFileSync(join(op, "veneer.yaml"), readFileSync(join(op, "veneer.yaml"), "utf8") + "Frobnicate: true\n");
    writeFileSync(join(op, "OWNERS"), "approvers: []\nreviewers:\n  - not a login\n");
    rmSync(join(root, "everest-operator", "OWNERS"));
    const fs = await sanity(root, ["victoriametrics-operator", "everest-operator"]);
    const got = errors(fs).map((f) => `${f.operator} ${f.rule}: ${f.message}`);
    assert.equal(got.length, 4, got.join("\n"));
    assert.match(got[0]!, /^everest-operator owners-file: OWNERS is missing/);
    assert.match(got[1]!, /^victoriametrics-operator veneer-schema: .*veneer\.yaml:\d+:1: error unmarshaling JSON: while decoding JSON: json: unknown field "Frobnicate"/);
    assert.match(got[2]!, /^victoriametrics-operator owners-file: OWNERS reviewers must be a list of GitHub logins/);
    assert.match(got[3]!, /^victoriametrics-operator owners-file: OWNERS must list at least one approver/);
  });

  it("a broken replaces chain fails opm validation (and drift) for that operator only", async () => {
    const root = copyCatalog();
    const f = join(root, "percona-xtradb-cluster-operator", "catalog.yaml");
    writeFileSync(f, readFileSync(f, "utf8").replace("replaces: percona-xtradb-cluster-operator.v1.10.0", "replaces: percona-xtradb-cluster-operator.v1.12.0"));
    const fs = errors(await sanity(root));
    assert.deepEqual([...new Set(fs.map((x) => x.operator))], ["percona-xtradb-cluster-operator"]);
    const v = fs.find((x) => x.rule === "validate")!;
    assert.match(v.message, /invalid channel "stable-v1": no channel head found in graph \(.*catalog\.yaml:\d+:\d+\)/);
    assert.ok(fs.some((x) => x.rule === "drift"));
  });

  it("a folder whose name is not its package, and an operator without .indexignore", async () => {
    const root = copyCatalog();
    renameSync(join(root, "dbaas-operator"), join(root, "dbaas"));
    rmSync(join(root, ".indexignore"));
    rmSync(join(root, "everest-operator", ".indexignore"));
    const fs = errors(await sanity(root, ["dbaas", "everest-operator"]));
    assert.ok(fs.some((f) => f.operator === "dbaas" && f.rule === "package-name" && /exactly the package "dbaas", found dbaas-operator/.test(f.message)));
    const everest = fs.filter((f) => f.operator === "everest-operator").map((f) => f.rule);
    assert.deepEqual(everest, ["indexignore", "indexignore", "load"]);
  });

  it("CLI: `check sanity <op>` exits 1 on a failure, 0 on the real catalog, in text, json and markdown", () => {
    const ok = cli(["check", "sanity", "dbaas-operator", "-o", "json"]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).passed, true);
    const root = copyCatalog();
    writeFileSync(join(root, "dbaas-operator", "OWNERS"), "approvers: nobody\n");
    const bad = cli(["check", "sanity", "dbaas-operator", "--catalog", root]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /ERROR \[owners-file\] dbaas-operator: OWNERS approvers must be a list of GitHub logins/);
    assert.match(bad.stdout, /FAILED: 2 error\(s\)/);
    const md = cli(["check", "sanity", "dbaas-operator", "--catalog", root, "-o", "markdown"]);
    assert.match(md.stdout, /^### Catalog checks: failed\n/);
    assert.match(md.stdout, /\| ❌ \| sanity \| owners-file \| dbaas-operator \|/);
  });
});
