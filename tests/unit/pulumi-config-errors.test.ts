import { strict as assert } from "node:assert";
import { join } from "node:path";
import { ProgramError, runProgram, withConfig, type StackInput } from "../../components/testing/mockRuntime.js";
import { readStackFile } from "../../src/platform/stack-file.js";
import { REPO } from "../support/paths.js";

const FILE = "Pulumi.percona-platform.yaml";
const base = (): StackInput => readStackFile(join(REPO, FILE));
const operators = (change: (ops: Record<string, any>) => void): StackInput =>
  withConfig(base(), "platform:operators", (ops) => {
    change(ops);
    return ops;
  });

/** Runs the program and returns the lines of its error; asserts nothing was registered first. */
async function problems(input: StackInput): Promise<string[]> {
  try {
    await runProgram(input, { gitRef: "0123456789ab" });
  } catch (e) {
    assert.ok(e instanceof ProgramError, String(e));
    assert.deepEqual(e.resources, [], "no resource registered before the config was checked");
    return e.message.split("\n");
  }
  return assert.fail("the program accepted the config");
}

describe("pulumi program (mocks): catalog-aware config errors, before any resource", () => {
  it("an unknown package", async () => {
    const lines = await problems(operators((o) => (o["pxc"].package = "percona-xtradb-operator")));
    assert.deepEqual(lines, [
      `${FILE}: platform:operators.pxc.package: unknown package "percona-xtradb-operator"; the catalog has ack-rds-controller, dbaas-operator, ` +
        "everest-operator, opentelemetry-operator, percona-postgresql-operator, percona-server-mongodb-operator, percona-xtradb-cluster-operator, prometheus, " +
        "victoriametrics-operator",
    ]);
  });

  it("a channel the package lacks", async () => {
    const lines = await problems(operators((o) => (o["psmdb"].channel = "fast-v9")));
    assert.deepEqual(lines, [
      `${FILE}: platform:operators.psmdb.channel: package "percona-server-mongodb-operator" has no channel "fast-v9"; it has fast-v1, stable-v1`,
    ]);
  });

  it("a startingCSV not in the channel (switching pxc to fast-v1 while it starts from v1.11.0)", async () => {
    const lines = await problems(operators((o) => (o["pxc"].channel = "fast-v1")));
    assert.deepEqual(lines, [
      `${FILE}: platform:operators.pxc.startingCSV: CSV "percona-xtradb-cluster-operator.v1.11.0" of package "percona-xtradb-cluster-operator" ` +
        `is not in channel "fast-v1"; it is in stable-v1`,
    ]);
  });

  it("an install mode the head CSV does not support (psmdb watching all namespaces)", async () => {
    const lines = await problems(
      operators((o) => {
        o["psmdb"].namespace = "mongodb";
        o["psmdb"].targetNamespaces = [];
      }),
    );
    assert.deepEqual(lines, [
      `${FILE}: platform:operators.psmdb.targetNamespaces: install mode AllNamespaces (from targetNamespaces []) is not supported by ` +
        "percona-server-mongodb-operator.v1.14.0 (supports OwnNamespace, SingleNamespace)",
    ]);
  });

  it("an install mode a CSV on the upgrade path does not support (VictoriaMetrics v0.16.0 is AllNamespaces only)", async () => {
    const lines = await problems(
      operators((o) => {
        o["victoriametrics"].startingCSV = "0.16.0";
        o["victoriametrics"].targetNamespaces = ["monitoring"];
      }),
    );
    assert.deepEqual(lines, [
      `${FILE}: platform:operators.victoriametrics.targetNamespaces: install mode OwnNamespace (from targetNamespaces [monitoring]) is not supported by ` +
        "victoriametrics-operator.v0.16.0 (supports AllNamespaces)",
    ]);
  });

  it("two operators owning the same CRDs", async () => {
    const lines = await problems(operators((o) => (o["psmdb2"] = { package: "percona-server-mongodb-operator", channel: "fast-v1", namespace: "mongo2" })));
    assert.deepEqual(lines, [
      `${FILE}: platform:operators.psmdb2.package: percona-server-mongodb-operator owns CRDs that operator "psmdb" (percona-server-mongodb-operator) also owns: ` +
        "psmdb.percona.com/PerconaServerMongoDB, psmdb.percona.com/PerconaServerMongoDBBackup, psmdb.percona.com/PerconaServerMongoDBRestore (olm.gvk group/kind)",
    ]);
  });

  it("reports every problem of the stack at once, shape and catalog, each with its key", async () => {
    const lines = await problems(
      operators((o) => {
        o["pxc"].package = "nope";
        o["psmdb"].channel = "fast-v9";
        o["pg"].installPlanApproval = "Sometimes";
      }),
    );
    assert.deepEqual(
      lines.map((l) => l.split(": ").slice(0, 3).join(": ")),
      [
        `${FILE}: platform:operators.pg.installPlanApproval: must be one of Automatic, Manual, got "Sometimes"`,
        `${FILE}: platform:operators.psmdb.channel: package "percona-server-mongodb-operator" has no channel "fast-v9"; it has fast-v1, stable-v1`,
        `${FILE}: platform:operators.pxc.package: unknown package "nope"; the catalog has ack-rds-controller, dbaas-operator, everest-operator, opentelemetry-operator, percona-postgresql-operator, percona-server-mongodb-operator, percona-xtradb-cluster-operator, prometheus, victoriametrics-operator`,
      ],
    );
  });

  it("a catalog dir that does not load", async () => {
    const lines = await problems(withConfig(base(), "platform:catalog", (c) => ({ ...c, dir: "no-such-catalog" })));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^Pulumi\.percona-platform\.yaml: platform:catalog\.dir: cannot load the catalog: stat .*no-such-catalog: no such file or directory$/);
  });
});
