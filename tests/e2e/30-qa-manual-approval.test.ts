/**
 * The QA story: install an older CSV (startingCSV) with Manual approval, then approve OLM's InstallPlans one
 * by one. Each plan OLM proposes must be the next step of the path the stack planned (its `upgradePath`
 * output, from src/graph/upgrade.ts), and after each approval that CSV must reach Succeeded.
 * The stack is the dev stack with one operator changed: its own CatalogSource name and namespace, so it
 * never meets the other stacks' objects.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { ClusterInfo, KubeObject } from "../../src/e2e/cluster.js";
import { getItems, kubectl } from "../../src/e2e/cluster.js";
import { findSubscription } from "../../src/e2e/olm-state.js";
import type { StackPlan } from "../../src/e2e/platform.js";
import { REPO, requireCluster, seconds, StackUnderTest, waitWithDump } from "./support.js";

const PSMDB = "percona-server-mongodb-operator";
const NAMESPACE = "qa-psmdb";

/** The QA stack file: dev's, with one Manual psmdb install from an old startingCSV. */
function qaStackText(): string {
  const doc = parseDocument(readFileSync(join(REPO, "Pulumi.dev.yaml"), "utf8"));
  doc.setIn(["config", "platform:catalog", "name"], "dbaas-qa");
  doc.setIn(
    ["config", "platform:operators"],
    doc.createNode({
      psmdb: { package: PSMDB, channel: "stable-v1", startingCSV: `${PSMDB}.v1.11.0`, installPlanApproval: "Manual", namespace: NAMESPACE },
    }),
  );
  return doc.toString();
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const csvNames = (ip: KubeObject) => ((ip.spec?.["clusterServiceVersionNames"] as string[] | undefined) ?? []).filter((n) => n.startsWith(`${PSMDB}.`));

describe("e2e: QA story: an older startingCSV with Manual approval, approved step by step", function () {
  let cluster: ClusterInfo;
  let qa: StackUnderTest;
  let plan: StackPlan | undefined;
  let destroyed = false;

  before(function () {
    cluster = requireCluster(this);
    qa = new StackUnderTest(cluster, "qa", qaStackText());
  });

  after(async function () {
    if (qa && plan && !destroyed) await qa.destroy(plan).catch(() => undefined);
    qa?.close();
  });

  it("pulumi up stops at the first InstallPlan, waiting for approval", async () => {
    plan = await qa.up();
    const op = plan.operators[0]!;
    assert.equal(op.startingCSV, `${PSMDB}.v1.11.0`);
    assert.ok(op.upgradePath.length >= 2, `planned ${op.upgradePath.join(" → ")}`);
    console.log(`      (planned: ${op.upgradePath.join(" → ")})`);
    const sub = findSubscription(getItems(cluster, ["subscriptions.operators.coreos.com", "-n", NAMESPACE]), NAMESPACE, PSMDB);
    assert.equal(str(sub?.status?.["state"]), "UpgradePending");
    assert.equal(str(sub?.status?.["installedCSV"]), "");
  });

  it("each InstallPlan OLM proposes is the next planned step; approved, its CSV reaches Succeeded", async () => {
    const path = plan!.operators[0]!.upgradePath;
    const approved = new Set<string>();
    for (const [i, csv] of path.entries()) {
      const t = Date.now();
      // The plan to approve is the one the Subscription points at: OLM sometimes writes a second plan for
      // the same step after a conflict, and the first one then stays unused.
      const ip = await waitWithDump(cluster, NAMESPACE, `an InstallPlan for step ${i + 1} (${csv})`, 180_000, () => {
        const sub = findSubscription(getItems(cluster, ["subscriptions.operators.coreos.com", "-n", NAMESPACE]), NAMESPACE, PSMDB);
        const ref = str((sub?.status?.["installPlanRef"] as { name?: string } | undefined)?.name);
        const p = getItems(cluster, ["installplans.operators.coreos.com", "-n", NAMESPACE]).find((x) => x.metadata.name === ref);
        return p && !approved.has(ref) && p.spec?.["approved"] === false && p.status?.["phase"] === "RequiresApproval" ? p : undefined;
      });
      assert.deepEqual(csvNames(ip), [csv], `step ${i + 1}: OLM proposes ${csvNames(ip).join(", ")}, the plan says ${csv}`);
      kubectl(cluster, ["patch", "installplans.operators.coreos.com", ip.metadata.name, "-n", NAMESPACE, "--type", "merge", "-p", '{"spec":{"approved":true}}']);
      approved.add(ip.metadata.name);
      await waitWithDump(cluster, NAMESPACE, `${csv} to succeed`, 180_000, () => {
        const phase = str(getItems(cluster, ["clusterserviceversions.operators.coreos.com", "-n", NAMESPACE]).find((c) => c.metadata.name === csv)?.status?.["phase"]);
        const sub = findSubscription(getItems(cluster, ["subscriptions.operators.coreos.com", "-n", NAMESPACE]), NAMESPACE, PSMDB);
        return phase === "Succeeded" && str(sub?.status?.["installedCSV"]) === csv ? true : undefined;
      });
      console.log(`      (step ${i + 1}/${path.length}: ${ip.metadata.name} approved, ${csv} Succeeded in ${seconds(t)}s)`);
    }
    const sub = await waitWithDump(cluster, NAMESPACE, "the Subscription to settle at the head", 120_000, () => {
      const s = findSubscription(getItems(cluster, ["subscriptions.operators.coreos.com", "-n", NAMESPACE]), NAMESPACE, PSMDB);
      return str(s?.status?.["state"]) === "AtLatestKnown" ? s : undefined;
    });
    assert.equal(str(sub.status?.["installedCSV"]), path.at(-1));
    const beyond = getItems(cluster, ["installplans.operators.coreos.com", "-n", NAMESPACE]).filter(
      (p) => p.status?.["phase"] === "RequiresApproval" && !csvNames(p).every((n) => path.includes(n)),
    );
    assert.deepEqual(beyond.map((p) => csvNames(p).join(",")), [], "no InstallPlan beyond the head");
  });

  it("pulumi destroy leaves no OLM objects of the stack behind", async () => {
    const left = await qa.destroy(plan);
    destroyed = true;
    assert.deepEqual(left, []);
  });
});
