import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { localImageReference, localizeTemplateImages } from "../../src/e2e/template-registry.js";
import { parseSemverTemplate, templateImages } from "../../src/template/semver/parse.js";
import { CATALOG, OPERATORS } from "../support/paths.js";

const R = "127.0.0.1:5000";

describe("e2e: localizeTemplateImages (semver templates on the local registry)", () => {
  it("keeps repository path and tag, on the local registry", () => {
    assert.equal(localImageReference("quay.io/operatorhubio/percona-xtradb-cluster-operator:v1.12.0", R), `${R}/operatorhubio/percona-xtradb-cluster-operator:v1.12.0`);
    assert.equal(localImageReference("docker.io/percona/dbaas-operator-bundle:0.1.17", R), `${R}/percona/dbaas-operator-bundle:0.1.17`);
    assert.equal(localImageReference("percona/x:1.0", R), `${R}/percona/x:1.0`);
    const digest = `sha256:${"a".repeat(64)}`;
    assert.equal(localImageReference(`quay.io/o/b@${digest}`, R), `${R}/o/b@${digest}`);
  });

  it("moves every bundle image of every archetype and changes nothing else", () => {
    const text = `Schema: olm.semver
GenerateMajorChannels: true # majors
Candidate:
  Bundles:
  - Image: quay.io/o/b:v1.1.0
Stable:
  Bundles:
  - Image: docker.io/p/b:1.0.0
`;
    const out = localizeTemplateImages(text, R);
    assert.equal(
      out.text,
      text.replace("quay.io/o/b:v1.1.0", `${R}/o/b:v1.1.0`).replace("docker.io/p/b:1.0.0", `${R}/p/b:1.0.0`),
    );
    assert.deepEqual([...out.images.keys()], ["quay.io/o/b:v1.1.0", "docker.io/p/b:1.0.0"]);
  });

  it("gives every committed veneer a template whose images are all local", () => {
    for (const op of OPERATORS) {
      const file = join(CATALOG, op, "veneer.yaml");
      const out = localizeTemplateImages(readFileSync(file, "utf8"), R);
      const before = templateImages(parseSemverTemplate(readFileSync(file, "utf8"), file));
      const after = templateImages(parseSemverTemplate(out.text, file));
      assert.equal(after.length, before.length, op);
      assert.ok(after.every((i) => i.startsWith(`${R}/`)), `${op}: ${after.join(", ")}`);
      assert.deepEqual(after, before.map((i) => out.images.get(i)), op);
    }
  });
});
