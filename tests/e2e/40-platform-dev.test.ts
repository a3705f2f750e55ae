/**
 * The SRE story on the embedded default: `pulumi up` of the dev stack on the local cluster, OLM's state
 * read back from the API server, a second run that changes nothing, then `pulumi destroy`.
 */
import { strict as assert } from "node:assert";
import type { ClusterInfo } from "../../src/e2e/cluster.js";
import { getItems } from "../../src/e2e/cluster.js";
import { formatOlmReport, installedSequence } from "../../src/e2e/olm-state.js";
import { awaitPlatformReport, type StackPlan } from "../../src/e2e/platform.js";
import { requireCluster, StackUnderTest } from "./support.js";

describe("e2e: the dev stack on the local cluster (SRE story)", function () {
  let cluster: ClusterInfo;
  let dev: StackUnderTest;
  let plan: StackPlan | undefined;
  let destroyed = false;

  before(function () {
    cluster = requireCluster(this);
    dev = new StackUnderTest(cluster, "dev");
  });

  after(async function () {
    if (dev && plan && !destroyed) await dev.destroy(plan).catch(() => undefined);
    dev?.close();
  });

  it("pulumi up: CatalogSource READY, each Subscription AtLatestKnown on its head, each CSV Succeeded", async () => {
    plan = await dev.up();
    assert.ok(plan.operators.length >= 1);
    const report = await awaitPlatformReport(cluster, plan);
    console.log(formatOlmReport(report, plan.catalog).trimEnd().replace(/^/gm, "      "));
    assert.deepEqual(report.problems, []);
  });

  it("OLM went along the planned upgrade path of each operator", () => {
    const ips = getItems(cluster, ["installplans.operators.coreos.com", "--all-namespaces"]);
    for (const op of plan!.operators) {
      assert.deepEqual(installedSequence(ips, op.namespace, `${op.package}.`), op.upgradePath, op.key);
    }
  });

  it("a second pulumi up changes nothing", async () => {
    assert.deepEqual(await dev.previewChanges(), []);
  });

  it("pulumi destroy leaves no OLM objects of the stack behind", async () => {
    const left = await dev.destroy(plan);
    destroyed = true;
    assert.deepEqual(left, []);
    const namespaces = getItems(cluster, ["namespaces"]).map((n) => n.metadata.name);
    for (const op of plan!.operators) assert.ok(!namespaces.includes(op.namespace), `namespace ${op.namespace} still exists`);
  });
});
