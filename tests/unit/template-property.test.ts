import { strict as assert } from "node:assert";
import fc from "fast-check";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { validateConfig } from "../../src/fbc/validate.js";
import { convertToModel, channelHead } from "../../src/fbc/model.js";
import { memorySource, templateText } from "../support/memory-source.js";
import type { Compat } from "../../src/template/semver/types.js";

const version = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 5 }), fc.option(fc.constantFrom("alpha", "beta.1", "rc.2"), { nil: undefined }))
  .map(([x, y, z, pre]) => `${x}.${y}.${z}${pre ? `-${pre}` : ""}`);
const versionSet = fc.uniqueArray(version, { maxLength: 12 });

const headers: Record<Compat, fc.Arbitrary<string>> = {
  current: fc
    .record({ major: fc.boolean(), minor: fc.boolean(), pref: fc.constantFrom("", "major", "minor") })
    .filter(({ major, minor, pref }) => pref === "" || (pref === "major" ? major : minor || (!major && !minor)))
    .map(({ major, minor, pref }) => `schema: olm.semver\ngenerateMajorChannels: ${major}\ngenerateMinorChannels: ${minor}\n${pref ? `defaultChannelTypePreference: ${pref}\n` : ""}`),
  veneer: fc
    .record({ major: fc.option(fc.boolean()), minor: fc.option(fc.boolean()), avoid: fc.boolean() })
    .map(({ major, minor, avoid }) => `Schema: olm.semver\n${major === null ? "" : `GenerateMajorChannels: ${major}\n`}${minor === null ? "" : `GenerateMinorChannels: ${minor}\n`}AvoidSkipPatch: ${avoid}\n`),
};

/** Walks the replaces chain from the head; a revisit is a cycle. */
function hasCycle(entries: { name: string; replaces?: string }[], head: string): boolean {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const seen = new Set<string>();
  for (let cur = byName.get(head); cur; cur = cur.replaces ? byName.get(cur.replaces) : undefined) {
    if (seen.has(cur.name)) return true;
    seen.add(cur.name);
  }
  return false;
}

for (const compat of ["current", "veneer"] as const) {
  describe(`semver template property (${compat} linking)`, () => {
    it("every generated catalog validates: one head per channel, no cycle, no stranded bundle", async () => {
      await fc.assert(
        fc.asyncProperty(headers[compat], versionSet, versionSet, versionSet, async (header, candidate, fast, stable) => {
          const all = [...new Set([...candidate, ...fast, ...stable])];
          fc.pre(all.length > 0);
          const lists = Object.fromEntries(Object.entries({ candidate, fast, stable }).filter(([, v]) => v.length));
          // veneer-era templates with minor explicitly off and major off generate nothing: opm errors out there too.
          const text = templateText("op", lists, header);
          const cfg = await renderSemverTemplateText(text, "veneer.yaml", memorySource("op", all), { compat });
          if (cfg.channels.length === 0) return;
          const r = validateConfig(cfg);
          assert.equal(r.passed, true, `${r.message}\n--- template:\n${text}`);
          const model = convertToModel(cfg);
          for (const ch of model.get("op")!.channels.values()) {
            const { head, error } = channelHead(ch);
            assert.ok(head, error);
            const entries = cfg.channels.find((c) => c.name === ch.name)!.entries;
            assert.equal(hasCycle(entries, head.name), false);
          }
          assert.ok(cfg.channels.some((c) => c.name === cfg.packages[0]!.defaultChannel));
        }),
        { numRuns: 1500 },
      );
    });
  });
}
