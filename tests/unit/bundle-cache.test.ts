import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleCache } from "../../src/bundle/cache.js";
import { RegistryBundleSource } from "../../src/bundle/registry-source.js";
import { parseMirrors } from "../../src/image/mirrors.js";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { writeFbc } from "../../src/fbc/write.js";
import { OPERATORS, PERCONA } from "../support/paths.js";
import { RegistryProxy } from "../support/registry-proxy.js";
import { requireRegistry, sharedRegistry, testClient } from "../support/registry.js";

/** Renders all six Percona veneers through `source`; returns the catalogs' YAML. */
async function renderAll(source: RegistryBundleSource): Promise<string[]> {
  const out: string[] = [];
  for (const op of OPERATORS) {
    const file = join(PERCONA, op, "veneer.yaml");
    out.push(writeFbc(await renderSemverTemplateText(readFileSync(file, "utf8"), file, source, { compat: "veneer" }), "yaml"));
  }
  return out;
}

function cacheFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".json")).map((f) => join(dir, f));
}

describe("bundle cache: keyed by manifest digest", function () {
  let proxy: RegistryProxy;
  let cacheDir: string;
  const source = () => new RegistryBundleSource({ client: testClient(), mirrors: parseMirrors([`quay.io=${proxy.address}`, `docker.io=${proxy.address}`]), cache: new BundleCache(cacheDir) });

  before(async function () {
    requireRegistry(this);
    const reg = await sharedRegistry();
    proxy = new RegistryProxy(reg.address);
    await proxy.start();
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), "bundle-cache-"));
    proxy.resetCounts();
    proxy.faults = [];
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));
  after(() => proxy?.stop());

  it("a second render of unchanged veneers makes one manifest HEAD per image and downloads no blob", async () => {
    const first = await renderAll(source());
    assert.ok(proxy.counts["blob-get"] >= 2 * 24, `first render downloads configs and layers (${proxy.counts["blob-get"]})`);
    assert.equal(cacheFiles(cacheDir).length, 24);
    proxy.resetCounts();
    const second = await renderAll(source());
    assert.deepEqual(second, first);
    assert.equal(proxy.counts["blob-get"], 0);
    assert.equal(proxy.counts["manifest-head"], 24);
    assert.equal(proxy.counts["manifest-get"], 0);
  });

  it("two renders at once share the cache safely and agree", async () => {
    const [a, b] = await Promise.all([renderAll(source()), renderAll(source())]);
    assert.deepEqual(a, b);
    const cache = new BundleCache(cacheDir);
    for (const f of cacheFiles(cacheDir)) {
      const digest = "sha256:" + f.slice(f.lastIndexOf("/") + 1, -5);
      assert.ok(cache.get(digest), `${f} reads back`);
    }
  });

  it("a damaged or half-written entry is a miss: re-fetched and rewritten, never used", async () => {
    const first = await renderAll(source());
    const files = cacheFiles(cacheDir);
    writeFileSync(files[0]!, readFileSync(files[0]!, "utf8").slice(0, 100)); // torn write
    const text = readFileSync(files[1]!, "utf8");
    writeFileSync(files[1]!, text.replace(/"name":"[^"]+"/, '"name":"tampered"')); // checksum no longer matches
    proxy.resetCounts();
    assert.deepEqual(await renderAll(source()), first);
    assert.equal(proxy.counts["blob-get"], 4, "configs and layers of the two bad entries only");
    assert.equal(cacheFiles(cacheDir).length, 24);
    proxy.resetCounts();
    await renderAll(source());
    assert.equal(proxy.counts["blob-get"], 0);
  });

  it("an unwritable cache only costs speed: the render still succeeds", async () => {
    const notADir = join(cacheDir, "file");
    writeFileSync(notADir, "x");
    const s = new RegistryBundleSource({ client: testClient(), mirrors: parseMirrors([`quay.io=${proxy.address}`]), cache: new BundleCache(notADir) });
    const [b] = await s.renderBundle("quay.io/operatorhubio/victoriametrics-operator:v0.16.0");
    assert.equal(b!.name, "victoriametrics-operator.v0.16.0");
  });

  it("a digest reference that is cached needs no request at all", async () => {
    const reg = await sharedRegistry();
    const pushed = reg.fixtures.find((f) => f.reference.endsWith("victoriametrics-operator:v0.24.0"))!;
    const ref = `quay.io/operatorhubio/victoriametrics-operator@${pushed.digest}`;
    await source().renderBundle(ref);
    proxy.resetCounts();
    const [b] = await source().renderBundle(ref);
    assert.equal(b!.image, ref);
    assert.deepEqual(proxy.counts, { "manifest-head": 0, "manifest-get": 0, "blob-get": 0, "blob-head": 0, other: 0 });
  });
});
