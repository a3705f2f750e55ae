import { strict as assert } from "node:assert";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { RegistryBundleSource } from "../../src/bundle/registry-source.js";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { writeFbc } from "../../src/fbc/write.js";
import { loadFbc } from "../../src/fbc/load.js";
import { validateDir } from "../../src/fbc/validate.js";
import { listPackages, filterByCategory } from "../../src/catalog/list.js";
import { readCategoryOverrides } from "../../src/catalog/categories.js";
import { requireRegistry, sharedRegistry } from "../support/registry.js";
import { CATALOG } from "../support/paths.js";

const operators = readdirSync(CATALOG).filter((d) => statSync(join(CATALOG, d)).isDirectory()).sort();

describe("catalog content", function () {
  this.timeout(120_000);

  it("holds nine operators across databases, monitoring, logging & tracing and cloud provider, and validates", () => {
    assert.equal(operators.length, 9);
    assert.equal(validateDir(CATALOG).passed, true);
    const rows = listPackages(loadFbc(CATALOG), readCategoryOverrides(CATALOG));
    assert.deepEqual(filterByCategory(rows, "Cloud Provider").map((r) => r.name), ["ack-rds-controller"]);
    assert.deepEqual(filterByCategory(rows, "Logging & Tracing").map((r) => r.name), ["opentelemetry-operator"]);
    assert.deepEqual(filterByCategory(rows, "Monitoring").map((r) => r.name), ["opentelemetry-operator", "prometheus", "victoriametrics-operator"]);
    assert.equal(filterByCategory(rows, "Database").length, 5);
  });

  it("opentelemetry (no replaces in its CSVs) gets the 0.156.0 → 0.157.0 → 0.158.0 chain in every channel", () => {
    const cfg = loadFbc(join(CATALOG, "opentelemetry-operator"));
    for (const ch of cfg.channels) {
      const names = ch.entries.map((e) => e.name);
      const versions = ["0.156.0", "0.157.0", "0.158.0"].filter((v) => names.includes(`opentelemetry-operator.v${v}`));
      assert.deepEqual(names, versions.map((v) => `opentelemetry-operator.v${v}`), ch.name);
      ch.entries.forEach((e, i) => assert.equal(e.replaces, i === 0 ? undefined : ch.entries[i - 1]!.name, `${ch.name} ${e.name}`));
    }
  });

  describe("each committed catalog.yaml is its veneer rendered from the bundle images (local registry)", () => {
    before(function () {
      requireRegistry(this);
    });
    for (const op of operators) {
      it(op, async () => {
        const reg = await sharedRegistry();
        const source = new RegistryBundleSource({ mirrors: reg.mirrors, cache: null });
        const veneer = join(CATALOG, op, "veneer.yaml");
        const cfg = await renderSemverTemplateText(readFileSync(veneer, "utf8"), veneer, source);
        const committed = readFileSync(join(CATALOG, op, "catalog.yaml"), "utf8");
        if (["opentelemetry-operator", "ack-rds-controller", "prometheus"].includes(op)) {
          assert.equal(writeFbc(cfg, "yaml"), committed);
        } else {
          // The Percona fixtures were rendered by an older opm: same channels and package; bundle blobs
          // differ only in relatedImages names ("" now) and olm.bundle.object order, as opm v1.73 writes them.
          const want = loadFbc(join(CATALOG, op, "catalog.yaml"));
          assert.deepEqual(cfg.packages.map((p) => [p.name, p.defaultChannel, p.description]), want.packages.map((p) => [p.name, p.defaultChannel, p.description]));
          assert.deepEqual(cfg.channels.map((c) => [c.name, c.entries]), want.channels.map((c) => [c.name, c.entries]));
        }
      });
    }
  });
});
