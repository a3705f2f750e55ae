import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Model } from "../../src/fbc/model.js";
import { csvInfo, loadCatalogModel } from "../../src/platform/catalog.js";
import { parsePlatformConfig, PlatformConfigError, type RawConfig } from "../../src/platform/config.js";
import { gitRef, imageTag } from "../../src/platform/git.js";
import { checkPlatform, installModeOf, planPlatform, type PlatformPlan } from "../../src/platform/plan.js";
import { awaitAnnotations, customTimeouts, subscriptionWaitFor, waitForValue } from "../../src/platform/readiness.js";
import { CATALOG } from "../support/paths.js";

const PSMDB = "percona-server-mongodb-operator";
const VM = "victoriametrics-operator";

describe("platform plan: the stack checked against the committed catalog", () => {
  let model: Model;
  before(() => {
    model = loadCatalogModel(CATALOG);
  });
  const plan = (operators: Record<string, unknown>, catalog: Record<string, unknown> = { image: "r/c" }): PlatformPlan =>
    planPlatform(parsePlatformConfig({ catalog, operators }, "t"), model);
  const problems = (operators: Record<string, unknown>, catalog?: Record<string, unknown>): string[] => {
    try {
      plan(operators, catalog);
    } catch (e) {
      assert.ok(e instanceof PlatformConfigError, String(e));
      return e.problems.map((p) => `${p.key}: ${p.message}`);
    }
    return assert.fail("accepted");
  };

  it("loads the catalog once per process", () => {
    assert.equal(loadCatalogModel(CATALOG), model);
  });

  it("reads install modes and owned APIs from a bundle's CSV", () => {
    const b = model.get(VM)!.channels.get("stable-v0")!.bundles.get(`${VM}.v0.16.0`)!;
    const info = csvInfo(b);
    assert.deepEqual(info.installModes, ["AllNamespaces"]);
    assert.equal(info.ownedKinds.length, 13);
    assert.ok(info.ownedKinds.includes("operator.victoriametrics.com/VMAgent"));
  });

  it("an omitted channel is the package's default channel, set explicitly", () => {
    const p = plan({ psmdb: { package: PSMDB } });
    assert.equal(p.operators[0]!.channel, "stable-v1");
    assert.equal(p.operators[0]!.defaultChannel, true);
  });

  it("a startingCSV given as a version resolves to the CSV name, path from it", () => {
    const op = plan({ psmdb: { package: PSMDB, channel: "stable-v1", startingCSV: "1.13.0" } }).operators[0]!;
    assert.equal(op.startingCSV, `${PSMDB}.v1`);
    assert.deepEqual(op.upgradePath, [`${PSMDB}.v1`, `${PSMDB}.v1.14.0`]);
  });

  it("installModeOf follows OLM: [] all, [own] own, [other] single, more multi", () => {
    assert.equal(installModeOf("a", []), "AllNamespaces");
    assert.equal(installModeOf("a", ["a"]), "OwnNamespace");
    assert.equal(installModeOf("a", ["b"]), "SingleNamespace");
    assert.equal(installModeOf("a", ["a", "b"]), "MultiNamespace");
  });

  it("operators sharing a namespace must agree on targetNamespaces (one OperatorGroup per namespace)", () => {
    assert.deepEqual(
      problems({
        psmdb: { package: PSMDB, channel: "stable-v1", namespace: "db", targetNamespaces: ["db"] },
        pxc: { package: "percona-xtradb-cluster-operator", channel: "stable-v1", namespace: "db", targetNamespaces: ["other"] },
      }),
      [
        'platform:operators.pxc.targetNamespaces: operators "psmdb" and "pxc" share namespace "db", which has one OperatorGroup, but want different targetNamespaces: [db] vs [other]',
      ],
    );
  });

  it("no install mode fits every CSV in a namespace: AllNamespaces-only VictoriaMetrics v0.16.0 next to psmdb", () => {
    assert.deepEqual(
      problems({
        psmdb: { package: PSMDB, channel: "stable-v1", namespace: "ops" },
        vm: { package: VM, channel: "stable-v0", namespace: "ops", startingCSV: `${VM}.v0.16.0` },
      }),
      [
        'platform:operators.psmdb.targetNamespaces: no install mode fits every CSV of the operators in namespace "ops" (AllNamespaces and OwnNamespace tried): ' +
          `${PSMDB}.v1.14.0 supports OwnNamespace, SingleNamespace; ${VM}.v0.16.0 supports AllNamespaces; ${VM}.v0.29.1 supports AllNamespaces, OwnNamespace, SingleNamespace; set targetNamespaces`,
      ],
    );
  });

  it("a CatalogSource outside the global catalog namespaces only serves its own namespace", () => {
    assert.deepEqual(problems({ psmdb: { package: PSMDB, channel: "stable-v1" } }, { image: "r/c", namespace: "catalogs" }), [
      'platform:operators.psmdb.namespace: the CatalogSource is in namespace "catalogs", which is not a global catalog namespace (olm, openshift-marketplace): a Subscription in "psmdb" cannot use it',
    ]);
    assert.equal(plan({ psmdb: { package: PSMDB, channel: "stable-v1", namespace: "catalogs" } }, { image: "r/c", namespace: "catalogs" }).operators.length, 1);
  });

  it("two subscriptions to one package in one namespace", () => {
    const lines = problems({
      a: { package: PSMDB, channel: "stable-v1", namespace: "db" },
      b: { package: PSMDB, channel: "fast-v1", namespace: "db" },
    });
    assert.equal(lines[0], `platform:operators.b.namespace: operator "a" already subscribes to ${PSMDB} in namespace "db"`);
    assert.match(lines[1]!, /^platform:operators\.b\.package: .* owns CRDs that operator "a"/);
  });

  it("checkPlatform reports shape and catalog problems of one stack together", () => {
    const raw: RawConfig = {
      catalog: { image: "r/c", build: "kaniko" },
      operators: { psmdb: { package: PSMDB, channel: "fast-v9" } },
    };
    assert.throws(
      () => checkPlatform(raw, "edge", () => model),
      (e: PlatformConfigError) => {
        assert.deepEqual(
          e.message.split("\n"),
          [
            'Pulumi.edge.yaml: platform:catalog.build: must be one of docker, daemonless, none, got "kaniko"',
            `Pulumi.edge.yaml: platform:operators.psmdb.channel: package "${PSMDB}" has no channel "fast-v9"; it has fast-v1, stable-v1`,
          ],
        );
        return true;
      },
    );
  });
});

describe("platform readiness annotations", () => {
  it("Automatic waits for AtLatestKnown at the head; Manual for a pending InstallPlan", () => {
    assert.deepEqual(subscriptionWaitFor({ installPlanApproval: "Automatic", headCSV: "x.v2" }), [
      "jsonpath={.status.state}=AtLatestKnown",
      "jsonpath={.status.installedCSV}=x.v2",
    ]);
    assert.deepEqual(subscriptionWaitFor({ installPlanApproval: "Manual", headCSV: "x.v2" }), ["jsonpath={.status.installPlanRef.name}"]);
  });

  it("one expression is written as is, several as a JSON list; timeout 0 skips the await", () => {
    assert.equal(waitForValue(["condition=Ready"]), "condition=Ready");
    assert.equal(waitForValue(["a", "b"]), '["a","b"]');
    assert.deepEqual(awaitAnnotations(["condition=Ready"], 60), { "pulumi.com/waitFor": "condition=Ready" });
    assert.deepEqual(awaitAnnotations(["condition=Ready"], 0), { "pulumi.com/skipAwait": "true" });
    assert.deepEqual(customTimeouts(90), { create: "90s", update: "90s" });
    assert.equal(customTimeouts(0), undefined);
  });
});

describe("platform git ref (catalog image tag)", () => {
  it("sanitizes text into an image tag", () => {
    assert.equal(imageTag("feature/x+y"), "feature-x-y");
    assert.equal(imageTag("..."), "untagged");
    assert.equal(imageTag("a".repeat(200)).length, 128);
  });

  it("is the short commit, -dirty while the catalog has uncommitted changes, untracked outside git", () => {
    const dir = mkdtempSync(join(tmpdir(), "git-ref-"));
    assert.equal(gitRef(dir), "untracked");
    const git = (...args: string[]) => {
      const r = spawnSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    git("init", "-q");
    writeFileSync(join(dir, "catalog.yaml"), "a\n");
    git("add", ".");
    git("commit", "-qm", "c");
    const head = git("rev-parse", "--short=12", "HEAD");
    assert.equal(gitRef(dir, ["catalog.yaml"]), head);
    writeFileSync(join(dir, "catalog.yaml"), "b\n");
    assert.equal(gitRef(dir, ["catalog.yaml"]), `${head}-dirty`);
    writeFileSync(join(dir, "other.txt"), "x\n");
    git("checkout", "-q", "catalog.yaml");
    assert.equal(gitRef(dir, ["catalog.yaml"]), head, "changes outside the catalog do not make it dirty");
  });
});
