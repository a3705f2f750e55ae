import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatValidationJson, formatValidationText, validateDir } from "../../src/fbc/validate.js";
import { CATALOG, PERCONA, VALIDATE_CASES } from "../support/paths.js";
import { requireOpm, runOpm } from "../support/opm.js";

interface Case {
  name: string;
  rule: string;
  field: string;
  twin: string;
  /** The schema of the blob the finding must point at (its document starts at the reported line). */
  at?: string;
}

const cases = JSON.parse(readFileSync(join(VALIDATE_CASES, "cases.json"), "utf8")) as Case[];

/** opm orders siblings of its error tree by Go map order: compare line sets. */
function lineSet(s: string): string[] {
  return s.split("\n").map((l) => l.replace(/^[│├└─\s]+/, "")).sort();
}

describe("validate: broken catalogs (table)", () => {
  it("has at least 30 cases", () => assert.ok(cases.length >= 30));

  for (const c of cases) {
    describe(c.name, () => {
      const bad = join(VALIDATE_CASES, "cases", c.name, "bad");
      it(`trips: ${c.rule}`, () => {
        const r = validateDir(bad);
        assert.equal(r.passed, false);
        assert.ok(r.message?.includes(c.rule), `got: ${r.message}`);
        const text = formatValidationText(r);
        assert.ok(text.includes(bad), `text names the file: ${text}`);
        if (c.field) assert.ok(text.includes(`field "${c.field}"`), `names field ${c.field}: ${text}`);
        else assert.match(text, /catalog\.yaml:\d+:\d+/, "a syntax error names line and column");
        if (c.at) {
          const m = /([^\s(]+\.yaml):(\d+):\d+/.exec(text);
          assert.ok(m, text);
          const lines = readFileSync(m[1]!, "utf8").split("\n");
          const from = Number(m[2]) - 1;
          const end = lines.findIndex((l, i) => i > from && l === "---");
          const doc = lines.slice(from, end === -1 ? undefined : end);
          assert.ok(doc.includes(`schema: ${c.at}`), `line ${m[2]} starts a ${c.at} blob:\n${doc.join("\n")}`);
        }
      });
      it("its unbroken twin passes", () => {
        const r = validateDir(join(VALIDATE_CASES, c.twin));
        assert.equal(r.passed, true, r.message);
      });
      it("gives opm's verdict and message", function () {
        requireOpm(this);
        const o = JSON.parse(runOpm(["validate", bad, "-o", "json"]).stdout) as { passed: boolean; error?: { message: string } };
        const r = validateDir(bad);
        assert.equal(r.passed, o.passed);
        if (c.name === "yaml-syntax-error") {
          // Different YAML parsers word syntax errors differently; the verdict and the prefix agree.
          assert.ok(o.error!.message.startsWith("error converting YAML to JSON"));
          return;
        }
        assert.deepEqual(lineSet(r.message!), lineSet(o.error!.message));
        assert.equal(runOpm(["validate", join(VALIDATE_CASES, c.twin)]).status, 0);
      });
    });
  }
});

describe("validate: real catalogs", () => {
  for (const dir of [CATALOG, PERCONA]) {
    it(`passes ${dir}`, () => {
      const r = validateDir(dir);
      assert.equal(r.passed, true, r.message);
      assert.equal(formatValidationJson(r), '{\n  "passed": true\n}\n');
    });
    it(`opm agrees on ${dir}`, function () {
      requireOpm(this);
      assert.equal(runOpm(["validate", dir]).status, 0);
    });
  }
});
