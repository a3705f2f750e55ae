import { strict as assert } from "node:assert";
import { cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFbc } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import type { DeclarativeConfig, Property } from "../../src/fbc/types.js";
import { loadCatalog, mergedModel } from "../../src/checks/catalog-tree.js";
import { checkPlatform } from "../../src/checks/interop.js";
import { packagesPlatform, parseStack, readStacks, type Platform } from "../../src/checks/platforms.js";
import { failed, type Finding } from "../../src/checks/report.js";
import type { Model } from "../../src/fbc/model.js";
import { CATALOG, REPO } from "../support/paths.js";
import { cli } from "../support/cli.js";

const PSMDB = "percona-server-mongodb-operator";
const PXC = "percona-xtradb-cluster-operator";
const gvk = (group: string, kind: string, version: string): Property => ({ type: "olm.gvk", value: { group, kind, version } });

/** A copy of the catalog with some bundles' properties or CSV edited through the real loader and writer. */
function mutatedModel(edits: Record<string, (cfg: DeclarativeConfig) => void>): { root: string; model: Model } {
  const root = mkdtempSync(join(tmpdir(), "checks-interop-"));
  cpSync(CATALOG, root, { recursive: true });
  for (const [op, edit] of Object.entries(edits)) {
    const file = join(root, op, "catalog.yaml");
    const cfg = loadFbc(file);
    edit(cfg);
    writeFileSync(file, writeFbc(cfg, "yaml"));
  }
  return { root, model: mergedModel(loadCatalog(root)) };
}
const bundle = (cfg: DeclarativeConfig, name: string) => cfg.bundles.find((b) => b.name === name)!;
const errors = (fs: Finding[]): Finding[] => fs.filter((f) => f.severity === "error");

const DBAAS_STACK = `config:
  platform:operators:
    pxc:
      package: ${PXC}
      channel: stable-v1
      namespace: dbaas
    psmdb:
      package: ${PSMDB}
      channel: stable-v1
      namespace: dbaas
`;

describe("checks: interoperability layer", function () {
  this.timeout(120_000);
  let real: Model;
  before(() => {
    real = mergedModel(loadCatalog(CATALOG));
  });

  it("the whole catalog as one platform, and the repository's stacks, pass; the candidate matrix is built", () => {
    const all = checkPlatform(packagesPlatform("catalog", [...real.keys()]), real);
    assert.deepEqual(errors(all), []);
    const stack = checkPlatform(parseStack(DBAAS_STACK, "Pulumi.dbaas.yaml"), real);
    assert.deepEqual(errors(stack), []);
    assert.match(stack.find((f) => f.rule === "matrix")!.message, /^platform dbaas: 2 operator\(s\), 1 candidate\(s\) \(percona-xtradb-cluster-operator\.v1\.13\.0\), 2 combination\(s\) checked$/);
    for (const p of readStacks(REPO)) assert.deepEqual(errors(checkPlatform(p, real)), [], p.name);
  });

  it("duplicate a GVK across two packages: a blocking error naming both packages and bundles", () => {
    const { model } = mutatedModel({ "dbaas-operator": (cfg) => bundle(cfg, "dbaas-operator.v0.1.17").properties.push(gvk("psmdb.percona.com", "PerconaServerMongoDB", "v1")) });
    const fs = checkPlatform(packagesPlatform("pair", ["dbaas-operator", PSMDB]), model);
    const [e, ...more] = errors(fs);
    assert.equal(more.length, 0);
    assert.equal(e!.rule, "gvk-conflict");
    assert.equal(e!.operator, PSMDB);
    assert.equal(e!.bundle, `${PSMDB}.v1.14.0`);
    assert.equal(e!.message, `platform pair [released]: dbaas-operator (dbaas-operator.v0.1.17) and ${PSMDB} (${PSMDB}.v1.14.0) both own psmdb.percona.com/PerconaServerMongoDB: their CRDs would overwrite each other`);
    assert.ok(failed({ findings: fs }));
  });

  it("a conflict only the candidate (fast head) brings is reported but does not block, unless sanity failed", () => {
    const { model } = mutatedModel({ [PXC]: (cfg) => bundle(cfg, `${PXC}.v1.13.0`).properties.push(gvk("psmdb.percona.com", "PerconaServerMongoDBBackup", "v1")) });
    const platform = parseStack(DBAAS_STACK, "Pulumi.dbaas.yaml");
    const fs = checkPlatform(platform, model);
    const [e, ...more] = errors(fs);
    assert.equal(more.length, 0);
    assert.deepEqual([e!.rule, e!.operator, e!.bundle, e!.blocking], ["gvk-conflict", PXC, `${PXC}.v1.13.0`, false]);
    assert.match(e!.message, /^platform dbaas \[candidate percona-xtradb-cluster-operator\.v1\.13\.0 × released\]: /);
    assert.equal(failed({ findings: fs }), false);
    assert.equal(failed({ findings: checkPlatform(platform, model, { candidatesBlock: true }) }), true);
  });

  it("olm.gvk.required and olm.package.required must be met inside the platform", () => {
    const { model } = mutatedModel({
      "everest-operator": (cfg) =>
        bundle(cfg, "everest-operator.v0.0.19").properties.push(
          { type: "olm.gvk.required", value: { group: "psmdb.percona.com", kind: "PerconaServerMongoDB", version: "v1" } },
          { type: "olm.package.required", value: { packageName: PXC, versionRange: ">=1.13.0" } },
        ),
    });
    const alone = errors(checkPlatform(packagesPlatform("everest", ["everest-operator"]), model)).map((f) => `${f.rule} ${f.bundle}: ${f.message}`);
    assert.deepEqual(alone, [
      "gvk-required everest-operator.v0.0.19: platform everest [released]: everest-operator (everest-operator.v0.0.19) requires API psmdb.percona.com/v1/PerconaServerMongoDB, which no operator of the platform provides",
      `package-required everest-operator.v0.0.19: platform everest [released]: everest-operator (everest-operator.v0.0.19) requires package ${PXC} >=1.13.0; the platform does not install it`,
    ]);
    const withBoth = checkPlatform(packagesPlatform("everest", ["everest-operator", PSMDB, PXC]), model);
    const pkgReq = errors(withBoth);
    assert.equal(pkgReq.length, 1, JSON.stringify(pkgReq));
    assert.match(pkgReq[0]!.message, /requires package percona-xtradb-cluster-operator >=1\.13\.0; the platform installs 1\.12\.0/);
    // the candidate pxc 1.13.0 does satisfy it: that cell has no finding
    assert.ok(!withBoth.some((f) => f.message.includes("[candidate")));
  });

  it("install modes: an AllNamespaces OperatorGroup for psmdb, which supports only Own/SingleNamespace", () => {
    const stack = parseStack(`config:\n  platform:operators:\n    psmdb:\n      package: ${PSMDB}\n      namespace: dbaas\n      targetNamespaces: []\n`, "Pulumi.all.yaml");
    const fs = errors(checkPlatform(stack, real));
    assert.deepEqual(fs.map((f) => [f.rule, f.operator, f.bundle]), [["install-mode", PSMDB, `${PSMDB}.v1.14.0`]]);
    assert.match(fs[0]!.message, /namespace dbaas needs install mode AllNamespaces \(targetNamespaces of psmdb\).*supports OwnNamespace, SingleNamespace/);
  });

  it("webhooks: a conversion webhook for another package's CRD is a conflict", () => {
    const { model } = mutatedModel({
      "dbaas-operator": (cfg) => {
        for (const p of bundle(cfg, "dbaas-operator.v0.1.17").properties) {
          if (p.type !== "olm.bundle.object") continue;
          const v = p.value as { data: string };
          const o = JSON.parse(Buffer.from(v.data, "base64").toString());
          if (o.kind !== "ClusterServiceVersion") continue;
          o.spec.webhookdefinitions = [{ type: "ConversionWebhook", generateName: "cpsmdb.dbaas.percona.com", conversionCRDs: ["perconaservermongodbs.psmdb.percona.com"] }];
          v.data = Buffer.from(JSON.stringify(o)).toString("base64");
        }
      },
    });
    const fs = errors(checkPlatform(packagesPlatform("hooks", ["dbaas-operator", PSMDB]), model));
    assert.deepEqual(fs.map((f) => [f.rule, f.operator, f.bundle]), [["webhook-conflict", "dbaas-operator", "dbaas-operator.v0.1.17"]]);
  });

  it("stacks: read from Pulumi.<stack>.yaml (absent files tolerated); unknown packages and channels are errors", () => {
    assert.deepEqual(readStacks(mkdtempSync(join(tmpdir(), "no-stacks-"))), []);
    const p: Platform = parseStack(`config:\n  platform:operators:\n    x:\n      package: nope\n    pg:\n      package: percona-postgresql-operator\n      channel: stable-v9\n`, "Pulumi.bad.yaml");
    assert.deepEqual(p.members.map((m) => [m.key, m.namespace]), [["x", "x"], ["pg", "pg"]]);
    const fs = errors(checkPlatform(p, real)).map((f) => f.rule);
    assert.deepEqual(fs, ["unknown-package", "unknown-channel"]);
    if (existsSync(join(REPO, "Pulumi.percona-platform.yaml"))) {
      const r = cli(["check", "interop", "--platform", "percona-platform"]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /platform percona-platform: \d+ operator\(s\)/);
    }
  });
});
