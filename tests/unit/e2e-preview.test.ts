import { strict as assert } from "node:assert";
import { resourceChanges, urnTypeAndName } from "../../src/e2e/preview.js";

const SUB = "urn:pulumi:dev::dbaas-platform::dbaas:platform:DbaasPlatform$dbaas:platform:OperatorInstall$kubernetes:operators.coreos.com/v1alpha1:Subscription::dbaas-psmdb-subscription";
const PROVIDER = "urn:pulumi:dev::dbaas-platform::dbaas:platform:DbaasPlatform$pulumi:providers:kubernetes::dbaas-cluster";
const steps = [
  { op: "same", urn: "urn:pulumi:dev::dbaas-platform::pulumi:pulumi:Stack::dbaas-platform-dev" },
  { op: "update", urn: PROVIDER, diffReasons: ["version"], detailedDiff: null },
  { op: "update", urn: SUB, detailedDiff: { "spec.channel": { kind: "update" } } },
];

describe("e2e: reading pulumi preview --json", () => {
  it("splits a URN into the innermost type and the name", () => {
    assert.deepEqual(urnTypeAndName(SUB), { type: "kubernetes:operators.coreos.com/v1alpha1:Subscription", name: "dbaas-psmdb-subscription" });
  });

  it("lists the steps that change something, with the changed paths", () => {
    assert.deepEqual(resourceChanges(steps), [
      { op: "update", type: "pulumi:providers:kubernetes", name: "dbaas-cluster", paths: ["version"] },
      { op: "update", type: "kubernetes:operators.coreos.com/v1alpha1:Subscription", name: "dbaas-psmdb-subscription", paths: ["spec.channel"] },
    ]);
  });

  it("drops a provider update whose only reason is its version only when asked to", () => {
    assert.deepEqual(resourceChanges(steps, { ignoreProviderVersion: true }).map((c) => c.name), ["dbaas-psmdb-subscription"]);
    const real = [{ op: "update", urn: PROVIDER, diffReasons: ["kubeconfig", "version"] }];
    assert.equal(resourceChanges(real, { ignoreProviderVersion: true }).length, 1);
  });
});
