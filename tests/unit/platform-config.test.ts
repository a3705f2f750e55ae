import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  isDigestRef,
  parsePlatformConfig,
  PlatformConfigError,
  rawPlatformConfig,
  registryHost,
  type RawConfig,
} from "../../src/platform/config.js";
import { cliConfig, readStackFile, stackOfFile } from "../../src/platform/stack-file.js";

const DIGEST = `sha256:${"f".repeat(64)}`;
const minimal = (extra: RawConfig = {}): RawConfig => ({
  catalog: { image: "127.0.0.1:5000/c" },
  operators: { psmdb: { package: "percona-server-mongodb-operator", channel: "stable-v1" } },
  ...extra,
});

/** The `key: message` lines of the error a raw config raises for stack `s`. */
function problemsOf(raw: RawConfig, stack = "s"): string[] {
  try {
    parsePlatformConfig(raw, stack);
  } catch (e) {
    assert.ok(e instanceof PlatformConfigError, String(e));
    for (const p of e.problems) assert.equal(p.file, `Pulumi.${stack}.yaml`);
    return e.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return assert.fail("accepted");
}

describe("platform config: parsing the platform: namespace", () => {
  it("fills defaults: namespace = key, Automatic, daemonless build into olm, 600 s waits", () => {
    const cfg = parsePlatformConfig(minimal(), "dev");
    assert.equal(cfg.stackFile, "Pulumi.dev.yaml");
    assert.deepEqual(cfg.operators, [
      {
        key: "psmdb",
        package: "percona-server-mongodb-operator",
        channel: "stable-v1",
        startingCSV: undefined,
        installPlanApproval: "Automatic",
        namespace: "psmdb",
        createNamespace: true,
        targetNamespaces: undefined,
        config: undefined,
        timeoutSeconds: 600,
      },
    ]);
    assert.deepEqual(
      { ...cfg.catalog },
      {
        name: "dbaas-catalog",
        dir: "catalog",
        image: "127.0.0.1:5000/c",
        build: "daemonless",
        push: true,
        namespace: "olm",
        displayName: "DBaaS operators",
        publisher: "dbaas-catalog",
        address: undefined,
        registryPoll: undefined,
        securityContextConfig: "restricted",
        opmImage: "quay.io/operator-framework/opm:v1.73.0",
      },
    );
    assert.equal(cfg.waitTimeoutSeconds, 600);
  });

  it("infers build none from a digest or an address", () => {
    assert.equal(parsePlatformConfig(minimal({ catalog: { image: `q.io/c@${DIGEST}` } }), "s").catalog.build, "none");
    assert.equal(parsePlatformConfig(minimal({ catalog: { address: "cat.olm.svc:50051" } }), "s").catalog.build, "none");
  });

  it("per-operator timeout overrides platform:waitTimeoutSeconds; 0 is allowed", () => {
    const cfg = parsePlatformConfig(
      minimal({
        waitTimeoutSeconds: 120,
        operators: { a: { package: "x" }, b: { package: "y", timeoutSeconds: 0 } },
      }),
      "s",
    );
    assert.deepEqual(cfg.operators.map((o) => o.timeoutSeconds), [120, 0]);
  });

  it("rejects wrong types and values, naming each key", () => {
    assert.deepEqual(
      problemsOf(
        minimal({
          operators: {
            psmdb: {
              package: "percona-server-mongodb-operator",
              channel: 1,
              installPlanApproval: "Auto",
              targetNamespaces: "all",
              createNamespace: "yes",
              timeoutSeconds: -5,
              namespace: "Mongo_DB",
            },
          },
        }),
      ),
      [
        "platform:operators.psmdb.channel: must be a non-empty string, got 1",
        'platform:operators.psmdb.installPlanApproval: must be one of Automatic, Manual, got "Auto"',
        'platform:operators.psmdb.namespace: "Mongo_DB" is not a valid namespace (a DNS-1123 label: lower case alphanumerics and \'-\')',
        'platform:operators.psmdb.createNamespace: must be true or false, got "yes"',
        'platform:operators.psmdb.targetNamespaces: must be a list of strings, got "all"',
        "platform:operators.psmdb.timeoutSeconds: must be a whole number of seconds (0 = do not wait), got -5",
      ],
    );
  });

  it("catches typos in keys and suggests the right one", () => {
    assert.deepEqual(problemsOf(minimal({ operators: { psmdb: { package: "p", chanel: "stable-v1" } } })), [
      'platform:operators.psmdb.chanel: unknown key; did you mean "channel"?',
    ]);
    assert.deepEqual(problemsOf(minimal({ operator: {} })), [
      "platform:operator: unknown key; known keys: catalog, operators, registry, cluster, waitTimeoutSeconds, registryPassword",
    ]);
    assert.match(problemsOf(minimal({ operators: { psmdb: { package: "p", source: "x" } } }))[0]!, /source: unknown key; the source is the platform's CatalogSource/);
  });

  it("requires operators, each with a package and a DNS-1123 short name", () => {
    assert.deepEqual(problemsOf({ catalog: { image: "r/c" } }), [
      "platform:operators: required: an object of operators keyed by short name, e.g. psmdb: {package, channel}",
    ]);
    assert.deepEqual(problemsOf(minimal({ operators: { My_Op: { channel: "x" } } })), [
      'platform:operators.My_Op: the short name "My_Op" must be a DNS-1123 label (it names resources and the default namespace)',
      "platform:operators.My_Op.package: required: the OLM package name",
    ]);
  });

  it("catalog: image forms per build mode, address exclusivity, durations", () => {
    assert.deepEqual(problemsOf(minimal({ catalog: { image: "r/c:latest", build: "none" } })), [
      'platform:catalog.image: with build "none" the image must be pinned by digest (…@sha256:<64 hex>), got "r/c:latest"',
    ]);
    assert.deepEqual(problemsOf(minimal({ catalog: { image: "r/c:v1", build: "daemonless" } })), [
      'platform:catalog.image: with build "daemonless" give the repository only (the tag is the git ref and the digest is computed), got "r/c:v1"',
    ]);
    assert.deepEqual(problemsOf(minimal({ catalog: { image: "r/c", address: "h:1", build: "docker" } })), [
      "platform:catalog.address: set either address (a running catalog server) or image, not both",
      'platform:catalog.build: must be "none" with an address, got "docker"',
    ]);
    assert.deepEqual(problemsOf(minimal({ catalog: {} })), [
      "platform:catalog.image: required: the repository to build into (or a digest-pinned image with build none), unless address is set",
    ]);
    assert.deepEqual(problemsOf(minimal({ catalog: { address: "no-port", registryPoll: "ten minutes", build: "podman" } })), [
      'platform:catalog.address: must be host:port, got "no-port"',
      'platform:catalog.build: must be one of docker, daemonless, none, got "podman"',
      'platform:catalog.registryPoll: must be a duration such as 10m or 1h30m, got "ten minutes"',
    ]);
    // A registry on a port is a repository, not a tag.
    assert.equal(parsePlatformConfig(minimal({ catalog: { image: "127.0.0.1:5000/dbaas/catalog" } }), "s").catalog.image, "127.0.0.1:5000/dbaas/catalog");
  });

  it("subscription config: only SubscriptionConfig fields, env and resources well formed", () => {
    assert.deepEqual(
      problemsOf(
        minimal({
          operators: { pg: { package: "p", config: { env: [{ name: "A", value: 1 }], resources: { limit: {} }, replicas: 2 } } },
        }),
      ),
      [
        "platform:operators.pg.config.replicas: not a SubscriptionConfig field; known: env, envFrom, resources, nodeSelector, tolerations, affinity, volumes, volumeMounts, selector, annotations",
        'platform:operators.pg.config.env: must be a list of {name, value} (value a string), got [{"name":"A","value":1}]',
        'platform:operators.pg.config.resources: must be {limits?, requests?} of quantities, got {"limit":{}}',
      ],
    );
  });

  it("registry credentials: the password only as a secret, and both halves together", () => {
    assert.deepEqual(problemsOf(minimal({ registry: { username: "u", password: "p" }, registryPassword: true })), [
      "platform:registry.password: unknown key; never put the password in plain config: pulumi config set --secret platform:registryPassword <password>",
    ]);
    assert.deepEqual(problemsOf(minimal({ registry: { username: "u" } })), [
      "platform:registryPassword: required with platform:registry: pulumi config set --secret platform:registryPassword <password>",
    ]);
    assert.deepEqual(problemsOf(minimal({ registryPassword: true })), ["platform:registryPassword: set platform:registry.username too"]);
    const cfg = parsePlatformConfig(minimal({ registry: { username: "u" }, registryPassword: true }), "s");
    assert.deepEqual(cfg.registry, { server: "127.0.0.1:5000", username: "u" });
    assert.equal(cfg.hasRegistryPassword, true);
  });

  it("rawPlatformConfig keeps the platform: keys, decodes JSON, and never reads the secret's value", () => {
    const raw = rawPlatformConfig({
      "platform:operators": '{"a":{"package":"p"}}',
      "platform:waitTimeoutSeconds": "30",
      "platform:catalog": "not json",
      "platform:registryPassword": "hunter2",
      "kubernetes:context": "kind",
      PULUMI_CONFIG_SECRET_KEYS: '["platform:registryPassword"]',
    });
    assert.deepEqual(raw, { operators: { a: { package: "p" } }, waitTimeoutSeconds: 30, catalog: "not json", registryPassword: true });
    assert.ok(!JSON.stringify(raw).includes("hunter2"));
  });

  it("image reference helpers", () => {
    assert.equal(isDigestRef(`r/c@${DIGEST}`), true);
    assert.equal(isDigestRef("r/c:latest"), false);
    assert.equal(registryHost("127.0.0.1:5000/c"), "127.0.0.1:5000");
    assert.equal(registryHost("quay.io/org/c"), "quay.io");
    assert.equal(registryHost("localhost/c"), "localhost");
    assert.equal(registryHost("library/c"), "docker.io");
  });
});

describe("platform config: stack files", () => {
  it("flattens config like the CLI and reports secure values by key", () => {
    assert.deepEqual(
      cliConfig({
        "platform:operators": { a: { package: "p" } },
        "platform:waitTimeoutSeconds": 30,
        "platform:registryPassword": { secure: "v1:abc" },
        "kubernetes:context": "kind",
      }),
      {
        config: { "platform:operators": '{"a":{"package":"p"}}', "platform:waitTimeoutSeconds": "30", "kubernetes:context": "kind" },
        secureKeys: ["platform:registryPassword"],
      },
    );
  });

  it("names the stack after the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
    const file = join(dir, "Pulumi.percona-platform.yaml");
    writeFileSync(file, "config:\n  platform:waitTimeoutSeconds: 5\n");
    assert.deepEqual(readStackFile(file), { stack: "percona-platform", config: { "platform:waitTimeoutSeconds": "5" }, secureKeys: [] });
    assert.throws(() => stackOfFile("Pulumi.yaml"), /not a stack file/);
  });
});
