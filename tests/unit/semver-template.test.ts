import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { FbcBundleSource } from "../../src/bundle/fbc-source.js";
import { loadFbc } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import type { Channel, DeclarativeConfig } from "../../src/fbc/types.js";
import { CATALOG, OPERATORS, PERCONA } from "../support/paths.js";
import { memorySource, templateText } from "../support/memory-source.js";

/** Compact channel form used by the spec's worked examples: `name r=x s=[a, b]`. */
function show(ch: Channel): string[] {
  return ch.entries.map((e) => {
    const n = e.name.replace("op.v", "");
    const r = e.replaces ? ` r=${e.replaces.replace("op.v", "")}` : "";
    const s = e.skips ? ` s=[${e.skips.map((x) => x.replace("op.v", "")).join(", ")}]` : "";
    return n + r + s;
  });
}

function channels(cfg: DeclarativeConfig): Record<string, string[]> {
  return Object.fromEntries(cfg.channels.map((c) => [c.name, show(c)]));
}

const STABLE = ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "2.0.0"];
const FAST = ["1.2.1", "2.0.0", "2.0.1"];
const ALL = [...new Set([...STABLE, ...FAST])];

async function render(header: string, lists: Parameters<typeof templateText>[1], compat: "current" | "veneer" = "current") {
  const versions = [...new Set(Object.values(lists).flat())];
  return renderSemverTemplateText(templateText("op", lists, header), "veneer.yaml", memorySource("op", versions), { compat });
}

describe("semver template: golden over the six real operators (--compat veneer)", () => {
  for (const op of OPERATORS) {
    it(`${op}: reproduces the fixture catalog.yaml (parsed data and bytes)`, async () => {
      const fixture = join(PERCONA, op, "catalog.yaml");
      const cfg = await renderSemverTemplateText(readFileSync(join(PERCONA, op, "veneer.yaml"), "utf8"), "veneer.yaml", new FbcBundleSource(fixture), {
        compat: "veneer",
      });
      const want = loadFbc(fixture);
      assert.deepEqual(
        cfg.packages.map((p) => [p.name, p.defaultChannel]),
        want.packages.map((p) => [p.name, p.defaultChannel]),
      );
      const strip = (c: Channel) => ({ name: c.name, package: c.package, entries: c.entries });
      assert.deepEqual(cfg.channels.map(strip), want.channels.map(strip));
      assert.deepEqual(
        cfg.bundles.map((b) => b.name).sort(),
        want.bundles.map((b) => b.name).sort(),
      );
      assert.equal(writeFbc(cfg, "yaml"), readFileSync(fixture, "utf8"));
    });
  }

  for (const op of OPERATORS) {
    it(`${op}: the committed catalog/ equals its veneer rendered with current linking`, async () => {
      const cfg = await renderSemverTemplateText(
        readFileSync(join(CATALOG, op, "veneer.yaml"), "utf8"),
        "veneer.yaml",
        new FbcBundleSource(join(PERCONA, op, "catalog.yaml")),
      );
      assert.equal(writeFbc(cfg, "yaml"), readFileSync(join(CATALOG, op, "catalog.yaml"), "utf8"));
    });
  }
});

describe("semver template: the spec's worked example (§4.4)", () => {
  const major = "schema: olm.semver\ngenerateMajorChannels: true\n";
  it("major channels, current linking (era D)", async () => {
    const cfg = await render(major, { stable: STABLE, fast: FAST });
    assert.equal(cfg.packages[0]!.defaultChannel, "stable-v2");
    assert.deepEqual(channels(cfg), {
      "fast-v1": ["1.2.1"],
      "fast-v2": ["2.0.0", "2.0.1 s=[2.0.0]"],
      "stable-v1": ["1.0.0", "1.0.1 s=[1.0.0]", "1.1.0 r=1.0.1 s=[1.0.0]", "1.2.0", "1.2.1 r=1.1.0 s=[1.0.0, 1.0.1, 1.2.0]"],
      "stable-v2": ["2.0.0"],
    });
  });
  it("major channels, veneer linking (era A)", async () => {
    const cfg = await render("Schema: olm.semver\nGenerateMajorChannels: true\nGenerateMinorChannels: false\n", { stable: STABLE, fast: FAST }, "veneer");
    assert.equal(cfg.packages[0]!.defaultChannel, "stable-v2");
    assert.deepEqual(channels(cfg), {
      "fast-v1": ["1.2.1"],
      "fast-v2": ["2.0.0", "2.0.1 s=[2.0.0]"],
      "stable-v1": ["1.0.0", "1.0.1 s=[1.0.0]", "1.1.0 r=1.0.1", "1.2.0", "1.2.1 r=1.1.0 s=[1.2.0]"],
      "stable-v2": ["2.0.0"],
    });
  });
  it("minor channels (neither flag set), current linking", async () => {
    const cfg = await render("schema: olm.semver\n", { stable: STABLE, fast: FAST });
    assert.equal(cfg.packages[0]!.defaultChannel, "stable-v2.0");
    assert.deepEqual(channels(cfg), {
      "fast-v1.2": ["1.2.1"],
      "fast-v2.0": ["2.0.0", "2.0.1 s=[2.0.0]"],
      "stable-v1.0": ["1.0.0", "1.0.1 s=[1.0.0]"],
      "stable-v1.1": ["1.1.0 r=1.0.1 s=[1.0.0]"],
      "stable-v1.2": ["1.2.0", "1.2.1 r=1.1.0 s=[1.0.0, 1.0.1, 1.2.0]"],
      "stable-v2.0": ["2.0.0"],
    });
  });
  it("minor channels, veneer linking: no cross-channel replaces", async () => {
    const cfg = await render("schema: olm.semver\n", { stable: STABLE, fast: FAST }, "veneer");
    assert.deepEqual(channels(cfg)["stable-v1.1"], ["1.1.0"]);
    assert.deepEqual(channels(cfg)["stable-v1.2"], ["1.2.0", "1.2.1 s=[1.2.0]"]);
  });
  it("veneer era: GenerateMajorChannels alone also generates minor channels; default is the major one", async () => {
    const cfg = await render("Schema: olm.semver\nGenerateMajorChannels: true\n", { stable: ["1.0.0", "1.1.0"] }, "veneer");
    assert.deepEqual(cfg.channels.map((c) => c.name), ["stable-v1", "stable-v1.0", "stable-v1.1"]);
    assert.equal(cfg.packages[0]!.defaultChannel, "stable-v1");
  });
  it("avoidSkipPatch (veneer era) makes a plain replaces chain", async () => {
    const cfg = await render("Schema: olm.semver\nGenerateMajorChannels: true\nGenerateMinorChannels: false\nAvoidSkipPatch: true\n", { stable: STABLE }, "veneer");
    assert.deepEqual(channels(cfg)["stable-v1"], ["1.0.0", "1.0.1 r=1.0.0", "1.1.0 r=1.0.1", "1.2.0 r=1.1.0", "1.2.1 r=1.2.0"]);
  });
});

describe("semver template: default channel (§3)", () => {
  const both = (pref: string) => `schema: olm.semver\ngenerateMajorChannels: true\ngenerateMinorChannels: true\ndefaultChannelTypePreference: ${pref}\n`;
  it("the preference only breaks exact ties: {1.0.0, 1.1.0} pref major → stable-v1.1", async () => {
    const cfg = await render(both("major"), { stable: ["1.0.0", "1.1.0"] });
    assert.equal(cfg.packages[0]!.defaultChannel, "stable-v1.1");
  });
  it("{1.1.0, 1.1.1}: pref major → stable-v1, pref minor → stable-v1.1", async () => {
    assert.equal((await render(both("major"), { stable: ["1.1.0", "1.1.1"] })).packages[0]!.defaultChannel, "stable-v1");
    assert.equal((await render(both("minor"), { stable: ["1.1.0", "1.1.1"] })).packages[0]!.defaultChannel, "stable-v1.1");
  });
  it("the most stable non-empty archetype wins over a higher version", async () => {
    const cfg = await render("schema: olm.semver\ngenerateMajorChannels: true\n", { candidate: ["2.0.1"], fast: ["2.0.0"], stable: ["1.0.0"] });
    assert.equal(cfg.packages[0]!.defaultChannel, "stable-v1");
  });
  it("prereleases join their Y-group and the release heads it", async () => {
    const vs = ["1.3.0", "1.3.1-alpha", "1.3.1-beta", "1.3.1"];
    const cfg = await render("schema: olm.semver\ngenerateMajorChannels: true\n", { stable: vs });
    assert.deepEqual(channels(cfg)["stable-v1"], ["1.3.0", "1.3.1-alpha", "1.3.1-beta", "1.3.1 s=[1.3.0, 1.3.1-alpha, 1.3.1-beta]"]);
  });
});

describe("semver template: key spelling", () => {
  it("accepts capitalized and lower-camel keys alike", async () => {
    const a = await render("Schema: olm.semver\nGenerateMajorChannels: true\n", { stable: STABLE });
    const text = templateText("op", { stable: STABLE }, "schema: olm.semver\ngeneratemajorchannels: yes\n").replace("stable:", "STABLE:").replace(/ {2}bundles:/, "  Bundles:");
    const b = await renderSemverTemplateText(text, "veneer.yaml", memorySource("op", ALL));
    assert.deepEqual(b.channels, a.channels);
  });
});
