import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { encryptionSaltOf, localStackConfig } from "../../src/e2e/stack-config.js";
import { parsePlatformConfig, rawPlatformConfig } from "../../src/platform/config.js";
import { cliConfig } from "../../src/platform/stack-file.js";
import { REPO } from "../support/paths.js";

const target = { address: "127.0.0.1:50051", kubeconfig: "/tmp/kubeconfig" };
const STACK = `# a platform
config:
  platform:catalog:
    name: percona-platform
    image: quay.io/x/percona-platform
    build: docker
    push: true
    opmImage: quay.io/operator-framework/opm:v1.73.0
    namespace: olm
    displayName: Percona DBaaS platform
  platform:registry:
    username: robot
  platform:registryPassword:
    secure: v1:abc
  platform:operators:
    pxc:
      package: percona-xtradb-cluster-operator
      channel: stable-v1 # the stable channel
      installPlanApproval: Manual
  platform:waitTimeoutSeconds: 900
`;
const configOf = (text: string) => (parse(text) as { config: Record<string, unknown> }).config;

describe("e2e: localStackConfig (a platform stack on the local cluster)", () => {
  it("serves the catalog from the address: image, build, push, opmImage and registry credentials go", () => {
    const cfg = configOf(localStackConfig(STACK, target));
    assert.deepEqual(cfg["platform:catalog"], {
      name: "percona-platform",
      namespace: "olm",
      displayName: "Percona DBaaS platform",
      address: "127.0.0.1:50051",
    });
    assert.equal(cfg["platform:registry"], undefined);
    assert.equal(cfg["platform:registryPassword"], undefined);
  });

  it("pins the Kubernetes provider to the local cluster and keeps operators, timeouts and comments", () => {
    const out = localStackConfig(STACK, target);
    const cfg = configOf(out);
    assert.deepEqual(cfg["platform:cluster"], { kubeconfig: "/tmp/kubeconfig" });
    assert.deepEqual(cfg["platform:operators"], configOf(STACK)["platform:operators"]);
    assert.equal(cfg["platform:waitTimeoutSeconds"], 900);
    assert.match(out, /^# a platform$/m);
    assert.match(out, /channel: stable-v1 # the stable channel/);
  });

  it("keeps the encryption salt Pulumi wrote when the stack was created, and only that one", () => {
    const salted = localStackConfig(STACK + "encryptionsalt: v1:old\n", { ...target, encryptionSalt: "v1:kept" });
    assert.equal(encryptionSaltOf(salted), "v1:kept");
    assert.equal(encryptionSaltOf(localStackConfig(STACK + "encryptionsalt: v1:old\n", target)), undefined);
    assert.equal(encryptionSaltOf(STACK), undefined);
  });

  it("is idempotent", () => {
    const once = localStackConfig(STACK, target);
    assert.equal(localStackConfig(once, target), once);
  });

  it("turns every committed stack into a configuration the program accepts", function () {
    for (const stack of ["dev", "percona-platform", "edge", "aws", "percona-observability"]) {
      const out = localStackConfig(readFileSync(join(REPO, `Pulumi.${stack}.yaml`), "utf8"), target);
      const parsed = parsePlatformConfig(rawPlatformConfig(cliConfig(configOf(out)).config), stack);
      assert.equal(parsed.catalog.address, "127.0.0.1:50051", stack);
      assert.equal(parsed.catalog.build, "none", stack);
      assert.equal(parsed.catalog.image, undefined, stack);
      assert.equal(parsed.cluster?.kubeconfig, "/tmp/kubeconfig", stack);
    }
  });
});
