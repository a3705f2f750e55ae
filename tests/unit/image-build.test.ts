import { strict as assert } from "node:assert";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCatalogImage, CONFIGS_LABEL } from "../../src/image/catalog-image.js";
import { buildImage } from "../../src/image/build.js";
import { pushImage } from "../../src/image/push.js";
import { pullImage, imageLabels } from "../../src/image/pull.js";
import { parseReference } from "../../src/image/reference.js";
import { buildCatalog, extractCatalog } from "../../src/image/publish.js";
import { validateDir } from "../../src/fbc/validate.js";
import { main } from "../../src/cli/main.js";
import { opmRegistryEnv, requireOpm, runOpm } from "../support/opm.js";
import { CATALOG } from "../support/paths.js";
import { requireRegistry, startRegistry, testClient, type RunningRegistry } from "../support/registry.js";

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = join(dir, f);
    try {
      out[f] = readFileSync(p, "utf8");
    } catch {
      // a folder
    }
  }
  return out;
}

/** Runs the CLI in-process, capturing stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = "";
  let stderr = "";
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe("catalog image: reproducible build", () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), "image-build-"));
    cpSync(CATALOG, join(work, "a"), { recursive: true });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("the same catalog gives the same digest, wherever it lives and whenever its files were written", async () => {
    const first = await buildCatalogImage(join(work, "a"));
    await new Promise((r) => setTimeout(r, 1100));
    cpSync(join(work, "a"), join(work, "b"), { recursive: true });
    const again = await buildCatalogImage(join(work, "b"));
    assert.equal(again.digest, first.digest);
    assert.deepEqual(again.manifest, first.manifest);
    assert.match(first.digest, /^sha256:[a-f0-9]{64}$/);
  });

  it("a one-byte change gives another digest", async () => {
    const dir = join(work, "c");
    cpSync(join(work, "a"), dir, { recursive: true });
    const before = await buildCatalogImage(dir);
    const op = readdirSync(dir).find((f) => existsSync(join(dir, f, "catalog.yaml")))!;
    appendFileSync(join(dir, op, "catalog.yaml"), "\n");
    const after = await buildCatalogImage(dir);
    assert.notEqual(after.digest, before.digest);
    assert.notEqual(after.layers[0]!.digest, before.layers[0]!.digest);
    assert.equal(after.layers.length, 1);
  });

  it("has the configs label, opm's entrypoint and command, and files under /configs with fixed metadata", async () => {
    const img = await buildCatalogImage(join(work, "a"));
    const config = JSON.parse(img.config.data.toString());
    assert.equal(config.config.Labels[CONFIGS_LABEL], "/configs");
    assert.deepEqual(config.config.Entrypoint, ["/bin/opm"]);
    assert.deepEqual(config.config.Cmd, ["serve", "/configs", "--cache-dir=/tmp/cache", "--cache-enforce-integrity=false"]);
    assert.equal(config.created, "1970-01-01T00:00:00Z");
    assert.equal(config.rootfs.diff_ids.length, 1);
    const gz = img.layers[0]!.data;
    assert.equal(gz.readUInt32LE(4), 0, "gzip mtime is 0");
    const { unpackTar, gunzip } = await import("../../src/image/tar.js");
    const entries = await unpackTar(gunzip(gz));
    const paths = entries.map((e) => e.path);
    assert.deepEqual(paths, [...paths].sort(), "entries sorted");
    assert.ok(paths.every((p) => p === "configs" || p.startsWith("configs/")));
  });
});

describe("catalog image: push, pull back, tags (local registry)", function () {
  let reg: RunningRegistry;
  let work: string;
  let catalogDir: string;
  before(async function () {
    requireRegistry(this);
    reg = await startRegistry();
    work = mkdtempSync(join(tmpdir(), "image-push-"));
    catalogDir = join(work, "catalog");
    cpSync(CATALOG, catalogDir, { recursive: true });
  });
  after(() => {
    reg?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("`image build --push` on main after tests prints :main, :latest and the digest; both tags resolve to it", async () => {
    const r = await cli(["image", "build", catalogDir, "--repo", `${reg.address}/dbaas-catalog`, "--ref", "refs/heads/main", "--push", "--tests-passed"]);
    assert.equal(r.code, 0, r.stderr);
    const digest = (await buildCatalogImage(catalogDir)).digest;
    assert.equal(r.stdout, `${reg.address}/dbaas-catalog:main\n${reg.address}/dbaas-catalog:latest\ndigest ${digest}\n`);
    for (const tag of ["main", "latest"]) {
      const head = await testClient().headManifest(parseReference(`${reg.address}/dbaas-catalog`), tag, "test");
      assert.equal(head.digest, digest);
    }
  });

  it("pulling the image back and extracting /configs gives the catalog, which passes validateDir", async () => {
    const dest = join(work, "extracted");
    const n = await extractCatalog(`${reg.address}/dbaas-catalog:main`, dest, undefined, testClient());
    assert.ok(n > 0);
    assert.deepEqual(files(dest), files(catalogDir));
    const v = validateDir(dest);
    assert.equal(v.passed, true, v.message);
  });

  it("opm renders the pushed catalog image like the catalog folder (where opm is built)", function () {
    requireOpm(this);
    const env = opmRegistryEnv(join(work, "opm-config"));
    const run = (ref: string) => runOpm(["render", ref, "-o", "yaml", "--use-http"], env);
    const fromImage = run(`${reg.address}/dbaas-catalog:main`);
    assert.equal(fromImage.status, 0, fromImage.stderr);
    assert.equal(fromImage.stdout, run(catalogDir).stdout);
  });

  it("release and platform refs push their tags; other refs push nothing", async () => {
    const repo = `${reg.address}/dbaas-catalog`;
    const rel = await buildCatalog(catalogDir, { repo, ref: "refs/tags/v1.4.2", push: true }, testClient());
    assert.deepEqual(rel.references, [`${repo}:v1.4.2`, `${repo}:1.4`]);
    const plat = await buildCatalog(catalogDir, { repo, ref: "platformx/v2.0.0", push: true }, testClient());
    assert.deepEqual(plat.references, [`${repo}-platformx:v2.0.0`, `${repo}-platformx:latest`]);
    const head = await testClient().headManifest(parseReference(`${repo}-platformx`), "latest", "test");
    assert.equal(head.digest, plat.digest);
    const r = await cli(["image", "build", catalogDir, "--repo", repo, "--ref", "feature/x", "--push"]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /ref "feature\/x" is not published/);
    assert.equal(r.stdout, `digest ${plat.digest}\n`);
  });

  it("an invalid catalog is not built (exit 1, opm's message)", async () => {
    const bad = join(work, "bad");
    cpSync(catalogDir, bad, { recursive: true });
    writeFileSync(join(bad, "broken.yaml"), "---\nschema: olm.channel\npackage: nope\nname: x\nentries: []\n");
    const r = await cli(["image", "build", bad, "--repo", `${reg.address}/bad`, "--ref", "main", "--push"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the catalog is invalid, not building it/);
    await assert.rejects(testClient().headManifest(parseReference(`${reg.address}/bad`), "main", "bad"), /HTTP 404/);
  });

  it("--base layers the catalog on a base image from the registry (its layers mounted, not re-uploaded)", async () => {
    const base = await buildImage({
      layers: [[{ path: "bin/opm", type: "file", data: Buffer.from("#!/bin/sh\necho opm\n") }]],
      entrypoint: ["/bin/opm"],
      labels: { "org.opencontainers.image.title": "opm" },
    });
    const baseRef = `${reg.address}/operator-framework/opm:v1.73.0`;
    await pushImage(testClient(), base, [parseReference(baseRef)]);
    const repo = `${reg.address}/with-base`;
    const r = await buildCatalog(catalogDir, { repo, ref: "main", push: true, base: baseRef }, testClient());
    const pulled = await pullImage(testClient(), parseReference(`${repo}:main`), "test");
    assert.equal(pulled.layers.length, 2);
    assert.equal(pulled.layers[0]!.digest, base.layers[0]!.digest);
    assert.equal(imageLabels(pulled)[CONFIGS_LABEL], "/configs");
    assert.equal(imageLabels(pulled)["org.opencontainers.image.title"], "opm");
    assert.equal(pulled.config.json.rootfs!.diff_ids.length, 2);
    const again = await buildCatalogImage(catalogDir, await pullImage(testClient(), parseReference(baseRef), "base"));
    assert.equal(again.digest, r.digest, "reproducible on a base too");
    const pushed = await pushImage(testClient(), again, [parseReference(`${reg.address}/with-base-2:main`)]);
    assert.equal(pushed.uploaded, 2, "catalog layer and config uploaded, the base layer mounted from its repository");
    assert.notEqual(r.digest, (await buildCatalogImage(catalogDir)).digest);
    const dest = join(work, "extracted-base");
    await extractCatalog(`${repo}:main`, dest, undefined, testClient());
    assert.equal(validateDir(dest).passed, true);
  });
});
