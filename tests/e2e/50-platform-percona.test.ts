/**
 * A real platform stack (percona-platform: pxc, psmdb, pg side by side, VictoriaMetrics for monitoring)
 * on the local cluster, then the SRE's channel switch: pxc from stable-v1 to fast-v1. `pulumi preview
 * --diff` must show exactly one change, the pxc Subscription's channel; `pulumi up` then has OLM upgrade
 * pxc along the path our upgrade graph plans (src/graph/upgrade.ts), to the new channel's head.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { ClusterInfo } from "../../src/e2e/cluster.js";
import { getItems } from "../../src/e2e/cluster.js";
import { formatOlmReport, installedSequence } from "../../src/e2e/olm-state.js";
import { awaitPlatformReport, type StackPlan } from "../../src/e2e/platform.js";
import { convertToModel } from "../../src/fbc/model.js";
import { loadFbc } from "../../src/fbc/load.js";
import { upgradeWalk } from "../../src/graph/upgrade.js";
import { CATALOG } from "../support/paths.js";
import { providerVersionMismatch, REPO, requireCluster, StackUnderTest } from "./support.js";

const STACK = "percona-platform";
const PXC = "percona-xtradb-cluster-operator";
const OPERATORS = ["config", "platform:operators"];

describe("e2e: the percona-platform stack on the local cluster, and a channel switch", function () {
  let cluster: ClusterInfo;
  let stack: StackUnderTest;
  let plan: StackPlan | undefined;
  let switched: StackPlan | undefined;
  let destroyed = false;
  const original = readFileSync(join(REPO, `Pulumi.${STACK}.yaml`), "utf8");

  before(function () {
    cluster = requireCluster(this);
    stack = new StackUnderTest(cluster, STACK);
  });

  after(async function () {
    if (stack && (plan || switched) && !destroyed) await stack.destroy(switched ?? plan).catch(() => undefined);
    stack?.close();
  });

  it("pulumi up: every operator on its head, Succeeded, along its planned path", async () => {
    plan = await stack.up();
    const report = await awaitPlatformReport(cluster, plan);
    console.log(formatOlmReport(report, plan.catalog).trimEnd().replace(/^/gm, "      "));
    assert.deepEqual(report.problems, []);
    const ips = getItems(cluster, ["installplans.operators.coreos.com", "--all-namespaces"]);
    for (const op of plan.operators) assert.deepEqual(installedSequence(ips, op.namespace, `${op.package}.`), op.upgradePath, op.key);
  });

  it("pulumi preview --diff shows the channel switch as exactly one Subscription change", async () => {
    const doc = parseDocument(original);
    const pxc = Object.entries((doc.getIn(OPERATORS) as { toJSON(): Record<string, { package: string }> }).toJSON()).find(([, o]) => o.package === PXC);
    assert.ok(pxc, `${STACK} has no ${PXC}`);
    doc.setIn([...OPERATORS, pxc[0], "channel"], "fast-v1");
    // startingCSV only matters at install, and the stable-only 1.11.0 is not in fast-v1
    doc.deleteIn([...OPERATORS, pxc[0], "startingCSV"]);
    stack.reconfigure(doc.toString());
    const mismatch = providerVersionMismatch();
    if (mismatch) console.log(`      (ignoring the provider's version-only update: SDK ${mismatch.sdk}, plugin ${mismatch.provider})`);
    const changes = await stack.previewChanges();
    assert.deepEqual(
      changes.map((c) => `${c.op} ${c.type} ${c.name}`),
      [`update kubernetes:operators.coreos.com/v1alpha1:Subscription dbaas-${pxc[0]}-subscription`],
    );
    assert.ok(changes[0]!.paths.includes("spec.channel"), `changed: ${changes[0]!.paths.join(", ")}`);
  });

  it("pulumi up: OLM upgrades pxc along the planned path to the fast-v1 head", async () => {
    const before = plan!.operators.find((o) => o.package === PXC)!;
    const model = convertToModel(loadFbc(CATALOG));
    const planned = upgradeWalk(model, PXC, "fast-v1", before.headCSV, { crossChannel: true }).map((s) => s.csv);
    switched = await stack.up();
    const after = switched.operators.find((o) => o.package === PXC)!;
    assert.equal(after.channel, "fast-v1");
    assert.equal(planned.at(-1), after.headCSV);
    const report = await awaitPlatformReport(cluster, switched);
    console.log(formatOlmReport(report, switched.catalog).trimEnd().replace(/^/gm, "      "));
    assert.deepEqual(report.problems, []);
    const ips = getItems(cluster, ["installplans.operators.coreos.com", "--all-namespaces"]);
    const sequence = installedSequence(ips, after.namespace, `${PXC}.`);
    assert.deepEqual(sequence.slice(sequence.indexOf(before.headCSV)), planned, `OLM installed ${sequence.join(" → ")}`);
  });

  it("pulumi destroy leaves no OLM objects of the stack behind", async () => {
    const left = await stack.destroy(switched ?? plan);
    destroyed = true;
    assert.deepEqual(left, []);
  });
});
