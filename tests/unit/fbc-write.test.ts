import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadFbc } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import { CATALOG, OPERATORS, PERCONA, REPO } from "../support/paths.js";
import { requireOpm, runOpm } from "../support/opm.js";

describe("FBC writer", () => {
  for (const op of OPERATORS) {
    it(`re-writes the opm-rendered ${op} fixture byte for byte`, () => {
      const file = join(PERCONA, op, "catalog.yaml");
      assert.equal(writeFbc(loadFbc(file), "yaml"), readFileSync(file, "utf8"));
    });
  }

  for (const probe of ["yaml-probe", "json-stream"]) {
    for (const format of ["yaml", "json"] as const) {
      it(`writes ${probe} exactly as opm render -o ${format} (golden from opm)`, () => {
        const dir = join(REPO, "tests", "fixtures", probe);
        assert.equal(writeFbc(loadFbc(join(dir, "catalog")), format), readFileSync(join(dir, `opm-render.${format}`), "utf8"));
      });
    }
  }

  describe("against opm render (differential)", function () {
    before(function () {
      requireOpm(this);
    });
    for (const op of OPERATORS) {
      it(`YAML and JSON of catalog/${op} equal opm render's`, () => {
        const dir = join(CATALOG, op);
        const cfg = loadFbc(dir);
        assert.equal(writeFbc(cfg, "yaml"), runOpm(["render", dir, "-o", "yaml"]).stdout);
        assert.equal(writeFbc(cfg, "json"), runOpm(["render", dir, "-o", "json"]).stdout);
      });
    }
  });
});
