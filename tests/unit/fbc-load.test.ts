import { strict as assert } from "node:assert";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogFiles, loadFbc, loadFbcText } from "../../src/fbc/load.js";
import { IndexIgnore } from "../../src/fbc/indexignore.js";
import { UserError } from "../../src/util/errors.js";
import { PERCONA } from "../support/paths.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "fbc-load-"));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, ".."), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

describe("FBC loader", () => {
  it("applies the fixture's .indexignore like opm (json/yaml kept, objects/ dropped)", () => {
    const ig = new IndexIgnore();
    ig.add("", "**/*\n!*.json\n!*.yaml\n**/objects/*.json\n**/objects/*.yaml\n");
    assert.equal(ig.ignores("op/catalog.yaml"), false);
    assert.equal(ig.ignores("op/veneer.yaml"), false);
    assert.equal(ig.ignores("op/README.md"), true);
    assert.equal(ig.ignores("op/objects/csv.yaml"), true);
    assert.equal(ig.ignores(".indexignore"), true);
  });

  it("scopes a nested .indexignore to its folder and lets the last match win", () => {
    const root = tree({
      ".indexignore": "*.txt\n",
      "a/.indexignore": "!keep.txt\nskip.yaml\n",
      "a/keep.txt": "schema: olm.custom\nname: k\n",
      "a/skip.yaml": "not: [valid",
      "b/skip.yaml": "schema: olm.custom\nname: s\n",
      "b/notes.txt": "free text",
    });
    assert.deepEqual(catalogFiles(root), ["a/keep.txt", "b/skip.yaml"]);
  });

  it("reads every file whatever its extension, and keeps unknown schemas", () => {
    const cfg = loadFbc(tree({ "x/blob.conf": '{"schema":"olm.custom","name":"a"}{"schema":"olm.custom","name":"b"}' }));
    assert.deepEqual(cfg.others.map((o) => o.name), ["a", "b"]);
  });

  it("loads the fixture tree with veneer.yaml files as other blobs", () => {
    const cfg = loadFbc(PERCONA);
    assert.equal(cfg.packages.length, 6);
    assert.equal(cfg.others.length, 6);
    assert.ok(cfg.others.every((o) => o.schema === "olm.semver"));
    assert.equal(cfg.bundles.length, 24);
  });

  it("matches meta keys case-insensitively", () => {
    const cfg = loadFbcText("---\nSchema: olm.package\nName: p\nDefaultChannel: s\n", "f.yaml");
    assert.equal(cfg.packages[0]?.name, "p");
    assert.equal(cfg.packages[0]?.defaultChannel, "s");
  });

  it("names file, line and column of a YAML syntax error", () => {
    const text = "---\nschema: olm.package\nname: a\n---\nschema: olm.channel\nentries: [x\n";
    assert.throws(() => loadFbcText(text, "cat.yaml"), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.origin?.file, "cat.yaml");
      assert.ok((e.origin?.line ?? 0) >= 6, `line ${e.origin?.line}`);
      return true;
    });
  });

  it("names the line of the blob that lacks a schema", () => {
    assert.throws(() => loadFbcText("---\nschema: olm.package\nname: a\n---\nname: b\n", "c.yaml"), /c\.yaml:5:1: object [\s\S]* is missing root schema field/);
  });

  it("names the position of a JSON error", () => {
    assert.throws(() => loadFbcText('{"schema":"olm.package","name":"a"}\n{"schema": }', "c.json"), /c\.json:2:\d+: invalid JSON/);
  });

  it("rejects a wrong JSON type in a typed field", () => {
    assert.throws(
      () => loadFbcText("schema: olm.channel\nname: c\npackage: p\nentries: 3\n", "c.yaml"),
      /parse channel: json: cannot unmarshal number into Go struct field Channel.entries/,
    );
  });
});
