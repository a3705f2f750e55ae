import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegistryBundleSource } from "../../src/bundle/registry-source.js";
import { renderBundleDir } from "../../src/bundle/render.js";
import { withImage } from "../../src/bundle/to-fbc.js";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { loadFbc } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import { emptyConfig, type Bundle, type DeclarativeConfig } from "../../src/fbc/types.js";
import { parseMirrors } from "../../src/image/mirrors.js";
import { compareWithOpm, opmRegistryEnv, runOpm } from "../support/opm.js";
import { OPERATORS, PERCONA } from "../support/paths.js";
import { requireRegistry, sharedRegistry, testClient, type FixtureRegistry } from "../support/registry.js";
import { BUNDLE_DIR_REGISTRY, realBundleDirs } from "../../scripts/fixtures-push.js";

const yamlOf = (b: Bundle): string => {
  const { csvJson: _c, ...rest } = b as Bundle & { csvJson?: string };
  return writeFbc({ ...emptyConfig(), bundles: [rest] }, "yaml");
};

/**
 * A catalog in a comparable form: no positions, relatedImages' empty names dropped (opm v1.73 writes
 * `name: ""`, the fixture files omit it) and bundle objects sorted (opm v1.73 sorts them by data; the
 * veneer-era fixture files keep manifest order). Everything else must be identical.
 */
function comparable(cfg: DeclarativeConfig): unknown {
  return {
    packages: cfg.packages.map((p) => ({ name: p.name, defaultChannel: p.defaultChannel, description: p.description, icon: p.icon })),
    channels: cfg.channels.map((c) => ({ name: c.name, package: c.package, entries: c.entries })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    bundles: cfg.bundles
      .map((b) => ({
        name: b.name,
        package: b.package,
        image: b.image,
        properties: [...b.properties.filter((p) => p.type !== "olm.bundle.object"), ...b.properties.filter((p) => p.type === "olm.bundle.object").sort((x, y) => ((x.value as { data: string }).data < (y.value as { data: string }).data ? -1 : 1))],
        relatedImages: b.relatedImages?.map((r) => (r.name ? { name: r.name, image: r.image } : { image: r.image })),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

describe("bundle images from the local registry", function () {
  let reg: FixtureRegistry;
  let opmHome: string;
  let opmEnv: NodeJS.ProcessEnv;
  before(async function () {
    requireRegistry(this);
    reg = await sharedRegistry();
    opmHome = mkdtempSync(join(tmpdir(), "opm-home-"));
    opmEnv = opmRegistryEnv(opmHome);
  });
  after(() => opmHome && rmSync(opmHome, { recursive: true, force: true }));

  describe("the 7 real bundles: directory and pushed image render the same", () => {
    for (const [pkg, version, dir] of realBundleDirs()) {
      it(`${pkg} ${version}`, async function () {
        const ref = `${BUNDLE_DIR_REGISTRY}/${pkg}:${version}`;
        const source = new RegistryBundleSource({ client: testClient(), mirrors: reg.mirrors, cache: null });
        const [fromImage] = await source.renderBundle(ref);
        assert.equal(fromImage!.image, ref, "the image field is the reference as written, not the mirror");
        const fromDir = withImage(renderBundleDir(dir), ref);
        assert.equal(yamlOf(fromImage!), yamlOf(fromDir));
        assert.equal(fromImage!.csvJson, fromDir.csvJson);
        if (!compareWithOpm()) return;
        const local = `${reg.address}/community-operator-pipeline-prod/${pkg}:${version}`;
        const opm = runOpm(["render", local, "-o", "yaml", "--use-http"], opmEnv);
        assert.equal(opm.status, 0, opm.stderr);
        const [direct] = await new RegistryBundleSource({ client: testClient(), cache: null }).renderBundle(local);
        assert.equal(yamlOf(direct!), opm.stdout, "equal to `opm render <image> --use-http`");
      });
    }
  });

  describe("the six Percona operators render from their fixture images (--compat veneer)", () => {
    for (const op of OPERATORS) {
      it(`${op}: semantically equal to the fixture catalog.yaml`, async () => {
        const veneer = join(PERCONA, op, "veneer.yaml");
        const source = new RegistryBundleSource({ client: testClient(), mirrors: reg.mirrors, cache: null });
        const cfg = await renderSemverTemplateText(readFileSync(veneer, "utf8"), veneer, source, { compat: "veneer" });
        const want = loadFbc(join(PERCONA, op, "catalog.yaml"));
        assert.ok(cfg.bundles.length > 0);
        assert.deepEqual(comparable(cfg), comparable(want));
      });
    }
  });

  it("--pin-digests writes name@sha256:<manifest digest> as image and related image", async () => {
    const ref = "quay.io/operatorhubio/victoriametrics-operator:v0.29.1";
    const pushed = reg.fixtures.find((f) => f.reference === ref)!;
    const [b] = await new RegistryBundleSource({ client: testClient(), mirrors: reg.mirrors, cache: null, pinDigests: true }).renderBundle(ref);
    assert.equal(b!.image, `quay.io/operatorhubio/victoriametrics-operator@${pushed.digest}`);
    assert.ok(b!.relatedImages!.some((r) => r.image === b!.image));
    assert.ok(!b!.relatedImages!.some((r) => r.image === ref));
  });

  it("a digest reference renders, and is kept as written", async () => {
    const pushed = reg.fixtures.find((f) => f.reference.endsWith("percona-xtradb-cluster-operator:v1.13.0"))!;
    const ref = `quay.io/operatorhubio/percona-xtradb-cluster-operator@${pushed.digest}`;
    const [b] = await new RegistryBundleSource({ client: testClient(), mirrors: reg.mirrors, cache: null }).renderBundle(ref);
    assert.equal(b!.image, ref);
    assert.equal(b!.name, "percona-xtradb-cluster-operator.v1.13.0");
  });

  it("a mirror with a path prefix maps the repository under it", async () => {
    const mirrors = parseMirrors([`example.com/mirror=${reg.address}/operatorhubio`]);
    const [b] = await new RegistryBundleSource({ client: testClient(), mirrors, cache: null }).renderBundle("example.com/mirror/victoriametrics-operator:v0.16.0");
    assert.equal(b!.name, "victoriametrics-operator.v0.16.0");
    assert.equal(b!.image, "example.com/mirror/victoriametrics-operator:v0.16.0");
  });

  it("a catalog image is refused as a bundle with opm's reason", async () => {
    const source = new RegistryBundleSource({ client: testClient(), cache: null });
    const { buildCatalogImage } = await import("../../src/image/catalog-image.js");
    const { pushImage } = await import("../../src/image/push.js");
    const { parseReference } = await import("../../src/image/reference.js");
    const dir = mkdtempSync(join(tmpdir(), "cat-"));
    writeFileSync(join(dir, "c.yaml"), "---\nschema: olm.package\nname: x\ndefaultChannel: a\n");
    const img = await buildCatalogImage(dir);
    await pushImage(testClient(), img, [parseReference(`${reg.address}/test/not-a-bundle:1`)]);
    rmSync(dir, { recursive: true });
    await assert.rejects(source.renderBundle(`${reg.address}/test/not-a-bundle:1`), /is a catalog image, not a bundle: cannot render declarative config image: not allowed/);
  });
});
