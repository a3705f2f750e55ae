import { strict as assert } from "node:assert";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { UserError } from "../../src/util/errors.js";
import { memorySource, templateText } from "../support/memory-source.js";
import type { Compat } from "../../src/template/semver/types.js";

interface Case {
  name: string;
  text: string;
  rule: string;
  /** Line of the template the error must point at. */
  line: number;
  twin: string;
  compat?: Compat;
  versions?: string[];
  names?: Record<string, string>;
  packages?: Record<string, string>;
}

const H = "schema: olm.semver\n";
const t = (lists: Parameters<typeof templateText>[1], header = H) => templateText("op", lists, header);

// Expected texts are opm v1.73's (alpha/template/semver/semver.go) and v1.26.4's for the veneer era.
const cases: Case[] = [
  { name: "unknown key", text: H + "Stabel:\n  bundles: []\n", rule: 'render: unable to read file: error unmarshaling JSON: while decoding JSON: json: unknown field "Stabel"', line: 2, twin: t({ stable: ["1.0.0"] }) },
  { name: "unknown nested key", text: t({ stable: ["1.0.0"] }).replace("- image:", "- imag:"), rule: 'json: unknown field "imag"', line: 4, twin: t({ stable: ["1.0.0"] }) },
  { name: "wrong schema", text: t({ stable: ["1.0.0"] }, "schema: olm.template.basic\n"), rule: 'render: unable to read file: readFile: input file has unknown schema, should be "olm.semver"', line: 1, twin: t({ stable: ["1.0.0"] }) },
  { name: "missing schema", text: t({ stable: ["1.0.0"] }, "generateMajorChannels: true\n"), rule: "input file has unknown schema", line: 1, twin: t({ stable: ["1.0.0"] }, H + "generateMajorChannels: true\n") },
  { name: "quoted boolean", text: t({ stable: ["1.0.0"] }, H + 'generateMajorChannels: "true"\n'), rule: "json: cannot unmarshal string into Go struct field SemverTemplateData.generateMajorChannels of type bool", line: 2, twin: t({ stable: ["1.0.0"] }, H + "generateMajorChannels: true\n") },
  { name: "bundles not a list", text: H + "stable:\n  bundles: quay.io/test/op:v1.0.0\n", rule: "json: cannot unmarshal string into Go struct field SemverTemplateData.stable.bundles", line: 3, twin: t({ stable: ["1.0.0"] }) },
  { name: "minor preference without minor channels", text: t({ stable: ["1.0.0"] }, H + "generateMajorChannels: true\ngenerateMinorChannels: false\ndefaultChannelTypePreference: minor\n"), rule: "schema attribute mismatch: DefaultChannelTypePreference set to 'minor' doesn't make sense if not generating minor-version channels", line: 1, twin: t({ stable: ["1.0.0"] }, H + "generateMajorChannels: true\ndefaultChannelTypePreference: major\n") },
  { name: "major preference without major channels", text: t({ stable: ["1.0.0"] }, H + "defaultChannelTypePreference: major\n"), rule: "DefaultChannelTypePreference set to 'major' doesn't make sense if not generating major-version channels", line: 1, twin: t({ stable: ["1.0.0"] }, H + "defaultChannelTypePreference: minor\n") },
  { name: "unknown preference", text: t({ stable: ["1.0.0"] }, H + "defaultChannelTypePreference: patch\n"), rule: 'unknown DefaultChannelTypePreference: "patch"', line: 1, twin: t({ stable: ["1.0.0"] }) },
  { name: "no bundles", text: H + "stable:\n  bundles: []\n", rule: "render: no bundles specified or no bundles could be rendered", line: 1, twin: t({ stable: ["1.0.0"] }) },
  { name: "mixed packages", text: t({ stable: ["1.0.0", "1.1.0"] }), packages: { "1.1.0": "other" }, rule: 'render: unable to post-process bundle info: bundle "other" does not belong to this package: "op"', line: 5, twin: t({ stable: ["1.0.0"] }) },
  { name: "same image twice in one archetype", text: t({ stable: ["1.0.0", "1.0.0"] }), rule: 'duplicate bundle name "op.v1.0.0"', line: 5, twin: t({ stable: ["1.0.0"], fast: ["1.0.0"] }) },
  { name: "versions differing only by build metadata", text: t({ stable: ["1.0.0+a", "1.0.0+b"] }), rule: "encountered bundle versions which differ only by build metadata, which cannot be ordered: bundle version \"1.0.0+b\" cannot be compared to \"1.0.0\"", line: 4, twin: t({ stable: ["1.0.0+a"], fast: ["1.0.0+b"] }) },
  { name: "bundle with an invalid version", text: t({ stable: ["1.0"] }), rule: 'render: unable to post-process bundle info: bundle "op.v1.0" has invalid version "1.0": No Major.Minor.Patch elements found', line: 4, twin: t({ stable: ["1.0.0"] }), versions: ["1.0", "1.0.0"] },
  { name: "image that cannot be rendered", text: t({ stable: ["1.0.0", "9.9.9"] }), versions: ["1.0.0"], rule: 'render bundle "quay.io/test/op:v9.9.9": manifest unknown', line: 5, twin: t({ stable: ["1.0.0"] }) },
  { name: "veneer era: no bundles", compat: "veneer", text: "Schema: olm.semver\n", rule: "semver-render: no bundles specified or no bundles could be rendered", line: 1, twin: t({ stable: ["1.0.0"] }, "Schema: olm.semver\n") },
  { name: "veneer era: unknown key", compat: "veneer", text: t({ stable: ["1.0.0"] }, "Schema: olm.semver\nDefaultChannelTypePreference: minor\n"), rule: 'semver-render: unable to read file: error unmarshaling JSON: while decoding JSON: json: unknown field "DefaultChannelTypePreference"', line: 2, twin: t({ stable: ["1.0.0"] }, "Schema: olm.semver\nAvoidSkipPatch: true\n") },
  { name: "YAML syntax error", text: H + "stable: [unclosed\n", rule: "error converting YAML to JSON", line: 3, twin: t({ stable: ["1.0.0"] }) },
];

function source(c: Case) {
  const versions = c.versions ?? ["1.0.0", "1.1.0", "1.0.0+a", "1.0.0+b"];
  return memorySource("op", versions, c.names, c.packages);
}

describe("semver template: broken templates (table)", () => {
  for (const c of cases) {
    describe(c.name, () => {
      it(`fails with: ${c.rule}`, async () => {
        await assert.rejects(renderSemverTemplateText(c.text, "catalog/op/veneer.yaml", source(c), { compat: c.compat }), (e: unknown) => {
          assert.ok(e instanceof UserError, String(e));
          assert.ok(e.message.includes(c.rule), `got: ${e.message}`);
          assert.equal(e.origin?.file, "catalog/op/veneer.yaml");
          assert.equal(e.origin?.line, c.line, `line of: ${e.message}`);
          return true;
        });
      });
      it("its unbroken twin renders", async () => {
        const cfg = await renderSemverTemplateText(c.twin, "catalog/op/veneer.yaml", source(c), { compat: c.compat });
        assert.ok(cfg.bundles.length > 0);
      });
    });
  }
});
