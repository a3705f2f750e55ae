/** The catalog pictures without a browser: Mermaid sources, the site's data and pages, atomic writing. */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFbc } from "../../src/fbc/load.js";
import { convertToModel } from "../../src/fbc/model.js";
import { readCategoryOverrides } from "../../src/catalog/categories.js";
import { channelMermaid, chartsMarkdown, packageCharts, siteData, sitePages, writeSite, MERMAID_ASSET } from "../../src/report/index.js";
import { CATALOG, PERCONA } from "../support/paths.js";
import { cli } from "../support/cli.js";
import { synthModel } from "./plan-synthetic.test.js";

const PSMDB = "percona-server-mongodb-operator";

describe("report: Mermaid upgrade graphs", () => {
  const model = convertToModel(loadFbc(CATALOG));

  it("psmdb stable-v1: head highlighted, replaces solid, skips dotted, the untaken edge grey", () => {
    const m = channelMermaid(model, PSMDB, "stable-v1");
    const lines = m.split("\n").map((l) => l.trim());
    assert.equal(lines[0], "flowchart LR");
    assert.ok(lines.includes('n4["v1.14.0"]:::head'), m);
    assert.ok(lines.includes('n2["v1 (1.13.0)"]:::pruned'), "the skipped v1 CSV is greyed, labelled with its version");
    assert.ok(lines.includes('n3["v1.13.1"]'), "v1.13.1 is an upgrade target");
    assert.ok(lines.includes("n3 -->|replaces| n4"));
    assert.ok(lines.includes("n1 -.->|skips| n4"));
    // n0 -->|replaces| n1 (1.11.0 → 1.12.0) is declared but 1.12.0 is skipped: OLM never takes it.
    assert.equal(lines.filter((l) => l.includes("-->") || l.includes("-.->")).length, 8);
    assert.ok(lines.includes("linkStyle 0 stroke:#bdbdbd,color:#9e9e9e"), m);
    assert.ok(lines.indexOf("n0 -->|replaces| n1") > lines.indexOf('n4["v1.14.0"]:::head'));
  });

  it("veneer-era psmdb: a replaces chain, the skipped v1 CSV joins at v1.13.1", () => {
    const m = channelMermaid(convertToModel(loadFbc(PERCONA)), PSMDB, "stable-v1");
    assert.match(m, /n2 -\.->\|skips\| n3\n/);
    assert.doesNotMatch(m, /linkStyle/, "every declared edge is taken");
  });

  it("skipRange edges are thick, and a range matching no entry gets its own node", () => {
    const m = synthModel("op", {
      stable: [{ v: "1.0.0" }, { v: "1.0.1", replaces: "1.0.0" }, { v: "1.1.0", replaces: "1.0.1", skipRange: ">=1.0.0 <1.1.0" }],
      fast: [{ v: "2.0.0", skipRange: ">=1.0.0 <2.0.0" }],
    });
    const stable = channelMermaid(m, "op", "stable");
    assert.match(stable, /n0 ==>\|skipRange\| n2/);
    assert.match(stable, /n1 -->\|replaces, skipRange\| n2/);
    const fast = channelMermaid(m, "op", "fast");
    assert.match(fast, /rn0\{\{"#gt;=1\.0\.0 #lt;2\.0\.0"\}\}:::external/);
    assert.match(fast, /rn0 ==>\|skipRange\| n0/);
  });

  it("a CSV outside the channel named by replaces/skips gets one dashed node", () => {
    const m = synthModel("op", {
      stable: [{ v: "1.0.0" }],
      fast: [{ v: "1.1.0", replaces: "1.0.0", skips: ["1.0.0"] }, { v: "1.2.0", replaces: "1.1.0", skips: ["1.0.0"] }],
    });
    const fast = channelMermaid(m, "op", "fast");
    assert.equal(fast.match(/\["v1\.0\.0"\]:::external/g)?.length, 1, fast);
    assert.match(fast, /n2 -->\|replaces, skips\| n0\n/);
    assert.match(fast, /n2 -\.->\|skips\| n1\n/);
  });

  it("default channel first; graph CLI prints titled charts; markdown fences them", () => {
    assert.deepEqual(packageCharts(model, PSMDB).map((c) => [c.channel, c.isDefault]), [["stable-v1", true], ["fast-v1", false]]);
    const r = cli(["graph", PSMDB, "--channel", "fast-v1"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `---\ntitle: ${PSMDB} fast-v1\n---\n${channelMermaid(model, PSMDB, "fast-v1")}`);
    const md = chartsMarkdown(PSMDB, packageCharts(model, PSMDB));
    assert.equal(md.match(/```mermaid\nflowchart LR\n/g)?.length, 2);
    assert.match(md, /^### percona-server-mongodb-operator `stable-v1` \(default\), head `percona-server-mongodb-operator\.v1\.14\.0`\n/);
  });
});

describe("report: site data and pages", () => {
  const site = siteData(loadFbc(CATALOG), readCategoryOverrides(CATALOG));

  it("groups packages by the CSV categories annotation (categories.yaml filling in)", () => {
    assert.deepEqual(Object.fromEntries(site.categories), {
      "Cloud Provider": ["ack-rds-controller"],
      Database: ["dbaas-operator", "everest-operator", "percona-postgresql-operator", PSMDB, "percona-xtradb-cluster-operator"],
      "Logging & Tracing": ["opentelemetry-operator"],
      Monitoring: ["opentelemetry-operator", "prometheus", "victoriametrics-operator"],
      Observability: ["opentelemetry-operator"],
    });
  });

  it("a package page carries channels, head, CRDs owned and install modes", () => {
    const p = site.packages.find((x) => x.name === PSMDB)!;
    assert.equal(p.headVersion, "1.14.0");
    assert.deepEqual(p.channelViews.map((c) => [c.channel, c.headVersion, c.entries.length]), [["stable-v1", "1.14.0", 5], ["fast-v1", "1.14.0", 2]]);
    assert.deepEqual(p.channelViews[0]!.entries.map((e) => [e.version, e.upgradeTarget]), [["1.14.0", true], ["1.13.1", true], ["1.13.0", false], ["1.12.0", false], ["1.11.0", false]]);
    assert.deepEqual(p.head!.crds.map((c) => c.kind), ["PerconaServerMongoDBBackup", "PerconaServerMongoDBRestore", "PerconaServerMongoDB"]);
    assert.deepEqual(p.head!.installModes, ["OwnNamespace", "SingleNamespace"]);
    assert.match(p.icon!, /^data:image\/png;base64,/);
    const html = sitePages(site).get(`packages/${PSMDB}.html`)!;
    assert.equal(html.match(/<pre class="mermaid">/g)?.length, 2);
    assert.match(html, /n0 --&gt;\|replaces\| n1/, "Mermaid source is HTML-escaped (the browser decodes it)");
    assert.match(html, /<script src="\.\.\/assets\/mermaid\.min\.js"><\/script>/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, "no network reference");
  });

  it("the index links every package page", () => {
    const pages = sitePages(site);
    assert.equal(pages.size, 10);
    const index = pages.get("index.html")!;
    for (const p of site.packages) assert.ok(index.includes(`href="packages/${p.name}.html"`), p.name);
  });
});

describe("report: atomic writing", () => {
  let dir = "";
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "report-write-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a previous site whole, leaving no temp folder", () => {
    const out = join(dir, "site");
    writeSite(out, new Map([["index.html", "old"], ["stale.html", "x"]]));
    writeSite(out, new Map([["index.html", "new"]]));
    assert.equal(readFileSync(join(out, "index.html"), "utf8"), "new");
    assert.equal(existsSync(join(out, "stale.html")), false);
    assert.ok(readFileSync(join(out, MERMAID_ASSET), "utf8").length > 1_000_000, "bundles mermaid's browser build");
    assert.deepEqual(readdirSync(dir), ["site"]);
  });

  it("a failed write leaves the previous site byte-identical", () => {
    const out = join(dir, "site");
    writeSite(out, new Map([["index.html", "old"]]));
    assert.throws(() => writeSite(out, new Map([["index.html", "new"]]), join(dir, "missing-mermaid.js")), /ENOENT/);
    assert.equal(readFileSync(join(out, "index.html"), "utf8"), "old");
    assert.deepEqual(readdirSync(dir), ["site"]);
  });

  it("report CLI writes the site; a catalog that fails to load leaves the old one", () => {
    const out = join(dir, "site");
    const r = cli(["report", CATALOG, "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(join(out, "packages")).sort(), [
      "ack-rds-controller.html",
      "dbaas-operator.html",
      "everest-operator.html",
      "opentelemetry-operator.html",
      "percona-postgresql-operator.html",
      "percona-server-mongodb-operator.html",
      "percona-xtradb-cluster-operator.html",
      "prometheus.html",
      "victoriametrics-operator.html",
    ]);
    const before = readFileSync(join(out, "index.html"), "utf8");
    writeFileSync(join(dir, "bad.yaml"), "schema: olm.package\nname: [\n");
    assert.equal(cli(["report", join(dir, "bad.yaml"), "--out", out]).status, 1);
    assert.equal(readFileSync(join(out, "index.html"), "utf8"), before);
  });
});
