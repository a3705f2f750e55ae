import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadFbc } from "../../src/fbc/load.js";
import { filterByCategory, listPackages } from "../../src/catalog/list.js";
import { readCategoryOverrides } from "../../src/catalog/categories.js";
import { withCatalogTable } from "../../scripts/readme-catalog.js";
import { CATALOG, REPO } from "../support/paths.js";
import { cli } from "../support/cli.js";

describe("catalog list and categories", () => {
  const rows = listPackages(loadFbc(CATALOG), readCategoryOverrides(CATALOG));

  it("lists every package with its default channel head", () => {
    const psmdb = rows.find((r) => r.name === "percona-server-mongodb-operator")!;
    assert.equal(psmdb.defaultChannel, "stable-v1");
    assert.equal(psmdb.headCsv, "percona-server-mongodb-operator.v1.14.0");
    assert.deepEqual(psmdb.categories, ["Database"]);
    assert.deepEqual(rows.find((r) => r.name === "victoriametrics-operator")!.categories, ["Monitoring"]);
  });

  it("uses categories.yaml only where the CSV has no annotation", () => {
    assert.deepEqual(rows.find((r) => r.name === "everest-operator")!.categories, ["Database"]);
    assert.deepEqual(listPackages(loadFbc(CATALOG)).find((r) => r.name === "everest-operator")!.categories, []);
  });

  it("filters by category, case-insensitively", () => {
    assert.deepEqual(filterByCategory(rows, "monitoring").map((r) => r.name), ["opentelemetry-operator", "prometheus", "victoriametrics-operator"]);
  });

  it("the README table is the generated one (never stale)", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    assert.equal(readme, withCatalogTable(readme, CATALOG), "run: npm run readme:catalog");
  });

  it("list --category -o json through the CLI", () => {
    const r = cli(["list", "--category", "Monitoring", "-o", "json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((x: { name: string }) => x.name), ["opentelemetry-operator", "prometheus", "victoriametrics-operator"]);
  });
});
