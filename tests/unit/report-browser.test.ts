/**
 * The static report opened in headless Chromium (Debian's, via playwright-core): every page loads from
 * file:// with no network request and no console error, every Mermaid graph renders to a non-empty SVG,
 * and every page is screenshotted (PNGs under a temp dir, or $REPORT_SCREENSHOTS_DIR to keep them).
 * Skips, saying why, when chromium is not installed.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { loadFbc } from "../../src/fbc/load.js";
import { readCategoryOverrides } from "../../src/catalog/categories.js";
import { siteData, sitePages, writeSite } from "../../src/report/index.js";
import { CATALOG } from "../support/paths.js";
import { chromiumMissing, launchChromium, type Browser } from "../support/chromium.js";
import { unavailable } from "../support/unavailable.js";

interface SvgInfo {
  nodes: number;
  edges: number;
  width: number;
  height: number;
}

interface PageResult {
  state: string | null;
  sources: number;
  svgs: SvgInfo[];
}

/** Runs in the page: what Mermaid made of each `pre.mermaid` (a string, since tsc has no DOM lib here). */
const INSPECT = `(() => ({
  state: document.body.dataset.mermaid ?? null,
  sources: document.querySelectorAll("pre.mermaid").length,
  svgs: [...document.querySelectorAll("pre.mermaid svg")].map((s) => {
    const box = s.getBoundingClientRect();
    return { nodes: s.querySelectorAll("g.node").length, edges: s.querySelectorAll("path.flowchart-link, .edgePaths path").length, width: box.width, height: box.height };
  }),
}))()`;

describe("report: the site in headless Chromium", function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let work = "";
  let shots = "";
  const site = siteData(loadFbc(CATALOG), readCategoryOverrides(CATALOG));
  const pages = sitePages(site);

  before(async function () {
    const why = chromiumMissing();
    if (why) {
      unavailable(this, "Chromium", `${why}; run \`bash scripts/setup-chromium.sh\``);
    }
    work = mkdtempSync(join(tmpdir(), "report-browser-"));
    shots = process.env["REPORT_SCREENSHOTS_DIR"] ?? join(work, "screenshots");
    mkdirSync(shots, { recursive: true });
    writeSite(join(work, "site"), pages);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function open(path: string): Promise<{ page: Page; errors: string[]; remote: string[] }> {
    const page = await browser!.context.newPage();
    const errors: string[] = [];
    const remote: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (!/^(file|data):/.test(r.url())) remote.push(r.url());
    });
    await page.goto(pathToFileURL(join(work, "site", path)).href, { waitUntil: "load" });
    return { page, errors, remote };
  }

  for (const path of pages.keys()) {
    it(`${path}: loads offline, renders its graphs, no console error; screenshot`, async () => {
      const { page, errors, remote } = await open(path);
      const isPackage = path.startsWith("packages/");
      if (isPackage) await page.waitForSelector("body[data-mermaid]", { timeout: 60_000 });
      const r = (await page.evaluate(INSPECT)) as PageResult;
      const png = join(shots, path.replace(/\//g, "_").replace(/\.html$/, ".png"));
      await page.screenshot({ path: png, fullPage: true });
      await page.close();
      assert.deepEqual(errors, [], "console errors");
      assert.deepEqual(remote, [], "network requests");
      if (isPackage) {
        const pkg = site.packages.find((p) => `packages/${p.name}.html` === path)!;
        assert.equal(r.state, "done", "mermaid.run resolved");
        assert.equal(r.sources, pkg.channelViews.length, "one graph per channel");
        assert.equal(r.svgs.length, r.sources, "every graph became an SVG");
        r.svgs.forEach((s, i) => {
          const entries = pkg.channelViews[i]!.entries.length;
          assert.ok(s.nodes >= entries, `graph ${i}: ${s.nodes} nodes for ${entries} entries`);
          assert.ok(s.width > 50 && s.height > 20, `graph ${i}: ${s.width}x${s.height}`);
        });
      } else {
        assert.equal(r.sources, 0);
      }
      const bytes = readFileSync(png);
      assert.equal(bytes.subarray(1, 4).toString("latin1"), "PNG");
      assert.ok(bytes.length > 10_000, `${png}: ${bytes.length} bytes`);
    });
  }

  it("psmdb's stable-v1 graph has its 5 entries and 8 edges", async () => {
    const { page } = await open("packages/percona-server-mongodb-operator.html");
    await page.waitForSelector("body[data-mermaid]", { timeout: 60_000 });
    const r = (await page.evaluate(INSPECT)) as PageResult;
    await page.close();
    assert.deepEqual([r.svgs[0]!.nodes, r.svgs[0]!.edges], [5, 8]);
    assert.deepEqual([r.svgs[1]!.nodes, r.svgs[1]!.edges], [2, 1]);
  });
});
