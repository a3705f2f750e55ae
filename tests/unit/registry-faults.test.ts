import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setRegistrySourceFactory } from "../../src/bundle/default-source.js";
import { renderOperatorDir } from "../../src/cli/commands/render.js";
import { registryRenderSource } from "../../src/cli/commands/bundle.js";
import { main } from "../../src/cli/main.js";
import { BundleCache } from "../../src/bundle/cache.js";
import { buildImage } from "../../src/image/build.js";
import { RegistryClient } from "../../src/image/client.js";
import { sha256Digest } from "../../src/image/digest.js";
import { pushImage } from "../../src/image/push.js";
import { parseReference } from "../../src/image/reference.js";
import { perconaFixtureImages, localReference } from "../../scripts/fixtures-push.js";
import { buildBundleImage } from "../../src/image/bundle-image.js";
import { PERCONA, REPO } from "../support/paths.js";
import { RegistryProxy } from "../support/registry-proxy.js";
import { freePort, requireRegistry, sharedRegistry, startRegistry, writeAuthFile, writeHtpasswd, type RunningRegistry } from "../support/registry.js";

const OP = "percona-xtradb-cluster-operator";
const COMMITTED = "# committed catalog: must survive every failed render byte for byte\n";

/** Runs the CLI in-process; returns exit code and what it wrote to stderr. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  let stderr = "";
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(args), stderr };
  } finally {
    process.stderr.write = write;
  }
}

describe("registry faults: each is a clear error or a recovery, and catalog.yaml stays byte-identical", function () {
  let proxy: RegistryProxy;
  let work: string;
  let opDir: string;
  let expected: string;
  const saved: Record<string, string | undefined> = {};
  const setEnv = (k: string, v: string | undefined): void => {
    if (!(k in saved)) saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  const catalog = (): string => readFileSync(join(opDir, "catalog.yaml"), "utf8");
  const render = (mirror: string, extra: Record<string, unknown> = {}) =>
    renderOperatorDir(opDir, { compat: "veneer", output: "yaml", registryMirror: [`quay.io=${mirror}`], cache: false, ...extra } as Parameters<typeof renderOperatorDir>[1]);

  before(async function () {
    requireRegistry(this);
    setRegistrySourceFactory(registryRenderSource);
    const reg = await sharedRegistry();
    proxy = new RegistryProxy(reg.address);
    await proxy.start();
    work = mkdtempSync(join(tmpdir(), "faults-"));
    setEnv("DBAAS_REGISTRY_RETRIES", "2");
    setEnv("DBAAS_REGISTRY_BACKOFF_MS", "20");
    setEnv("DBAAS_REGISTRY_TIMEOUT_MS", "10000");
    setEnv("REGISTRY_AUTH_FILE", join(work, "no-auth.json"));
    setEnv("DBAAS_BUNDLE_CACHE", join(work, "cache"));
    setEnv("DBAAS_REGISTRY_MIRRORS", undefined);
    opDir = join(work, OP);
    cpSync(join(PERCONA, OP), opDir, { recursive: true });
    await render(reg.address);
    expected = catalog();
  });
  beforeEach(() => {
    writeFileSync(join(opDir, "catalog.yaml"), COMMITTED);
    proxy.faults = [];
    proxy.resetCounts();
  });
  afterEach(() => {
    const stray = readdirSync(opDir).filter((f) => f !== "catalog.yaml" && f !== "veneer.yaml");
    assert.deepEqual(stray, [], "no temp file left next to catalog.yaml");
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    await proxy?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("registry down: names the image and the unreachable registry (CLI exit 1)", async () => {
    const port = await freePort();
    const r = await cli(["render", opDir, "--compat", "veneer", "--registry-mirror", `quay.io=127.0.0.1:${port}`, "--no-cache"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`quay\\.io/operatorhubio/${OP}:v1\\.\\d+\\.0 \\(pulled from 127\\.0\\.0\\.1:${port}/operatorhubio/${OP}:v1\\.\\d+\\.0\\): cannot reach registry 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`));
    assert.match(r.stderr, /\(3 attempts\)/);
    assert.equal(catalog(), COMMITTED);
  });

  it("404: an unknown tag names the image, the tag and the status", async () => {
    const veneer = readFileSync(join(opDir, "veneer.yaml"), "utf8");
    writeFileSync(join(opDir, "veneer.yaml"), veneer.replace(`${OP}:v1.12.0`, `${OP}:v9.9.9`));
    try {
      await assert.rejects(render(proxy.address), new RegExp(`${OP}:v9\\.9\\.9.*not found \\(HTTP 404 from ${proxy.address}\\): no such tag or digest "v9\\.9\\.9"`));
    } finally {
      writeFileSync(join(opDir, "veneer.yaml"), veneer);
    }
    assert.equal(catalog(), COMMITTED);
  });

  it("500 then success: transient errors are retried and the render completes", async () => {
    proxy.faults = [
      { on: "manifest-head", status: 500, times: 1 },
      { on: "manifest-get", status: 502, times: 1 },
      { on: "blob-get", status: 503, times: 2 },
    ];
    await render(proxy.address);
    assert.equal(catalog(), expected);
    assert.ok(proxy.faults.every((f) => f.times === 0), "every injected fault was hit");
  });

  it("500 that does not go away: an error naming status and attempts", async () => {
    proxy.faults = [{ on: "manifest-head", status: 500 }];
    await assert.rejects(render(proxy.address), new RegExp(`manifest of quay\\.io/operatorhubio/${OP}:v1\\.\\d+\\.0 .*HTTP 500 Internal Server Error from ${proxy.address} \\(3 attempts\\)`));
    assert.equal(catalog(), COMMITTED);
  });

  it("truncated blob: retried, then an error with the bytes received", async () => {
    proxy.faults = [{ on: "blob-get", truncate: true }];
    await assert.rejects(render(proxy.address), /(config|layer) sha256:[a-f0-9]{64} of quay\.io\/[a-z-]+\/percona-xtradb-cluster-operator:v1\.\d+\.0 .*truncated: got \d+ of \d+ bytes .*\(3 attempts\)/);
    assert.equal(catalog(), COMMITTED);
    proxy.faults = [{ on: "blob-get", truncate: true, times: 1 }];
    await render(proxy.address);
    assert.equal(catalog(), expected, "a single truncated download recovers");
  });

  it("wrong digest: altered content is detected and rejected", async () => {
    proxy.faults = [{ on: "blob-get", corrupt: true }];
    await assert.rejects(render(proxy.address), /of quay\.io\/[a-z-]+\/percona-xtradb-cluster-operator:v1\.\d+\.0 .*content digest mismatch: expected (sha256:[a-f0-9]{64}), got (?!\1)sha256:[a-f0-9]{64}/);
    assert.equal(catalog(), COMMITTED);
  });

  it("corrupt layer (right digest, not gzip): an error naming layer and image", async () => {
    const reg = await sharedRegistry();
    const client = new RegistryClient({ auth: { auths: {}, credHelpers: {} } });
    const good = await buildBundleImage(perconaFixtureImages()[0]!.files, { "operators.operatorframework.io.bundle.package.v1": "x" });
    const junk = Buffer.from("this is not a gzip stream");
    const bad = await buildImage({ layers: [], labels: { "operators.operatorframework.io.bundle.package.v1": "x" } });
    const manifest = JSON.parse(bad.manifest.toString()) as { layers: unknown[] };
    manifest.layers = [{ mediaType: good.layers[0]!.mediaType, digest: sha256Digest(junk), size: junk.length }];
    const body = Buffer.from(JSON.stringify(manifest));
    const ref = parseReference(`${reg.address}/test/corrupt-layer:1`);
    await client.pushBlob(ref, junk, sha256Digest(junk), "corrupt");
    await client.pushBlob(ref, bad.config.data, bad.config.digest, "corrupt");
    await client.putManifest(ref, "1", body, bad.mediaType, "corrupt");
    const r = await cli(["render-bundle", `${reg.address}/test/corrupt-layer:1`, "--no-cache"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`layer ${sha256Digest(junk)} of ${reg.address}/test/corrupt-layer:1 is corrupt: incorrect header check`));
  });

  describe("401 from a registry with htpasswd auth", () => {
    let secured: RunningRegistry;
    before(async () => {
      const htpasswd = join(work, "htpasswd");
      writeHtpasswd(htpasswd, "ci", "s3cret");
      secured = await startRegistry({ htpasswd });
      const auth = JSON.parse(readFileSync(writeAuthFile(work, secured.address, "ci", "s3cret"), "utf8"));
      const client = new RegistryClient({ auth: { file: "test", auths: auth.auths, credHelpers: {} } });
      for (const img of perconaFixtureImages().filter((i) => i.reference.includes(`/${OP}:`))) {
        await pushImage(client, await buildBundleImage(img.files, img.labels, img.format), [parseReference(localReference(img.reference, secured.address))]);
      }
    });
    after(() => secured?.stop());

    it("without credentials: a clear 401 naming image, registry and where credentials are read from", async () => {
      await assert.rejects(
        render(secured.address),
        new RegExp(`of quay\\.io/operatorhubio/${OP}:v1\\.\\d+\\.0 \\(pulled from ${secured.address}/.*unauthorized \\(HTTP 401 from ${secured.address}\\): the registry requires a login and there are no credentials for ${secured.address} in .*no-auth\\.json`),
      );
      assert.equal(catalog(), COMMITTED);
    });

    it("with a wrong password: the credentials were rejected", async () => {
      setEnv("REGISTRY_AUTH_FILE", writeAuthFile(work, secured.address, "ci", "wrong"));
      try {
        await assert.rejects(render(secured.address), /unauthorized \(HTTP 401 from 127\.0\.0\.1:\d+\): the credentials for 127\.0\.0\.1:\d+ from .*auth\.json were rejected/);
      } finally {
        setEnv("REGISTRY_AUTH_FILE", join(work, "no-auth.json"));
      }
      assert.equal(catalog(), COMMITTED);
    });

    it("with credentials from REGISTRY_AUTH_FILE: renders", async () => {
      setEnv("REGISTRY_AUTH_FILE", writeAuthFile(work, secured.address, "ci", "s3cret"));
      try {
        await render(secured.address);
      } finally {
        setEnv("REGISTRY_AUTH_FILE", join(work, "no-auth.json"));
      }
      assert.equal(catalog(), expected);
    });
  });

  it("kill -9 during a render: catalog.yaml intact, the cache holds only whole entries, the next render succeeds", async () => {
    const cacheDir = join(work, "kill-cache");
    // v1.13.0 hangs; the other three bundles render and are cached, then the process is killed
    proxy.faults = [{ on: "manifest-head", path: `${OP}/manifests/v1.13.0`, delayMs: 20000 }];
    const child = spawn(process.execPath, [join(REPO, "bin", "dbaas-catalog.js"), "render", opDir, "--compat", "veneer", "--registry-mirror", `quay.io=${proxy.address}`], {
      env: { ...process.env, DBAAS_BUNDLE_CACHE: cacheDir },
      stdio: "ignore",
    });
    const exited = new Promise((r) => child.once("exit", r));
    const entries = (): string[] => (existsSync(cacheDir) ? (readdirSync(cacheDir, { recursive: true }) as string[]).filter((f) => /[a-f0-9]{64}\.json$/.test(f)) : []);
    const deadline = Date.now() + 20000;
    while (entries().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await exited;
    assert.equal(entries().length, 3, "killed mid-render, after three bundles were cached");
    assert.equal(catalog(), COMMITTED);
    const cache = new BundleCache(cacheDir);
    proxy.faults = [];
    proxy.resetCounts();
    for (const f of entries()) assert.ok(cache.get("sha256:" + f.slice(-69, -5)), `${f} is a whole entry`);
    setEnv("DBAAS_BUNDLE_CACHE", cacheDir);
    await render(proxy.address, { cache: true });
    assert.equal(catalog(), expected);
    assert.equal(proxy.counts["blob-get"], 2, "only the bundle that was not cached is downloaded");
  });
});
