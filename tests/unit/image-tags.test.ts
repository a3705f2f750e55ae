import { strict as assert } from "node:assert";
import { imageReferencesFor, tagsFor } from "../../src/image/tags.js";

describe("image tags: tagsFor(ref, {testsPassed})", () => {
  const cases: [string, boolean, string, string[]][] = [
    ["main", false, "", ["main"]],
    ["refs/heads/main", true, "", ["main", "latest"]],
    ["v1.2.3", false, "", ["v1.2.3", "1.2"]],
    ["refs/tags/v10.0.7", true, "", ["v10.0.7", "10.0"]],
    ["v1.2.3-rc.1", true, "", ["v1.2.3-rc.1"]],
    ["platformx", false, "-platformx", ["main"]],
    ["refs/heads/platform-aws", true, "-platform-aws", ["main"]],
    ["platformx/v2.0.1", false, "-platformx", ["v2.0.1", "latest"]],
    ["refs/tags/platformx/v2.0.1-beta.1", true, "-platformx", ["v2.0.1-beta.1"]],
  ];
  for (const [ref, testsPassed, suffix, tags] of cases) {
    it(`${ref}${testsPassed ? " (tests passed)" : ""} → repo${suffix} :${tags.join(" :")}`, () => {
      const plan = tagsFor(ref, { testsPassed });
      assert.equal(plan.repoSuffix, suffix);
      assert.deepEqual(plan.tags, tags);
    });
  }

  for (const ref of ["feature/x", "v1.2", "1.2.3", "V1.2.3", "mainline", "platformx/feature", "refs/pull/12/merge", "v01.2.3"]) {
    it(`${ref} is not published`, () => {
      assert.deepEqual(tagsFor(ref, { testsPassed: true }), { kind: "none", repoSuffix: "", tags: [] });
    });
  }

  it("builds full references", () => {
    assert.deepEqual(imageReferencesFor("127.0.0.1:5000/dbaas-catalog", "main", { testsPassed: true }), [
      "127.0.0.1:5000/dbaas-catalog:main",
      "127.0.0.1:5000/dbaas-catalog:latest",
    ]);
    assert.deepEqual(imageReferencesFor("quay.io/org/catalog", "platformx/v1.0.0", { testsPassed: false }), [
      "quay.io/org/catalog-platformx:v1.0.0",
      "quay.io/org/catalog-platformx:latest",
    ]);
  });
});
