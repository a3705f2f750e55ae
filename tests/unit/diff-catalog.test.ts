/**
 * Catalog diffs between real historical states: the veneer-era fixture vs the committed catalog (new
 * cumulative skips edges, package description and icon), a synthetic later state committed in a temp git
 * repository (a bundle removed, a channel added, the default channel changed), and the repo's own history.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFbc } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import { diffCatalogs, diffMarkdown, diffText, loadCatalogState, type CatalogDiff, type PackageDiff } from "../../src/diff/index.js";
import { CATALOG, PERCONA, REPO } from "../support/paths.js";
import { cli } from "../support/cli.js";

const PSMDB = "percona-server-mongodb-operator";
const csv = (v: string): string => `${PSMDB}.v${v}`;
const pkgOf = (d: CatalogDiff, name: string): PackageDiff => d.packages.find((p) => p.package === name)!;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe("diff: veneer-era fixture → committed catalog", () => {
  const d = diffCatalogs(loadCatalogState(join(PERCONA, PSMDB)), loadCatalogState(join(CATALOG, PSMDB)));
  const p = pkgOf(d, PSMDB);

  it("psmdb: description and icon added, nothing else at package level", () => {
    assert.deepEqual(d.packages.map((x) => x.package), [PSMDB]);
    assert.equal(p.status, "changed");
    assert.equal(p.description?.from, undefined);
    assert.match(p.description!.to!, /^\s*## Percona is Cloud Native/);
    assert.deepEqual(p.icon, { to: "image/png, 35007 bytes" });
    assert.equal(p.defaultChannel, undefined);
    assert.deepEqual([p.channelsAdded, p.channelsRemoved, p.bundlesAdded, p.bundlesRemoved, p.bundlesMoved], [[], [], [], [], []]);
  });

  it("psmdb stable-v1: the four new skips edges, and the replaces edge OLM stops taking", () => {
    assert.deepEqual(p.channels.map((c) => c.channel), ["stable-v1"], "fast-v1 is unchanged");
    const c = p.channels[0]!;
    assert.equal(c.head, undefined, "the head stays v1.14.0");
    const edges = (xs: { from: string; to: string; kind: string }[]): string[] => xs.map((e) => `${e.from} ${e.kind} ${e.to}`).sort();
    assert.deepEqual(edges(c.edgesAdded), [
      `${csv("1")} skips ${csv("1.14.0")}`,
      `${csv("1.11.0")} skips ${csv("1.13.1")}`,
      `${csv("1.11.0")} skips ${csv("1.14.0")}`,
      `${csv("1.12.0")} skips ${csv("1.14.0")}`,
    ]);
    assert.deepEqual(c.edgesRemoved, []);
    assert.deepEqual(edges(c.edgesNoLongerTaken), [`${csv("1.11.0")} replaces ${csv("1.12.0")}`]);
  });

  it("the whole catalog: every package gains a description; only psmdb, pxc and victoriametrics gain edges; ack-rds, otel and prometheus are added", () => {
    const all = diffCatalogs(loadCatalogState(PERCONA), loadCatalogState(CATALOG));
    assert.equal(all.packages.length, 9);
    assert.ok(all.packages.every((x) => x.description?.to && x.description.from === undefined));
    assert.deepEqual(Object.fromEntries(all.packages.map((x) => [x.package, x.status])), {
      "ack-rds-controller": "added",
      "dbaas-operator": "changed",
      "everest-operator": "changed",
      "opentelemetry-operator": "added",
      "percona-postgresql-operator": "changed",
      [PSMDB]: "changed",
      "percona-xtradb-cluster-operator": "changed",
      prometheus: "added",
      "victoriametrics-operator": "changed",
    });
    const added = Object.fromEntries(all.packages.map((x) => [x.package, x.channels.reduce((n, c) => n + c.edgesAdded.length, 0)]));
    assert.deepEqual(added, {
      "ack-rds-controller": 0,
      "dbaas-operator": 0,
      "everest-operator": 0,
      "opentelemetry-operator": 0,
      "percona-postgresql-operator": 0,
      [PSMDB]: 4,
      "percona-xtradb-cluster-operator": 1,
      prometheus: 0,
      "victoriametrics-operator": 3,
    });
    // the new packages come whole: their channels (with heads) and bundles, nothing per channel
    const whole = (name: string) => {
      const x = pkgOf(all, name);
      return { channels: x.channels, channelsAdded: x.channelsAdded, bundlesAdded: x.bundlesAdded.map((b) => b.bundle) };
    };
    assert.deepEqual(whole("ack-rds-controller"), {
      channels: [],
      channelsAdded: [{ channel: "stable-v1", head: "ack-rds-controller.v1.11.1" }],
      bundlesAdded: ["ack-rds-controller.v1.11.0", "ack-rds-controller.v1.11.1"],
    });
    assert.deepEqual(whole("opentelemetry-operator"), {
      channels: [],
      channelsAdded: [
        { channel: "fast-v0", head: "opentelemetry-operator.v0.158.0" },
        { channel: "stable-v0", head: "opentelemetry-operator.v0.158.0" },
      ],
      bundlesAdded: ["opentelemetry-operator.v0.156.0", "opentelemetry-operator.v0.157.0", "opentelemetry-operator.v0.158.0"],
    });
    assert.deepEqual(whole("prometheus"), {
      channels: [],
      channelsAdded: [{ channel: "stable-v0", head: "prometheusoperator.0.56.3" }],
      bundlesAdded: ["prometheusoperator.0.47.0", "prometheusoperator.0.56.3"],
    });
    assert.deepEqual(pkgOf(all, "dbaas-operator").icon, { to: "empty (no data, no mediatype)" });
  });

  it("text and markdown name the changes", () => {
    const text = diffText(d);
    assert.match(text, /\+ v1\.12\.0 → v1\.14\.0 \(skips\)/);
    assert.match(text, /icon:\n {4}added: image\/png/);
    const md = diffMarkdown(d);
    assert.match(md, /\| `percona-server-mongodb-operator` \| changed \|  \|  \|  \| \+4 −0 \|/);
  });
});

describe("diff: git refs (synthetic later state in a temp repo)", function () {
  let repo = "";
  let d: CatalogDiff;

  before(() => {
    repo = mkdtempSync(join(tmpdir(), "diff-repo-"));
    const dir = join(repo, "catalog", PSMDB);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(CATALOG, PSMDB, "catalog.yaml"), join(dir, "catalog.yaml"));
    // Not catalog content: opm (and the ref loader) must skip it, or it fails to parse.
    writeFileSync(join(repo, "catalog", "NOTES.txt"), "not: [yaml\n");
    writeFileSync(join(repo, "catalog", ".indexignore"), "NOTES.txt\n");
    git(repo, "init", "-q");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "current");
    const cfg = loadFbc(dir);
    cfg.bundles = cfg.bundles.filter((b) => b.name !== csv("1.11.0"));
    const stable = cfg.channels.find((c) => c.name === "stable-v1")!;
    stable.entries = stable.entries
      .filter((e) => e.name !== csv("1.11.0"))
      .map((e) => {
        const { replaces, skips, ...rest } = e;
        const s = (skips ?? []).filter((x) => x !== csv("1.11.0"));
        return { ...rest, ...(replaces && replaces !== csv("1.11.0") ? { replaces } : {}), ...(s.length ? { skips: s } : {}) };
      });
    cfg.channels.push({ schema: "olm.channel", package: PSMDB, name: "candidate-v1", entries: [{ name: csv("1.14.0") }] });
    cfg.packages[0]!.defaultChannel = "fast-v1";
    writeFileSync(join(dir, "catalog.yaml"), writeFbc(cfg, "yaml"));
    git(repo, "commit", "-q", "-am", "drop 1.11.0, add candidate-v1");
    d = diffCatalogs(loadCatalogState("HEAD~1", repo), loadCatalogState("HEAD", repo));
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it("names the refs and finds the removed bundle, the added channel and the new default channel", () => {
    assert.equal(d.from, "HEAD~1:catalog");
    const p = pkgOf(d, PSMDB);
    assert.deepEqual(p.bundlesRemoved, [{ bundle: csv("1.11.0"), version: "1.11.0" }]);
    assert.deepEqual(p.bundlesAdded, []);
    assert.deepEqual(p.channelsAdded, [{ channel: "candidate-v1", head: csv("1.14.0") }]);
    assert.deepEqual(p.bundlesMoved, [{ bundle: csv("1.14.0"), addedTo: ["candidate-v1"], removedFrom: [] }]);
    assert.deepEqual(p.defaultChannel, { from: "stable-v1", to: "fast-v1" });
    assert.equal(p.description, undefined);
  });

  it("stable-v1 loses the bundle and its three edges, keeps its head", () => {
    const c = pkgOf(d, PSMDB).channels.find((x) => x.channel === "stable-v1")!;
    assert.deepEqual(c.bundlesRemoved, [csv("1.11.0")]);
    assert.equal(c.head, undefined);
    assert.deepEqual(c.edgesRemoved.map((e) => `${e.from} ${e.kind} ${e.to}`).sort(), [
      `${csv("1.11.0")} replaces ${csv("1.12.0")}`,
      `${csv("1.11.0")} skips ${csv("1.13.1")}`,
      `${csv("1.11.0")} skips ${csv("1.14.0")}`,
    ]);
    assert.deepEqual(c.edgesAdded, []);
  });

  it("through the CLI: markdown for a PR comment, json, and a clear error for a bad ref", () => {
    const md = cli(["diff", "HEAD~1", "HEAD", "--repo", repo, "-o", "markdown"]);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^### Catalog diff: HEAD~1:catalog → HEAD:catalog: 1 package \(1 changed\)/);
    assert.match(md.stdout, /\| `percona-server-mongodb-operator` \| changed \| stable-v1 → fast-v1 \| \+1 −0 \| \+0 −1 \| \+0 −3 \|/);
    const json = cli(["diff", "HEAD~1", "HEAD", "--repo", repo, "-o", "json"]);
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(JSON.stringify(d)));
    const bad = cli(["diff", "no-such-ref", "HEAD", "--repo", repo]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /no-such-ref/);
  });
});

describe("diff: the repo's own history", function () {
  const git = (...args: string[]): string => spawnSync("git", args, { cwd: REPO, encoding: "utf8" }).stdout.trim();
  /** The commit that added `path` (found by path, so rewritten history does not break the test). */
  const adding = (path: string): string => git("log", "--diff-filter=A", "--format=%H", "--", path).split("\n").pop() ?? "";
  /** The operator folders of catalog/ at `ref`, read with git itself (not with our loader). */
  const operatorsAt = (ref: string): string[] => git("ls-tree", "-d", "--name-only", `${ref}:catalog`).split("\n").filter(Boolean);

  before(function () {
    if (git("rev-parse", "--is-shallow-repository") === "true") {
      console.log("    (skipped: a shallow clone has not got the commits these tests compare)");
      this.skip();
    }
  });

  it("the commit that added categories.yaml changed no catalog content (.indexignore applies at refs)", () => {
    const c = adding("catalog/categories.yaml");
    assert.ok(c, "the commit that added catalog/categories.yaml");
    const d = diffCatalogs(loadCatalogState(`${c}~1`, REPO), loadCatalogState(c, REPO));
    assert.deepEqual(d.packages, []);
    assert.match(diffText(d), /no changes/);
  });

  it("the commit that added the AWS, tracing and monitoring operators: exactly the folders git says it added", () => {
    const c = adding("catalog/ack-rds-controller/catalog.yaml");
    assert.ok(c, "the commit that added catalog/ack-rds-controller");
    const before = operatorsAt(`${c}~1`);
    const added = operatorsAt(c).filter((op) => !before.includes(op));
    assert.deepEqual(added, ["ack-rds-controller", "opentelemetry-operator", "prometheus"]);
    const d = diffCatalogs(loadCatalogState(`${c}~1`, REPO), loadCatalogState(c, REPO));
    assert.deepEqual(d.packages.map((p) => [p.package, p.status]), added.map((op) => [op, "added"]));
    const otel = d.packages.find((p) => p.package === "opentelemetry-operator")!;
    assert.deepEqual(otel.bundlesAdded.map((b) => b.version), ["0.156.0", "0.157.0", "0.158.0"]);
  });
});
