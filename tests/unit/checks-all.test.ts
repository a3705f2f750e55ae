import { strict as assert } from "node:assert";
import { performance } from "node:perf_hooks";
import { cli } from "../support/cli.js";

describe("checks: `check all` on the real catalog", function () {
  this.timeout(120_000);

  it("passes every layer (owners, sanity, integration against HEAD, interoperability) in under 30 s", () => {
    const t = performance.now();
    const r = cli(["check", "all", "--base", "HEAD", "--author", "dbaas-catalog-maintainers", "-o", "json"]);
    const seconds = (performance.now() - t) / 1000;
    console.log(`      check all: ${seconds.toFixed(2)} s wall (CLI process included); ${r.stderr.trim()}`);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { passed: boolean; findings: { layer: string; severity: string; rule: string }[] };
    assert.equal(out.passed, true);
    assert.deepEqual([...new Set(out.findings.map((f) => f.layer))], ["owners", "sanity", "integration", "interoperability"]);
    assert.deepEqual(out.findings.filter((f) => f.severity === "error"), []);
    assert.match(r.stderr, /^timings: owners [\d.]+s, load [\d.]+s, sanity [\d.]+s, integration [\d.]+s, interoperability [\d.]+s, total [\d.]+s\n$/);
    assert.ok(seconds < 30, `check all took ${seconds.toFixed(1)} s`);
  });
});
