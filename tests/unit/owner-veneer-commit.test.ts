import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addImageToVeneer } from "../../src/owner/veneer-edit.js";
import { commitFiles, createDirAtomic } from "../../src/owner/commit.js";
import { CATALOG } from "../support/paths.js";

const veneer = (op: string): string => readFileSync(join(CATALOG, op, "veneer.yaml"), "utf8");
const DBAAS_16 = "docker.io/percona/dbaas-operator-bundle:0.1.16";

describe("owner: veneer edits keep the owner's text", () => {
  it("re-adding a removed bundle in version order gives back the committed file byte for byte", () => {
    const orig = veneer("dbaas-operator");
    const without = orig.replace(`  - Image: ${DBAAS_16}\n`, "");
    const order = ["0.1.4", "0.1.6", "0.1.7", "0.1.16", "0.1.17"];
    const rank = (img: string): number => order.indexOf(img.split(":").pop()!);
    const back = addImageToVeneer(without, "veneer.yaml", "stable", DBAAS_16, (existing) => rank(existing) > rank(DBAAS_16));
    assert.equal(back, orig);
  });

  it("appending keeps the blank line after a list; a new Candidate section goes before Fast in the file's spelling", () => {
    const pxc = veneer("percona-xtradb-cluster-operator");
    const appended = addImageToVeneer(pxc, "veneer.yaml", "fast", "quay.io/x/pxc:v1.14.0");
    assert.equal(appended, pxc.replace(":v1.13.0\n\n", ":v1.13.0\n  - Image: quay.io/x/pxc:v1.14.0\n\n"));
    const withCandidate = addImageToVeneer(pxc, "veneer.yaml", "candidate", "quay.io/x/pxc:v1.14.0-rc1");
    assert.equal(withCandidate, pxc.replace("Fast:\n", "Candidate:\n  Bundles:\n  - Image: quay.io/x/pxc:v1.14.0-rc1\nFast:\n"));
  });

  it("lower-case templates get lower-case keys; an empty section is rewritten; duplicates are refused", () => {
    const lower = "schema: olm.semver\ngenerateMajorChannels: true\nstable:\n  bundles:\n    - image: a/b:1.0.0\n";
    assert.equal(addImageToVeneer(lower, "v.yaml", "fast", "a/b:1.1.0"), lower.replace("stable:\n", "fast:\n  bundles:\n    - image: a/b:1.1.0\nstable:\n"));
    assert.equal(addImageToVeneer(lower, "v.yaml", "stable", "a/b:1.1.0"), lower + "    - image: a/b:1.1.0\n");
    const empty = "schema: olm.semver\nstable:\n  bundles: []\n# end\n";
    assert.equal(addImageToVeneer(empty, "v.yaml", "stable", "a/b:1.0.0"), "schema: olm.semver\nstable:\n  bundles:\n  - image: a/b:1.0.0\n# end\n");
    assert.throws(() => addImageToVeneer(lower, "v.yaml", "stable", "a/b:1.0.0"), /v\.yaml: a\/b:1\.0\.0 is already in stable/);
  });
});

describe("owner: all-or-nothing writes", () => {
  it("a failure at the second rename restores the first file and leaves no staged files", () => {
    const dir = mkdtempSync(join(tmpdir(), "owner-commit-"));
    writeFileSync(join(dir, "a"), "old a");
    writeFileSync(join(dir, "b"), "old b");
    const changes = [
      { path: join(dir, "a"), content: "new a" },
      { path: join(dir, "b"), content: "new b" },
      { path: join(dir, "c"), content: "new c" },
    ];
    assert.throws(() => commitFiles(changes, { beforeRename: (_p, i) => { if (i === 2) throw new Error("disk full"); } }), /disk full/);
    assert.deepEqual(readdirSync(dir).sort(), ["a", "b"]);
    assert.equal(readFileSync(join(dir, "a"), "utf8"), "old a");
    assert.equal(readFileSync(join(dir, "b"), "utf8"), "old b");
    commitFiles(changes);
    assert.deepEqual(readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), "utf8")), ["new a", "new b", "new c"]);
  });

  it("a new folder appears whole or not at all", () => {
    const root = mkdtempSync(join(tmpdir(), "owner-dir-"));
    createDirAtomic(join(root, "op"), { x: "1", y: "2" });
    assert.deepEqual(readdirSync(join(root, "op")).sort(), ["x", "y"]);
    assert.throws(() => createDirAtomic(join(root, "op"), { z: "3" }), /already exists/);
    assert.throws(() => createDirAtomic(join(root, "bad"), { "no/such/dir/f": "3" }));
    assert.equal(existsSync(join(root, "bad")), false);
    assert.deepEqual(readdirSync(root), ["op"]);
  });
});
