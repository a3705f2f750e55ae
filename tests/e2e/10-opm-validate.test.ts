/**
 * Differential: `opm validate` (v1.73, the real one) against our validateDir on every catalog and fixture
 * the repo has: same verdict, and for failures the same error tree (lines compared as a set: opm orders
 * siblings by Go map order).
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeInlineCatalog } from "../../src/e2e/catalog-dir.js";
import { validateDir } from "../../src/fbc/validate.js";
import { runOpm } from "../support/opm.js";
import { CATALOG, PERCONA, REPO, VALIDATE_CASES } from "../support/paths.js";
import { requireBinaries } from "./support.js";

const subdirs = (d: string) =>
  existsSync(d) ? readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory()).sort().map((n) => join(d, n)) : [];

/** Every directory opm can be pointed at: the catalog and each operator, the fixtures, each broken case. */
function validateTargets(inline: string): string[] {
  return [
    CATALOG,
    ...subdirs(CATALOG),
    inline,
    PERCONA,
    ...subdirs(PERCONA),
    join(VALIDATE_CASES, "good"),
    ...subdirs(join(VALIDATE_CASES, "cases")).map((c) => join(c, "bad")),
    ...subdirs(join(REPO, "tests", "fixtures")).filter((d) => existsSync(join(d, "catalog"))).map((d) => join(d, "catalog")),
  ].filter((d) => existsSync(d));
}

const lineSet = (s: string) => s.split("\n").map((l) => l.replace(/^[│├└─\s]+/, "")).filter(Boolean).sort();

describe("e2e: opm validate vs validateDir on every catalog and fixture", function () {
  let inlineDir = "";
  before(function () {
    requireBinaries(this, ["opm"]);
    inlineDir = mkdtempSync(join(tmpdir(), "e2e-inline-catalog-"));
    writeInlineCatalog(CATALOG, inlineDir);
  });
  after(() => inlineDir && rmSync(inlineDir, { recursive: true, force: true }));

  it("agrees on the verdict and the message of each", function () {
    const targets = validateTargets(inlineDir);
    assert.ok(targets.length >= 50, `only ${targets.length} targets`);
    const disagreements: string[] = [];
    let failing = 0;
    for (const dir of targets) {
      const o = JSON.parse(runOpm(["validate", dir, "-o", "json"]).stdout) as { passed: boolean; error?: { message: string } };
      const ours = validateDir(dir);
      if (!o.passed) failing++;
      if (o.passed !== ours.passed) {
        disagreements.push(`${dir}: opm ${o.passed ? "passes" : "fails"}, ours ${ours.passed ? "passes" : `fails: ${ours.message}`}`);
      } else if (!o.passed) {
        const theirs = o.error?.message ?? "";
        // YAML parsers word syntax errors differently: the prefix must agree
        const same = theirs.startsWith("error converting YAML to JSON")
          ? (ours.message ?? "").startsWith("error converting YAML to JSON")
          : JSON.stringify(lineSet(theirs)) === JSON.stringify(lineSet(ours.message ?? ""));
        if (!same) disagreements.push(`${dir}:\n  opm:  ${theirs}\n  ours: ${ours.message}`);
      }
    }
    console.log(`    (${targets.length} directories, ${failing} rejected by opm, ${disagreements.length} disagreements)`);
    assert.deepEqual(disagreements, []);
  });
});
