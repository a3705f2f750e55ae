import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  isSecretValue,
  kubeObject,
  plainStrings,
  recordingBuilder,
  runProgram,
  withConfig,
  type ProgramRun,
  type StackInput,
} from "../../components/testing/mockRuntime.js";
import { CATALOG_DOCKERFILE } from "../../components/catalogImage.js";
import { readStackFile } from "../../src/platform/stack-file.js";
import { CATALOG, REPO } from "../support/paths.js";

const stackFile = (stack: string): StackInput => readStackFile(join(REPO, `Pulumi.${stack}.yaml`));
const REF = "0123456789ab";
const DIGEST = `sha256:${"a".repeat(64)}`;

/** `type name` of every resource, sorted: the exact set a preview would show. */
function resourceSet(run: ProgramRun): string[] {
  return run.resources.map((r) => `${r.type} ${r.name}`).sort();
}

const sorted = (xs: string[]): string[] => [...xs].sort();
const spec = (run: ProgramRun, kind: string, name: string): Record<string, any> => kubeObject(run, kind, name).inputs["spec"] as Record<string, any>;
const meta = (run: ProgramRun, kind: string, name: string): Record<string, any> =>
  kubeObject(run, kind, name).inputs["metadata"] as Record<string, any>;

const NS = "kubernetes:core/v1:Namespace";
const OG = "kubernetes:operators.coreos.com/v1:OperatorGroup";
const SUB = "kubernetes:operators.coreos.com/v1alpha1:Subscription";
const CS = "kubernetes:operators.coreos.com/v1alpha1:CatalogSource";
const AT_HEAD = (head: string): string => JSON.stringify(["jsonpath={.status.state}=AtLatestKnown", `jsonpath={.status.installedCSV}=${head}`]);

describe("pulumi program (mocks): Pulumi.dev.yaml", () => {
  let run: ProgramRun;
  let builder: ReturnType<typeof recordingBuilder>;
  before(async () => {
    builder = recordingBuilder();
    run = await runProgram(stackFile("dev"), { builder, gitRef: REF });
  });

  it("registers exactly the platform, catalog and two operators", () => {
    assert.deepEqual(resourceSet(run), sorted([
      "dbaas:platform:CatalogImage dbaas-catalog-image",
      "dbaas:platform:CatalogSource dbaas-catalog",
      "dbaas:platform:DbaasPlatform dbaas",
      "dbaas:platform:OperatorInstall dbaas-pg",
      "dbaas:platform:OperatorInstall dbaas-psmdb",
      `${NS} pg-namespace`,
      `${NS} psmdb-namespace`,
      `${CS} dbaas-catalog-catalogsource`,
      `${OG} pg-operatorgroup`,
      `${OG} psmdb-operatorgroup`,
      `${SUB} dbaas-pg-subscription`,
      `${SUB} dbaas-psmdb-subscription`,
    ]));
  });

  it("builds the catalog daemonlessly for the git ref into the local registry, without pushing on preview", () => {
    assert.deepEqual(builder.calls, [{ dir: CATALOG, repo: "127.0.0.1:5000/dbaas-catalog", ref: REF, push: false, auth: undefined, base: "quay.io/operator-framework/opm:v1.73.0" }]);
    assert.match(String(run.outputs["catalogImage"]), /^127\.0\.0\.1:5000\/dbaas-catalog@sha256:[0-9a-f]{64}$/);
  });

  it("serves it from a grpc CatalogSource in olm pinned by digest, restricted pod security", () => {
    assert.deepEqual(meta(run, "CatalogSource", "dbaas-catalog"), {
      name: "dbaas-catalog",
      namespace: "olm",
      annotations: { "pulumi.com/waitFor": "jsonpath={.status.connectionState.lastObservedState}=READY" },
    });
    assert.deepEqual(spec(run, "CatalogSource", "dbaas-catalog"), {
      sourceType: "grpc",
      image: run.outputs["catalogImage"],
      displayName: "DBaaS catalog (dev)",
      publisher: "dbaas-catalog",
      grpcPodConfig: { securityContextConfig: "restricted" },
    });
  });

  it("shapes each OperatorGroup from the CSVs: psmdb OwnNamespace (no AllNamespaces), pg AllNamespaces", () => {
    assert.deepEqual(spec(run, "OperatorGroup", "psmdb-operators"), { targetNamespaces: ["psmdb"] });
    assert.deepEqual(meta(run, "OperatorGroup", "psmdb-operators")["namespace"], "psmdb");
    assert.deepEqual(spec(run, "OperatorGroup", "pg-operators"), {});
  });

  it("subscribes with channel, startingCSV, approval and the CatalogSource, awaiting the head", () => {
    assert.deepEqual(spec(run, "Subscription", "percona-server-mongodb-operator"), {
      name: "percona-server-mongodb-operator",
      channel: "stable-v1",
      startingCSV: "percona-server-mongodb-operator.v1.13.1",
      installPlanApproval: "Automatic",
      source: "dbaas-catalog",
      sourceNamespace: "olm",
    });
    assert.equal(
      meta(run, "Subscription", "percona-server-mongodb-operator")["annotations"]["pulumi.com/waitFor"],
      AT_HEAD("percona-server-mongodb-operator.v1.14.0"),
    );
    assert.deepEqual(spec(run, "Subscription", "percona-postgresql-operator"), {
      name: "percona-postgresql-operator",
      channel: "fast-v2",
      installPlanApproval: "Automatic",
      source: "dbaas-catalog",
      sourceNamespace: "olm",
    });
  });

  it("exports per operator the channel, head, upgrade path and installed CSV", () => {
    const ops = run.outputs["operators"] as Record<string, any>;
    assert.deepEqual(ops["psmdb"], {
      package: "percona-server-mongodb-operator",
      channel: "stable-v1",
      namespace: "psmdb",
      installMode: "OwnNamespace",
      headCSV: "percona-server-mongodb-operator.v1.14.0",
      startingCSV: "percona-server-mongodb-operator.v1.13.1",
      upgradePath: ["percona-server-mongodb-operator.v1.13.1", "percona-server-mongodb-operator.v1.14.0"],
      installedCSV: "percona-server-mongodb-operator.v1.13.1",
    });
    assert.deepEqual(ops["pg"]["upgradePath"], ["percona-postgresql-operator.v2.2.0"]);
    assert.deepEqual(run.outputs["catalogSource"], { name: "dbaas-catalog", namespace: "olm" });
  });

  it("pushes on `pulumi up` only", async () => {
    const b = recordingBuilder();
    await runProgram(stackFile("dev"), { builder: b, gitRef: REF }, false);
    assert.equal(b.calls[0]!.push, true);
  });
});

describe("pulumi program (mocks): Pulumi.percona-platform.yaml", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runProgram(stackFile("percona-platform"), { gitRef: REF });
  });

  it("registers the Docker-built image, one namespace for the databases and one for monitoring", () => {
    assert.deepEqual(resourceSet(run), sorted([
      "dbaas:platform:CatalogImage dbaas-catalog-image",
      "dbaas:platform:CatalogSource dbaas-catalog",
      "dbaas:platform:DbaasPlatform dbaas",
      "dbaas:platform:OperatorInstall dbaas-pg",
      "dbaas:platform:OperatorInstall dbaas-psmdb",
      "dbaas:platform:OperatorInstall dbaas-pxc",
      "dbaas:platform:OperatorInstall dbaas-victoriametrics",
      "docker:index/image:Image dbaas-catalog-image-docker",
      `${NS} dbaas-namespace`,
      `${NS} monitoring-namespace`,
      `${CS} dbaas-catalog-catalogsource`,
      `${OG} dbaas-operatorgroup`,
      `${OG} monitoring-operatorgroup`,
      `${SUB} dbaas-pg-subscription`,
      `${SUB} dbaas-psmdb-subscription`,
      `${SUB} dbaas-pxc-subscription`,
      `${SUB} dbaas-victoriametrics-subscription`,
    ]));
  });

  it("builds with the Docker engine from the catalog dir, tagged with the git ref, and pins the pushed digest", () => {
    const img = run.resources.find((r) => r.type === "docker:index/image:Image")!;
    assert.equal(img.inputs["imageName"], `quay.io/dbaas-catalog/percona-platform:${REF}`);
    assert.deepEqual(img.inputs["build"], {
      context: CATALOG,
      dockerfile: CATALOG_DOCKERFILE,
      platform: "linux/amd64",
      args: { OPM_IMAGE: "quay.io/operator-framework/opm:v1.73.0" },
    });
    assert.equal(img.inputs["skipPush"], false);
    const image = spec(run, "CatalogSource", "percona-platform")["image"];
    assert.match(image, /^quay\.io\/dbaas-catalog\/percona-platform@sha256:[0-9a-f]{64}$/);
    assert.equal(run.outputs["catalogImage"], image);
  });

  it("one OperatorGroup (OwnNamespace) serves pxc, psmdb and pg in namespace dbaas; VictoriaMetrics watches all", () => {
    assert.deepEqual(spec(run, "OperatorGroup", "dbaas-operators"), { targetNamespaces: ["dbaas"] });
    assert.deepEqual(spec(run, "OperatorGroup", "monitoring-operators"), {});
    for (const pkg of ["percona-xtradb-cluster-operator", "percona-server-mongodb-operator", "percona-postgresql-operator"]) {
      assert.equal(meta(run, "Subscription", pkg)["namespace"], "dbaas");
    }
    const ops = run.outputs["operators"] as Record<string, any>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(ops).map(([k, o]) => [k, o.installMode])),
      { pg: "OwnNamespace", psmdb: "OwnNamespace", pxc: "OwnNamespace", victoriametrics: "AllNamespaces" },
    );
  });

  it("subscriptions: stable channels, pxc from v1.11.0, pg with its SubscriptionConfig", () => {
    assert.deepEqual(
      ["percona-xtradb-cluster-operator", "percona-server-mongodb-operator", "percona-postgresql-operator", "victoriametrics-operator"].map(
        (p) => [spec(run, "Subscription", p)["channel"], spec(run, "Subscription", p)["startingCSV"], spec(run, "Subscription", p)["installPlanApproval"]],
      ),
      [
        ["stable-v1", "percona-xtradb-cluster-operator.v1.11.0", "Automatic"],
        ["stable-v1", undefined, "Automatic"],
        ["fast-v2", undefined, "Automatic"],
        ["stable-v0", undefined, "Automatic"],
      ],
    );
    assert.deepEqual(spec(run, "Subscription", "percona-postgresql-operator")["config"], {
      env: [{ name: "DISABLE_TELEMETRY", value: "true" }],
      resources: { limits: { memory: "512Mi" } },
    });
    assert.deepEqual((run.outputs["operators"] as any)["pxc"]["upgradePath"], [
      "percona-xtradb-cluster-operator.v1.11.0",
      "percona-xtradb-cluster-operator.v1.12.0",
    ]);
  });
});

describe("pulumi program (mocks): Pulumi.edge.yaml", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runProgram(stackFile("edge"), { builder: recordingBuilder(), gitRef: REF });
  });

  it("registers four operators in two namespaces with a catalog in openshift-marketplace", () => {
    assert.deepEqual(
      resourceSet(run).filter((r) => r.startsWith("kubernetes:")),
      sorted([
        `${NS} dbaas-edge-namespace`,
        `${NS} everest-system-namespace`,
        `${CS} dbaas-catalog-catalogsource`,
        `${OG} dbaas-edge-operatorgroup`,
        `${OG} everest-system-operatorgroup`,
        `${SUB} dbaas-everest-subscription`,
        `${SUB} dbaas-pg-subscription`,
        `${SUB} dbaas-psmdb-subscription`,
        `${SUB} dbaas-pxc-subscription`,
      ]),
    );
    assert.equal(meta(run, "CatalogSource", "dbaas-edge")["namespace"], "openshift-marketplace");
  });

  it("every subscription is on a fast channel and uses the openshift-marketplace catalog", () => {
    const subs = ["percona-xtradb-cluster-operator", "percona-server-mongodb-operator", "percona-postgresql-operator", "everest-operator"];
    assert.deepEqual(subs.map((p) => spec(run, "Subscription", p)["channel"]), ["fast-v1", "fast-v1", "fast-v2", "fast-v0"]);
    for (const p of subs) assert.equal(spec(run, "Subscription", p)["sourceNamespace"], "openshift-marketplace");
  });

  it("Everest: SingleNamespace OperatorGroup on the database namespace, Manual approval awaited as a pending InstallPlan", () => {
    assert.deepEqual(spec(run, "OperatorGroup", "everest-system-operators"), { targetNamespaces: ["dbaas-edge"] });
    assert.equal(spec(run, "Subscription", "everest-operator")["installPlanApproval"], "Manual");
    assert.equal(meta(run, "Subscription", "everest-operator")["annotations"]["pulumi.com/waitFor"], "jsonpath={.status.installPlanRef.name}");
    assert.equal((run.outputs["operators"] as any)["everest"]["installMode"], "SingleNamespace");
  });
});

describe("pulumi program (mocks): catalog variants and install modes", () => {
  const dev = stackFile("dev");

  it("spec.address instead of an image: no image built, no pod config", async () => {
    const input = withConfig(dev, "platform:catalog", (c) => ({ ...c, image: undefined, build: undefined, address: "catalog.olm.svc:50051" }));
    const builder = recordingBuilder();
    const run = await runProgram(input, { builder });
    assert.equal(builder.calls.length, 0);
    assert.ok(!resourceSet(run).some((r) => r.includes("CatalogImage")));
    assert.deepEqual(spec(run, "CatalogSource", "dbaas-catalog"), {
      sourceType: "grpc",
      address: "catalog.olm.svc:50051",
      displayName: "DBaaS catalog (dev)",
      publisher: "dbaas-catalog",
    });
  });

  it("build none: the configured digest, registryPoll, legacy pod security", async () => {
    const image = `127.0.0.1:5000/dbaas-catalog@${DIGEST}`;
    const input = withConfig(dev, "platform:catalog", (c) => ({ ...c, image, build: "none", registryPoll: "10m", securityContextConfig: "legacy" }));
    const run = await runProgram(input);
    const s = spec(run, "CatalogSource", "dbaas-catalog");
    assert.equal(s["image"], image);
    assert.deepEqual(s["updateStrategy"], { registryPoll: { interval: "10m" } });
    assert.deepEqual(s["grpcPodConfig"], { securityContextConfig: "legacy" });
  });

  it("an explicit SingleNamespace target and a second operator sharing its namespace", async () => {
    const input = withConfig(dev, "platform:operators", (ops) => ({
      ...ops,
      psmdb: { ...ops.psmdb, namespace: "dbaas-ops", targetNamespaces: ["databases"] },
      pg: { ...ops.pg, namespace: "dbaas-ops", createNamespace: false },
    }));
    const run = await runProgram(input, { builder: recordingBuilder() });
    assert.deepEqual(spec(run, "OperatorGroup", "dbaas-ops-operators"), { targetNamespaces: ["databases"] });
    assert.equal(run.resources.filter((r) => r.type === OG).length, 1, "one OperatorGroup per namespace");
    assert.equal(run.resources.filter((r) => r.type === NS).length, 0, "createNamespace: false on any operator keeps the namespace unmanaged");
  });

  it("platform:cluster selects the cluster through an explicit provider used by every object", async () => {
    const input = withConfig(dev, "platform:cluster", () => ({ context: "kind-dbaas" }));
    const run = await runProgram(input, { builder: recordingBuilder() });
    const provider = run.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    assert.equal(provider.name, "dbaas-cluster");
    assert.equal(provider.inputs["context"], "kind-dbaas");
    const objects = run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    assert.equal(objects.length, 7);
    for (const o of objects) assert.match(o.provider ?? "", /::dbaas-cluster::/, o.name);
  });

  it("MultiNamespace, from a CSV that supports it", async () => {
    const dir = multiNamespaceCatalog();
    const input: StackInput = {
      stack: "multi",
      config: {
        "platform:catalog": JSON.stringify({ dir, image: `example.com/c@${DIGEST}` }),
        "platform:operators": JSON.stringify({ multi: { package: "multi-op", channel: "stable", targetNamespaces: ["b", "a"] } }),
      },
    };
    const run = await runProgram(input);
    assert.deepEqual(spec(run, "OperatorGroup", "multi-operators"), { targetNamespaces: ["a", "b"] });
    assert.equal((run.outputs["operators"] as any)["multi"]["installMode"], "MultiNamespace");
  });
});

describe("pulumi program (mocks): registry credentials stay secret", () => {
  const PASSWORD = "hunter2-s3cret";
  const withCreds = (input: StackInput): StackInput => ({
    ...withConfig(withConfig(input, "platform:registry", () => ({ username: "robot" })), "platform:registryPassword", () => PASSWORD),
    secretKeys: ["platform:registryPassword"],
  });

  it("daemonless: the builder gets the credentials; the pull secret holds them only as a Pulumi secret", async () => {
    const builder = recordingBuilder();
    const run = await runProgram(withCreds(stackFile("dev")), { builder });
    assert.deepEqual(builder.calls[0]!.auth, { server: "127.0.0.1:5000", username: "robot", password: PASSWORD });
    const secret = kubeObject(run, "Secret", "dbaas-catalog-pull");
    assert.equal(secret.inputs["type"], "kubernetes.io/dockerconfigjson");
    assert.ok(isSecretValue(secret.inputs["stringData"]), "stringData is a secret");
    assert.deepEqual(spec(run, "CatalogSource", "dbaas-catalog")["secrets"], ["dbaas-catalog-pull"]);
    for (const r of run.resources) assert.ok(!plainStrings(r.inputs).some((s) => s.includes(PASSWORD)), `${r.name} holds the password in plain text`);
    assert.ok(!JSON.stringify(run.outputs).includes(PASSWORD));
    assert.match(String(run.outputs["catalogImage"]), /@sha256:/, "the image reference itself is not secret");
  });

  it("docker: the registry password reaches the image resource as a secret", async () => {
    const run = await runProgram(withCreds(stackFile("percona-platform")));
    const img = run.resources.find((r) => r.type === "docker:index/image:Image")!;
    // The whole registry block is secret, since it carries the password.
    const registry = img.inputs["registry"] as { value: Record<string, unknown> };
    assert.ok(isSecretValue(registry));
    assert.deepEqual(registry.value, { server: "quay.io", username: "robot", password: PASSWORD });
    for (const r of run.resources) assert.ok(!plainStrings(r.inputs).some((s) => s.includes(PASSWORD)), r.name);
  });
});

/** A one-package catalog whose CSV supports only MultiNamespace. */
function multiNamespaceCatalog(): string {
  const dir = mkdtempSync(join(tmpdir(), "pulumi-multi-"));
  mkdirSync(join(dir, "multi-op"));
  const csv = {
    apiVersion: "operators.coreos.com/v1alpha1",
    kind: "ClusterServiceVersion",
    metadata: { name: "multi-op.v1.0.0" },
    spec: {
      installModes: [
        { type: "OwnNamespace", supported: false },
        { type: "SingleNamespace", supported: false },
        { type: "MultiNamespace", supported: true },
        { type: "AllNamespaces", supported: false },
      ],
    },
  };
  const blobs = [
    { schema: "olm.package", name: "multi-op", defaultChannel: "stable" },
    { schema: "olm.channel", package: "multi-op", name: "stable", entries: [{ name: "multi-op.v1.0.0" }] },
    {
      schema: "olm.bundle",
      package: "multi-op",
      name: "multi-op.v1.0.0",
      image: "example.com/multi-op-bundle:1.0.0",
      properties: [
        { type: "olm.package", value: { packageName: "multi-op", version: "1.0.0" } },
        { type: "olm.gvk", value: { group: "multi.example.com", kind: "Thing", version: "v1" } },
        { type: "olm.bundle.object", value: { data: Buffer.from(JSON.stringify(csv)).toString("base64") } },
      ],
    },
  ];
  writeFileSync(join(dir, "multi-op", "catalog.json"), blobs.map((b) => JSON.stringify(b)).join("\n"));
  return dir;
}
