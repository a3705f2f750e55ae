import { strict as assert } from "node:assert";
import type { KubeObject } from "../../src/e2e/cluster.js";
import { formatOlmReport, installedSequence, leftovers, olmReport, plannedOperators, type OlmSnapshot } from "../../src/e2e/olm-state.js";

const obj = (kind: string, ns: string, name: string, spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}, ts = "2026-01-01T00:00:00Z"): KubeObject => ({
  kind,
  metadata: { name, namespace: ns, creationTimestamp: ts },
  spec,
  status,
});
const catalog = { name: "dbaas-catalog", namespace: "olm" };
const PSMDB = "percona-server-mongodb-operator";
const planned = plannedOperators({
  operators: {
    psmdb: { package: PSMDB, channel: "stable-v1", namespace: "psmdb", headCSV: `${PSMDB}.v1.14.0`, upgradePath: [`${PSMDB}.v1.13.1`, `${PSMDB}.v1.14.0`] },
  },
});
const healthy = (): OlmSnapshot => ({
  catalogSources: [obj("CatalogSource", "olm", "dbaas-catalog", {}, { connectionState: { lastObservedState: "READY" } })],
  subscriptions: [obj("Subscription", "psmdb", PSMDB, { name: PSMDB }, { state: "AtLatestKnown", installedCSV: `${PSMDB}.v1.14.0` })],
  csvs: [obj("ClusterServiceVersion", "psmdb", `${PSMDB}.v1.14.0`, {}, { phase: "Succeeded" })],
  installPlans: [],
});

describe("e2e: olmReport (OLM state against the stack's plan)", () => {
  it("finds nothing wrong when the catalog is READY and each operator is on its head, Succeeded", () => {
    const r = olmReport(healthy(), catalog, planned);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.rows, [{ key: "psmdb", namespace: "psmdb", subscription: PSMDB, state: "AtLatestKnown", installedCSV: `${PSMDB}.v1.14.0`, csvPhase: "Succeeded" }]);
    assert.match(formatOlmReport(r, catalog), /^CatalogSource olm\/dbaas-catalog: READY\noperator +namespace/);
  });

  it("names each shortfall: catalog state, subscription state, CSV behind the head, CSV phase", () => {
    const s = healthy();
    s.catalogSources[0]!.status = { connectionState: { lastObservedState: "TRANSIENT_FAILURE" } };
    s.subscriptions[0]!.status = { state: "UpgradePending", installedCSV: `${PSMDB}.v1.13.1` };
    s.csvs = [obj("ClusterServiceVersion", "psmdb", `${PSMDB}.v1.13.1`, {}, { phase: "Installing" })];
    assert.deepEqual(olmReport(s, catalog, planned).problems, [
      "CatalogSource olm/dbaas-catalog: TRANSIENT_FAILURE, want READY",
      `psmdb (psmdb/${PSMDB}): Subscription state UpgradePending, want AtLatestKnown`,
      `psmdb (psmdb/${PSMDB}): installed ${PSMDB}.v1.13.1, want the head ${PSMDB}.v1.14.0`,
      `psmdb (psmdb/${PSMDB}): CSV ${PSMDB}.v1.13.1 phase Installing, want Succeeded`,
    ]);
  });

  it("reports a missing CatalogSource and Subscription", () => {
    const r = olmReport({ catalogSources: [], subscriptions: [], csvs: [], installPlans: [] }, catalog, planned);
    assert.deepEqual(r.problems, ["CatalogSource olm/dbaas-catalog: (missing), want READY", `psmdb (psmdb/${PSMDB}): no Subscription`]);
  });
});

describe("e2e: installedSequence and leftovers", () => {
  it("orders a namespace's InstallPlans by generation and keeps the package's CSVs", () => {
    const ips = [
      obj("InstallPlan", "psmdb", "install-b", { generation: 2, clusterServiceVersionNames: [`${PSMDB}.v1.14.0`] }, {}, "2026-01-01T00:00:05Z"),
      obj("InstallPlan", "psmdb", "install-a", { generation: 1, clusterServiceVersionNames: [`${PSMDB}.v1.13.1`, "other.v1"] }, {}, "2026-01-01T00:00:05Z"),
      obj("InstallPlan", "pg", "install-c", { generation: 1, clusterServiceVersionNames: [`${PSMDB}.v1.0.0`] }),
    ];
    assert.deepEqual(installedSequence(ips, "psmdb", `${PSMDB}.`), [`${PSMDB}.v1.13.1`, `${PSMDB}.v1.14.0`]);
  });

  it("lists the OLM objects left in the stack's namespaces, their CSV copies and its CatalogSource, nothing else", () => {
    const s = healthy();
    s.installPlans = [obj("InstallPlan", "psmdb", "install-a"), obj("InstallPlan", "other", "install-x")];
    const copy = obj("ClusterServiceVersion", "default", `${PSMDB}.v1.14.0`);
    copy.metadata.labels = { "olm.copiedFrom": "psmdb" };
    s.csvs.push(copy, obj("ClusterServiceVersion", "other", "unrelated.v1"));
    assert.deepEqual(leftovers(s, ["psmdb"], catalog), [
      "CatalogSource olm/dbaas-catalog",
      `ClusterServiceVersion default/${PSMDB}.v1.14.0`,
      `ClusterServiceVersion psmdb/${PSMDB}.v1.14.0`,
      "InstallPlan psmdb/install-a",
      `Subscription psmdb/${PSMDB}`,
    ]);
    assert.deepEqual(leftovers({ catalogSources: [], subscriptions: [], csvs: [], installPlans: [] }, ["psmdb"], catalog), []);
  });
});
