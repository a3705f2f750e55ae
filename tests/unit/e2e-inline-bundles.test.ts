import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeInlineCatalog } from "../../src/e2e/catalog-dir.js";
import { bundlesWithoutObjects, inlineBundles } from "../../src/e2e/inline-bundles.js";
import { loadFbc, loadFbcText } from "../../src/fbc/load.js";
import { validateDir } from "../../src/fbc/validate.js";
import { CATALOG } from "../support/paths.js";

const object = (o: unknown) => ({ type: "olm.bundle.object", value: { data: Buffer.from(JSON.stringify(o)).toString("base64") } });
const tiny = (withObjects: boolean) =>
  loadFbcText(
    [
      { schema: "olm.package", name: "p", defaultChannel: "c" },
      { schema: "olm.channel", package: "p", name: "c", entries: [{ name: "p.v1.0.0" }] },
      {
        schema: "olm.bundle",
        package: "p",
        name: "p.v1.0.0",
        image: "example.com/p-bundle:1.0.0",
        properties: [
          { type: "olm.package", value: { packageName: "p", version: "1.0.0" } },
          ...(withObjects ? [object({ apiVersion: "operators.coreos.com/v1alpha1", kind: "ClusterServiceVersion", metadata: { name: "p.v1.0.0" } })] : []),
        ],
        relatedImages: [{ name: "", image: "example.com/p-bundle:1.0.0" }],
      },
    ]
      .map((b) => JSON.stringify(b))
      .join("\n"),
    "tiny.json",
  );

describe("e2e: inlineBundles (the catalog served to the kwok cluster)", () => {
  it("clears every bundle image and changes nothing else", () => {
    const cfg = loadFbc(CATALOG);
    const out = inlineBundles(cfg);
    assert.equal(out.bundles.length, cfg.bundles.length);
    assert.ok(out.bundles.every((b) => b.image === ""));
    assert.deepEqual(
      out.bundles.map(({ image: _i, ...b }) => b),
      cfg.bundles.map(({ image: _i, ...b }) => b),
    );
    assert.deepEqual(out.packages, cfg.packages);
    assert.deepEqual(out.channels, cfg.channels);
  });

  it("does not modify its input", () => {
    const cfg = tiny(true);
    inlineBundles(cfg);
    assert.equal(cfg.bundles[0]!.image, "example.com/p-bundle:1.0.0");
  });

  it("refuses bundles that carry no olm.bundle.object (OLM would have nothing to install)", () => {
    assert.deepEqual(bundlesWithoutObjects(tiny(false)), ["p.v1.0.0"]);
    assert.throws(() => inlineBundles(tiny(false)), /without olm\.bundle\.object properties: p\.v1\.0\.0/);
    assert.deepEqual(bundlesWithoutObjects(loadFbc(CATALOG)), []);
  });

  it("writes a catalog that is still valid (opm accepts an empty image when manifests are inline)", () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-inline-"));
    try {
      const file = writeInlineCatalog(CATALOG, dir);
      const reread = loadFbc(file);
      assert.ok(reread.bundles.length > 0 && reread.bundles.every((b) => b.image === ""));
      const r = validateDir(dir);
      assert.equal(r.passed, true, JSON.stringify(r));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
