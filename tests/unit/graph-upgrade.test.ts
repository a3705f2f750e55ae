import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import { loadFbc, loadFbcText } from "../../src/fbc/load.js";
import { convertToModel, type Model } from "../../src/fbc/model.js";
import { validateModel } from "../../src/fbc/model.js";
import {
  channelEdges,
  channelGraph,
  channelHead,
  GraphError,
  upgradeCandidates,
  upgradePath,
  upgradeWalk,
  type GraphErrorCode,
} from "../../src/graph/upgrade.js";
import { CATALOG, PERCONA } from "../support/paths.js";

const PSMDB = "percona-server-mongodb-operator";
const PXC = "percona-xtradb-cluster-operator";
const VM = "victoriametrics-operator";
const csv = (pkg: string, v: string): string => `${pkg}.v${v}`;
const csvs = (pkg: string, ...vs: string[]): string[] => vs.map((v) => csv(pkg, v));

function throwsGraph(fn: () => unknown, code: GraphErrorCode, text: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof GraphError, `not a GraphError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, text);
    return true;
  });
}

interface Entry {
  name: string;
  version?: string;
  replaces?: string;
  skips?: string[];
  skipRange?: string;
}

/** A one-package catalog with one channel `c` (plus `other` channels) built from entries. */
function synthetic(entries: Entry[], other: Record<string, Entry[]> = {}): Model {
  const channels: Record<string, Entry[]> = { c: entries, ...other };
  const docs: unknown[] = [{ schema: "olm.package", name: "p", defaultChannel: "c" }];
  const versions = new Map<string, string>();
  for (const [name, es] of Object.entries(channels)) {
    docs.push({
      schema: "olm.channel",
      package: "p",
      name,
      entries: es.map(({ version: _v, ...e }) => e),
    });
    for (const e of es) versions.set(e.name, e.version ?? e.name.replace(/^p\.v/, ""));
  }
  for (const [name, version] of versions) {
    docs.push({
      schema: "olm.bundle",
      package: "p",
      name,
      image: `example.com/p-bundle:${version}`,
      properties: [{ type: "olm.package", value: { packageName: "p", version } }],
    });
  }
  return convertToModel(loadFbcText(docs.map((d) => JSON.stringify(d)).join("\n"), "synthetic.json"));
}

describe("graph: upgrade paths on the committed catalog (current linking, cumulative skips)", () => {
  let model: Model;
  before(() => {
    model = convertToModel(loadFbc(CATALOG));
  });

  it("psmdb stable-v1: resolver order is the replaces chain from the head minus skipped entries", () => {
    const g = channelGraph(model, PSMDB, "stable-v1");
    assert.equal(g.head.name, csv(PSMDB, "1.14.0"));
    // v1.14.0 skips v1, v1.11.0, v1.12.0: only v1.14.0 and v1.13.1 remain upgrade targets.
    assert.deepEqual(g.targets.map((b) => b.name), csvs(PSMDB, "1.14.0", "1.13.1"));
  });

  it("psmdb stable-v1 from v1.11.0: both v1.14.0 and v1.13.1 skip it, the one nearest the head wins", () => {
    const from = { name: csv(PSMDB, "1.11.0"), version: "1.11.0" };
    assert.deepEqual(upgradeCandidates(channelGraph(model, PSMDB, "stable-v1"), from).map((b) => b.name), csvs(PSMDB, "1.14.0", "1.13.1"));
    assert.deepEqual(upgradePath(model, PSMDB, "stable-v1", csv(PSMDB, "1.11.0")), csvs(PSMDB, "1.11.0", "1.14.0"));
  });

  it("psmdb stable-v1 from the odd `…v1` CSV (version 1.13.0), by name or by version", () => {
    const expected = [`${PSMDB}.v1`, csv(PSMDB, "1.14.0")];
    assert.deepEqual(upgradePath(model, PSMDB, "stable-v1", `${PSMDB}.v1`), expected);
    assert.deepEqual(upgradePath(model, PSMDB, "stable-v1", "1.13.0"), expected);
    assert.deepEqual(upgradePath(model, PSMDB, "stable-v1", "v1.13.0"), expected);
    assert.deepEqual(upgradeWalk(model, PSMDB, "stable-v1", "1.13.0")[1]!.via, ["skips"]);
  });

  it("psmdb stable-v1 from v1.12.0 and v1.13.1, and the head itself", () => {
    assert.deepEqual(upgradePath(model, PSMDB, "stable-v1", csv(PSMDB, "1.12.0")), csvs(PSMDB, "1.12.0", "1.14.0"));
    const walk = upgradeWalk(model, PSMDB, "stable-v1", csv(PSMDB, "1.13.1"));
    assert.deepEqual(walk.map((s) => [s.csv, s.via]), [
      [csv(PSMDB, "1.13.1"), []],
      [csv(PSMDB, "1.14.0"), ["replaces"]],
    ]);
    assert.deepEqual(upgradePath(model, PSMDB, "stable-v1", csv(PSMDB, "1.14.0")), [csv(PSMDB, "1.14.0")]);
  });

  it("psmdb fast-v1 is a plain replaces pair with the same head", () => {
    assert.equal(channelHead(model, PSMDB, "fast-v1"), csv(PSMDB, "1.14.0"));
    assert.deepEqual(upgradePath(model, PSMDB, "fast-v1", csv(PSMDB, "1.13.1")), csvs(PSMDB, "1.13.1", "1.14.0"));
  });

  it("pxc stable-v1: v1.10.0 is skipped by the head, v1.11.0 is replaced by it", () => {
    assert.deepEqual(channelGraph(model, PXC, "stable-v1").targets.map((b) => b.name), csvs(PXC, "1.12.0", "1.11.0"));
    assert.deepEqual(upgradePath(model, PXC, "stable-v1", csv(PXC, "1.10.0")), csvs(PXC, "1.10.0", "1.12.0"));
    assert.deepEqual(upgradePath(model, PXC, "stable-v1", "1.11.0"), csvs(PXC, "1.11.0", "1.12.0"));
    assert.deepEqual(upgradePath(model, PXC, "fast-v1", "1.12.0"), csvs(PXC, "1.12.0", "1.13.0"));
  });

  it("victoriametrics stable-v0 jumps from every version straight to v0.29.1", () => {
    for (const v of ["0.16.0", "0.24.0", "0.27.2"]) {
      assert.deepEqual(upgradePath(model, VM, "stable-v0", v), csvs(VM, v, "0.29.1"), v);
    }
  });

  it("dbaas-operator stable-v0: a head with no replaces that skips everything", () => {
    assert.deepEqual(channelGraph(model, "dbaas-operator", "stable-v0").targets.map((b) => b.name), ["dbaas-operator.v0.1.17"]);
    assert.deepEqual(upgradePath(model, "dbaas-operator", "stable-v0", "0.1.4"), ["dbaas-operator.v0.1.4", "dbaas-operator.v0.1.17"]);
  });

  it("lists the edges of a channel with their kinds", () => {
    const edges = channelEdges(channelGraph(model, PXC, "stable-v1"));
    assert.deepEqual(
      edges.map((e) => `${e.from} -> ${e.to} [${e.kinds.join(",")}]`).sort(),
      [
        `${csv(PXC, "1.10.0")} -> ${csv(PXC, "1.11.0")} [replaces]`,
        `${csv(PXC, "1.10.0")} -> ${csv(PXC, "1.12.0")} [skips]`,
        `${csv(PXC, "1.11.0")} -> ${csv(PXC, "1.12.0")} [replaces]`,
      ],
    );
  });

  it("errors: unknown package, channel and CSV; a CSV of another channel", () => {
    throwsGraph(
      () => upgradePath(model, "nope", "stable", "x"),
      "unknown-package",
      /unknown package "nope"; the catalog has ack-rds-controller, dbaas-operator, everest-operator, opentelemetry-operator, percona-postgresql-operator, percona-server-mongodb-operator, percona-xtradb-cluster-operator, prometheus, victoriametrics-operator$/,
    );
    throwsGraph(() => channelHead(model, PSMDB, "fast-v9"), "unknown-channel", /package "percona-server-mongodb-operator" has no channel "fast-v9"; it has fast-v1, stable-v1/);
    throwsGraph(() => upgradePath(model, PSMDB, "stable-v1", csv(PSMDB, "9.9.9")), "unknown-csv", /no CSV named or versioned/);
    throwsGraph(
      () => upgradePath(model, PSMDB, "fast-v1", csv(PSMDB, "1.11.0")),
      "csv-not-in-channel",
      /CSV "percona-server-mongodb-operator.v1.11.0" of package "percona-server-mongodb-operator" is not in channel "fast-v1"; it is in stable-v1/,
    );
    throwsGraph(() => upgradePath(model, PSMDB, "fast-v1", "1.12.0"), "csv-not-in-channel", /version 1.12.0 \(percona-server-mongodb-operator.v1.12.0\)/);
  });

  it("a channel switch from stable-v1 v1.11.0 to fast-v1 has no path (OLM would strand the subscription)", () => {
    throwsGraph(
      () => upgradePath(model, PSMDB, "fast-v1", csv(PSMDB, "1.11.0"), { crossChannel: true }),
      "no-path",
      /no upgrade path from "percona-server-mongodb-operator.v1.11.0" \(1.11.0\) to the head "percona-server-mongodb-operator.v1.14.0" of channel "fast-v1"/,
    );
    // …while from v1.13.1, which fast-v1 v1.14.0 replaces, the switch works.
    assert.deepEqual(upgradePath(model, PSMDB, "fast-v1", csv(PSMDB, "1.13.1"), { crossChannel: true }), csvs(PSMDB, "1.13.1", "1.14.0"));
  });
});

describe("graph: upgrade paths on the Percona fixture (veneer-era linking: replaces chains, multi-hop)", function () {
  let model: Model;
  before(function () {
    if (!existsSync(PERCONA)) this.skip();
    model = convertToModel(loadFbc(PERCONA));
  });

  it("psmdb stable-v1 from v1.11.0 walks every replaces hop", () => {
    assert.deepEqual(upgradePath(model, PSMDB, "stable-v1", csv(PSMDB, "1.11.0")), csvs(PSMDB, "1.11.0", "1.12.0", "1.13.1", "1.14.0"));
  });

  it("psmdb stable-v1 from `…v1`: skipped by v1.13.1, then replaces", () => {
    const walk = upgradeWalk(model, PSMDB, "stable-v1", `${PSMDB}.v1`);
    assert.deepEqual(walk.map((s) => [s.csv, s.via.join()]), [
      [`${PSMDB}.v1`, ""],
      [csv(PSMDB, "1.13.1"), "skips"],
      [csv(PSMDB, "1.14.0"), "replaces"],
    ]);
  });

  it("victoriametrics stable-v0 from v0.16.0 takes three hops", () => {
    assert.deepEqual(upgradePath(model, VM, "stable-v0", "0.16.0"), csvs(VM, "0.16.0", "0.24.0", "0.27.2", "0.29.1"));
  });
});

describe("graph: resolver rules on synthetic channels", () => {
  it("a skipRange candidate nearer the head beats a replaces candidate", () => {
    const m = synthetic([
      { name: "p.v1.0.0" },
      { name: "p.v1.1.0", replaces: "p.v1.0.0" },
      { name: "p.v1.2.0", replaces: "p.v1.1.0", skipRange: ">=1.0.0 <1.2.0" },
    ]);
    const walk = upgradeWalk(m, "p", "c", "p.v1.0.0");
    assert.deepEqual(walk.map((s) => [s.csv, s.via.join()]), [
      ["p.v1.0.0", ""],
      ["p.v1.2.0", "skipRange"],
    ]);
    // Outside the range, the replaces edge is the only way.
    const m2 = synthetic([
      { name: "p.v1.0.0" },
      { name: "p.v1.1.0", replaces: "p.v1.0.0" },
      { name: "p.v1.2.0", replaces: "p.v1.1.0", skipRange: ">=1.1.0 <1.2.0" },
    ]);
    assert.deepEqual(upgradePath(m2, "p", "c", "1.0.0"), ["p.v1.0.0", "p.v1.1.0", "p.v1.2.0"]);
  });

  it("a skipped entry is never an upgrade target: the entry below it is stranded (opm agrees)", () => {
    const m = synthetic([
      { name: "p.v1.0.0" },
      { name: "p.v1.1.0", replaces: "p.v1.0.0" },
      { name: "p.v1.2.0", replaces: "p.v1.1.0", skips: ["p.v1.1.0"] },
    ]);
    throwsGraph(() => upgradePath(m, "p", "c", "p.v1.0.0"), "no-path", /no upgrade path from "p.v1.0.0" \(1.0.0\) to the head "p.v1.2.0"/);
    assert.match(JSON.stringify(validateModel(m)), /stranded bundles: p.v1.0.0/);
    // The skipped entry itself still upgrades (it can be installed as a startingCSV).
    assert.deepEqual(upgradePath(m, "p", "c", "p.v1.1.0"), ["p.v1.1.0", "p.v1.2.0"]);
  });

  it("an entry off the replaces chain is not a target even if it replaces the installed CSV", () => {
    // p.v1.1.0 is a dead branch (skipped by the head); the head also skips v1.0.0.
    const m = synthetic([
      { name: "p.v1.0.0" },
      { name: "p.v1.1.0", replaces: "p.v1.0.0" },
      { name: "p.v2.0.0", skips: ["p.v1.0.0", "p.v1.1.0"] },
    ]);
    assert.deepEqual(upgradePath(m, "p", "c", "p.v1.0.0"), ["p.v1.0.0", "p.v2.0.0"]);
  });

  it("a replaces tail outside the channel is a valid starting point only across channels", () => {
    const m = synthetic([{ name: "p.v1.1.0", replaces: "p.v1.0.0" }], { old: [{ name: "p.v1.0.0" }] });
    throwsGraph(() => upgradePath(m, "p", "c", "p.v1.0.0"), "csv-not-in-channel", /is not in channel "c"; it is in old/);
    assert.deepEqual(upgradePath(m, "p", "c", "p.v1.0.0", { crossChannel: true }), ["p.v1.0.0", "p.v1.1.0"]);
  });

  it("two entries with the same version make a version lookup ambiguous", () => {
    const m = synthetic([{ name: "p.a", version: "1.0.0" }, { name: "p.b", version: "1.0.0", replaces: "p.a" }]);
    throwsGraph(() => upgradePath(m, "p", "c", "1.0.0"), "ambiguous-version", /version 1.0.0 names several CSVs in channel "c" of package "p": p.a, p.b/);
    assert.deepEqual(upgradePath(m, "p", "c", "p.a"), ["p.a", "p.b"]);
  });

  it("a channel with two heads has no graph", () => {
    const m = synthetic([{ name: "p.v1.0.0" }, { name: "p.v1.1.0" }]);
    throwsGraph(() => channelHead(m, "p", "c"), "invalid-channel", /multiple channel heads found in graph: p.v1.0.0, p.v1.1.0/);
  });
});
