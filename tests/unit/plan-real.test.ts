/**
 * Plans for the real operators, against paths derived by hand from the catalog files: the committed
 * catalog (cumulative skips) and the veneer-era fixture (replaces chains) of the same bundles.
 *
 * Hand derivation (stable-v1 of percona-server-mongodb-operator, "psmdb"):
 * - catalog/: head v1.14.0 replaces v1.13.1 and skips v1, v1.11.0, v1.12.0; v1.13.1 replaces v1.12.0 and
 *   skips v1, v1.11.0. Skipped entries are never targets, so the targets are [v1.14.0, v1.13.1]. From v1,
 *   v1.11.0 or v1.12.0 the nearest-head candidate is v1.14.0 (skips): one step.
 * - fixture: v1.13.1 skips v1 and replaces v1.12.0, v1.14.0 only replaces v1.13.1. Targets are
 *   [v1.14.0, v1.13.1, v1.12.0, v1.11.0]. From v1 the only candidate is v1.13.1 (skips), then v1.14.0.
 */
import { strict as assert } from "node:assert";
import { loadFbc } from "../../src/fbc/load.js";
import { convertToModel, type Model } from "../../src/fbc/model.js";
import { planUpgrade, planJson, planText } from "../../src/plan/index.js";
import { CATALOG, PERCONA } from "../support/paths.js";
import { cli } from "../support/cli.js";

const PSMDB = "percona-server-mongodb-operator";

interface Case {
  pkg: string;
  channel?: string;
  from: string;
  path: string[];
  via: string[][];
}

function check(model: Model, c: Case): void {
  const p = planUpgrade(model, c.pkg, c.from, { channel: c.channel });
  assert.deepEqual(p.path, c.path.map((v) => (v.startsWith(c.pkg) ? v : `${c.pkg}.v${v}`)), `${c.pkg} from ${c.from}`);
  assert.deepEqual(p.steps.map((s) => s.via), c.via, `${c.pkg} from ${c.from}: edge kinds`);
}

describe("plan: real operators, paths derived by hand", () => {
  const current = convertToModel(loadFbc(CATALOG));
  const fixture = convertToModel(loadFbc(PERCONA));

  const currentCases: Case[] = [
    { pkg: PSMDB, from: `${PSMDB}.v1`, path: [`${PSMDB}.v1`, "1.14.0"], via: [["skips"]] },
    { pkg: PSMDB, from: "1.11.0", path: ["1.11.0", "1.14.0"], via: [["skips"]] },
    // 1.13.1 replaces 1.12.0 too, but 1.14.0 is nearer the head and skips 1.12.0.
    { pkg: PSMDB, from: "v1.12.0", path: ["1.12.0", "1.14.0"], via: [["skips"]] },
    { pkg: PSMDB, from: "1.13.1", path: ["1.13.1", "1.14.0"], via: [["replaces"]] },
    { pkg: PSMDB, channel: "fast-v1", from: "1.13.1", path: ["1.13.1", "1.14.0"], via: [["replaces"]] },
    { pkg: "percona-xtradb-cluster-operator", from: "1.10.0", path: ["1.10.0", "1.12.0"], via: [["skips"]] },
    { pkg: "percona-xtradb-cluster-operator", from: "1.11.0", path: ["1.11.0", "1.12.0"], via: [["replaces"]] },
    { pkg: "victoriametrics-operator", from: "0.16.0", path: ["0.16.0", "0.29.1"], via: [["skips"]] },
    { pkg: "dbaas-operator", from: "0.1.4", path: ["0.1.4", "0.1.17"], via: [["skips"]] },
    { pkg: "everest-operator", from: "0.0.18", path: ["0.0.18", "0.0.19"], via: [["skips"]] },
  ];
  const fixtureCases: Case[] = [
    { pkg: PSMDB, from: `${PSMDB}.v1`, path: [`${PSMDB}.v1`, "1.13.1", "1.14.0"], via: [["skips"], ["replaces"]] },
    { pkg: PSMDB, from: "1.11.0", path: ["1.11.0", "1.12.0", "1.13.1", "1.14.0"], via: [["replaces"], ["replaces"], ["replaces"]] },
    { pkg: "victoriametrics-operator", from: "0.16.0", path: ["0.16.0", "0.24.0", "0.27.2", "0.29.1"], via: [["replaces"], ["replaces"], ["replaces"]] },
  ];

  for (const c of currentCases) it(`catalog/: ${c.pkg} ${c.channel ?? "(default channel)"} from ${c.from}`, () => check(current, c));
  for (const c of fixtureCases) it(`veneer-era fixture: ${c.pkg} from ${c.from}`, () => check(fixture, c));

  it("text names the walk and each hop", () => {
    const text = planText(planUpgrade(fixture, PSMDB, `${PSMDB}.v1`));
    assert.match(text, /^percona-server-mongodb-operator, channel stable-v1: 1\.13\.0 → 1\.14\.0 in 2 steps\n/);
    assert.match(text, /\n2\. percona-server-mongodb-operator\.v1\.13\.1 \(1\.13\.1\) → percona-server-mongodb-operator\.v1\.14\.0 \(1\.14\.0\) via replaces\n/);
  });

  it("psmdb 1.12.0 → 1.14.0: the CRD storage moves to v1, two versions go, eight stop being served", () => {
    const [step] = planUpgrade(current, PSMDB, "1.12.0").steps;
    assert.deepEqual(
      step!.crds.map((c) => c.crd),
      ["perconaservermongodbs.psmdb.percona.com"],
      "backups and restores CRDs are unchanged",
    );
    const crd = step!.crds[0]!;
    assert.deepEqual(crd.storage, { from: "v1-12-0", to: "v1" });
    assert.deepEqual(crd.versionsRemoved, ["v1alpha1", "v1-1-0"]);
    assert.deepEqual(crd.servingStopped, ["v1-2-0", "v1-3-0", "v1-4-0", "v1-5-0", "v1-6-0", "v1-7-0", "v1-8-0", "v1-9-0"]);
    assert.deepEqual(crd.removedStoredVersions, []);
    assert.deepEqual(step!.installModes, { added: [], removed: [], all: ["OwnNamespace", "SingleNamespace"] });
    assert.deepEqual(step!.relatedImages.find((i) => i.key === "percona/percona-server-mongodb-operator"), {
      key: "percona/percona-server-mongodb-operator",
      from: "percona/percona-server-mongodb-operator:1.12.0",
      to: "docker.io/percona/percona-server-mongodb-operator:1.14.0",
    });
  });

  it("victoriametrics 0.16.0 → 0.24.0 (fixture): a new CRD and two more install modes", () => {
    const [step] = planUpgrade(fixture, "victoriametrics-operator", "0.16.0").steps;
    assert.deepEqual(step!.crds.map((c) => [c.crd, c.change]), [["vmalertmanagerconfigs.operator.victoriametrics.com", "added"]]);
    assert.deepEqual(step!.installModes.added, ["OwnNamespace", "SingleNamespace"]);
  });

  it("dbaas-operator 0.1.4 → 0.1.17: the backups CRD arrives", () => {
    const [step] = planUpgrade(current, "dbaas-operator", "0.1.4").steps;
    assert.deepEqual(step!.crds.map((c) => [c.crd, c.change]), [["databaseclusterbackups.dbaas.percona.com", "added"]]);
  });

  it("plan through the CLI: json is the plan, unknown packages exit 1, a bad -o exits 2", () => {
    const r = cli(["plan", PSMDB, "--from", `${PSMDB}.v1`, "-o", "json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, planJson(planUpgrade(current, PSMDB, `${PSMDB}.v1`)));
    const unknown = cli(["plan", "nope", "--from", "1.0.0"]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown package "nope"/);
    assert.equal(cli(["plan", PSMDB, "--from", "1.11.0", "-o", "yaml"]).status, 2);
  });
});
