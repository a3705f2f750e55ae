import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMirrors, mirrorsFrom, parseMirrors } from "../../src/image/mirrors.js";
import { apiHost, formatReference, parseReference, pinnedReference, usesPlainHttp } from "../../src/image/reference.js";
import { credentialsFor, loadAuthConfig, parseChallenge } from "../../src/image/auth.js";
import { RegistryBundleSource } from "../../src/bundle/registry-source.js";
import { buildBundleImage } from "../../src/image/bundle-image.js";
import { RegistryClient } from "../../src/image/client.js";
import { pushImage } from "../../src/image/push.js";
import { perconaFixtureImages } from "../../scripts/fixtures-push.js";
import { requireRegistry, startRegistry, type RunningRegistry } from "../support/registry.js";
import { opensslAvailable, TokenService } from "../support/registry-token.js";
import { unavailable } from "../support/unavailable.js";

describe("registry client: references, mirrors, credentials", () => {
  it("normalizes references as docker does and keeps tag and digest", () => {
    assert.deepEqual(parseReference("percona/x:1.0"), { registry: "docker.io", repository: "percona/x", tag: "1.0", digest: undefined });
    assert.deepEqual(parseReference("busybox"), { registry: "docker.io", repository: "library/busybox", tag: "latest", digest: undefined });
    const d = "sha256:" + "a".repeat(64);
    assert.deepEqual(parseReference(`127.0.0.1:5000/a/b@${d}`), { registry: "127.0.0.1:5000", repository: "a/b", tag: undefined, digest: d });
    assert.equal(formatReference(parseReference("quay.io/a/b:v1")), "quay.io/a/b:v1");
    assert.throws(() => parseReference("Quay.io/A/B:v1"), /invalid image reference "Quay\.io\/A\/B:v1": invalid reference format: repository name must be lowercase/);
  });

  it("pins a reference to a digest, dropping the tag but keeping the name as written", () => {
    const d = "sha256:" + "b".repeat(64);
    assert.equal(pinnedReference("quay.io/a/b:v1", d), `quay.io/a/b@${d}`);
    assert.equal(pinnedReference("127.0.0.1:5000/a/b", d), `127.0.0.1:5000/a/b@${d}`);
    assert.equal(pinnedReference("percona/x:1@sha256:" + "c".repeat(64), d), `percona/x@${d}`);
  });

  it("speaks plain HTTP to loopback and listed hosts only; Docker Hub's API host", () => {
    assert.equal(usesPlainHttp("127.0.0.1:5000", {}), true);
    assert.equal(usesPlainHttp("localhost:5000", {}), true);
    assert.equal(usesPlainHttp("quay.io", {}), false);
    assert.equal(usesPlainHttp("registry.lan:5000", { DBAAS_REGISTRY_PLAIN_HTTP: "registry.lan:5000" }), true);
    assert.equal(apiHost("docker.io"), "registry-1.docker.io");
  });

  it("mirrors rewrite where images are pulled from, longest prefix first", () => {
    const m = parseMirrors(["quay.io=127.0.0.1:5000", "docker.io/percona=127.0.0.1:5000/hub/percona,docker.io=127.0.0.1:5001"]);
    const at = (s: string) => formatReference(applyMirrors(parseReference(s), m));
    assert.equal(at("quay.io/operatorhubio/x:v1"), "127.0.0.1:5000/operatorhubio/x:v1");
    assert.equal(at("percona/dbaas-operator-bundle:0.1.4"), "127.0.0.1:5000/hub/percona/dbaas-operator-bundle:0.1.4");
    assert.equal(at("docker.io/perconalab/x:1"), "127.0.0.1:5001/perconalab/x:1");
    assert.equal(at("quay.io.evil.com/x:1"), "quay.io.evil.com/x:1");
    assert.equal(at("ghcr.io/x/y:1"), "ghcr.io/x/y:1");
    assert.deepEqual(mirrorsFrom(undefined, { DBAAS_REGISTRY_MIRRORS: "quay.io=127.0.0.1:5000" }), [{ from: "quay.io", to: "127.0.0.1:5000" }]);
    assert.deepEqual(mirrorsFrom(["ghcr.io=h:1"], { DBAAS_REGISTRY_MIRRORS: "quay.io=127.0.0.1:5000" }), [{ from: "ghcr.io", to: "h:1" }]);
    assert.throws(() => parseMirrors(["quay.io"]), /expected <registry>=<mirror>/);
    assert.throws(() => parseMirrors(["quay.io=http://x"]), /is not a registry host/);
  });

  it("reads credentials from REGISTRY_AUTH_FILE / docker config (auth, username+password, Docker Hub's v1 key)", () => {
    const dir = mkdtempSync(join(tmpdir(), "auth-"));
    try {
      const file = join(dir, "auth.json");
      writeFileSync(
        file,
        JSON.stringify({
          auths: {
            "quay.io": { auth: Buffer.from("robot:tok:en").toString("base64") },
            "https://index.docker.io/v1/": { username: "hub", password: "pw" },
            "https://127.0.0.1:5000": { identitytoken: "refresh" },
          },
        }),
      );
      const cfg = loadAuthConfig({ REGISTRY_AUTH_FILE: file });
      assert.equal(cfg.file, file);
      assert.deepEqual(credentialsFor(cfg, "quay.io"), { username: "robot", password: "tok:en", identityToken: undefined });
      assert.deepEqual(credentialsFor(cfg, "docker.io"), { username: "hub", password: "pw", identityToken: undefined });
      assert.equal(credentialsFor(cfg, "127.0.0.1:5000")?.identityToken, "refresh");
      assert.equal(credentialsFor(cfg, "ghcr.io"), undefined);
      assert.deepEqual(loadAuthConfig({ DOCKER_CONFIG: join(dir, "none") }), { auths: {}, credHelpers: {} });
      writeFileSync(file, "{not json");
      assert.throws(() => loadAuthConfig({ REGISTRY_AUTH_FILE: file }), /auth\.json: not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses WWW-Authenticate challenges", () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), {
      scheme: "bearer",
      params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/busybox:pull" },
    });
    assert.deepEqual(parseChallenge('Basic realm="dbaas-catalog"'), { scheme: "basic", params: { realm: "dbaas-catalog" } });
    assert.equal(parseChallenge(null), undefined);
  });
});

describe("registry client: the Bearer token flow against a registry with token auth", function () {
  let reg: RunningRegistry;
  let tokens: TokenService;
  let dir: string;
  const image = perconaFixtureImages().find((i) => i.reference.endsWith("victoriametrics-operator:v0.29.1"))!;

  before(async function () {
    requireRegistry(this);
    if (!opensslAvailable()) {
      unavailable(this, "the openssl CLI (for the token service's certificate)", "apt-get install openssl");
    }
    dir = mkdtempSync(join(tmpdir(), "token-"));
    tokens = new TokenService(dir, "robot", "s3cret");
    const realm = await tokens.start();
    reg = await startRegistry({ token: { realm, service: tokens.service, issuer: tokens.issuer, certFile: tokens.certFile } });
    const auth = { file: "test", auths: { [reg.address]: { username: "robot", password: "s3cret" } }, credHelpers: {} };
    await pushImage(new RegistryClient({ auth }), await buildBundleImage(image.files, image.labels), [parseReference(`${reg.address}/operatorhubio/victoriametrics-operator:v0.29.1`)]);
  });
  after(async () => {
    reg?.stop();
    await tokens?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gets a pull token with the configured credentials, then renders", async () => {
    const before = tokens.requests.length;
    const client = new RegistryClient({ auth: { file: "test", auths: { [reg.address]: { username: "robot", password: "s3cret" } }, credHelpers: {} }, retries: 0 });
    const [b] = await new RegistryBundleSource({ client, mirrors: parseMirrors([`quay.io=${reg.address}`]), cache: null }).renderBundle(image.reference);
    assert.equal(b!.name, "victoriametrics-operator.v0.29.1");
    const asked = tokens.requests.slice(before);
    assert.deepEqual(asked, [{ scope: "repository:operatorhubio/victoriametrics-operator:pull", authorized: true }], "one token, reused for manifest, config and layer");
  });

  it("without credentials the token service refuses, and the error says so", async () => {
    const client = new RegistryClient({ auth: { auths: {}, credHelpers: {} }, retries: 0 });
    await assert.rejects(
      new RegistryBundleSource({ client, mirrors: parseMirrors([`quay.io=${reg.address}`]), cache: null }).renderBundle(image.reference),
      /manifest of quay\.io\/operatorhubio\/victoriametrics-operator:v0\.29\.1 \(pulled from .*\): unauthorized \(HTTP 401 from token service http:\/\/127\.0\.0\.1:\d+\): anonymous access refused; no credentials for 127\.0\.0\.1:\d+/,
    );
  });
});
