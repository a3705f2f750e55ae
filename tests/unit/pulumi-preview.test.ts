import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { join } from "node:path";
import { CATALOG, REPO } from "../support/paths.js";
import { unavailable } from "../support/unavailable.js";
import { toolPath } from "../support/opm.js";

const TOOLS = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes"];
const IMAGE = `127.0.0.1:5000/dbaas-catalog@sha256:${"c".repeat(64)}`;

interface Step {
  op: string;
  urn: string;
  newState?: { type: string; inputs?: Record<string, any> };
  detailedDiff?: Record<string, unknown> | null;
}

/** Runs scripts/pulumi-preview.sh with `--json` and returns the preview's JSON. */
function preview(args: string[]): { steps: Step[]; changeSummary: Record<string, number> } {
  const r = spawnSync("bash", [join(REPO, "scripts", "pulumi-preview.sh"), ...args, "--", "--json"], {
    encoding: "utf8",
    env: { ...process.env, PREVIEW_CATALOG_IMAGE: IMAGE },
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `pulumi preview failed:\n${r.stderr}\n${r.stdout.slice(0, 4000)}`);
  return JSON.parse(r.stdout);
}

const name = (s: Step): string => s.urn.split("::").pop()!;

describe("pulumi preview (real CLI, language host and Kubernetes provider, file backend, no cluster)", function () {
  this.timeout(180_000);
  before(function () {
    const missing = TOOLS.filter((t) => !toolPath(t));
    if (missing.length) {
      unavailable(this, missing.join(", "), "run `bash scripts/tools/build.sh`");
    }
  });

  it("previews the dev stack: 13 creates, the Subscriptions as configured", () => {
    const p = preview(["dev"]);
    assert.deepEqual(p.changeSummary, { create: 13 });
    const subs = p.steps.filter((s) => s.newState?.type === "kubernetes:operators.coreos.com/v1alpha1:Subscription");
    assert.deepEqual(subs.map((s) => [name(s), s.newState!.inputs!["spec"].channel]).sort(), [
      ["dbaas-pg-subscription", "fast-v2"],
      ["dbaas-psmdb-subscription", "stable-v1"],
    ]);
    const cs = p.steps.find((s) => s.newState?.type === "kubernetes:operators.coreos.com/v1alpha1:CatalogSource")!;
    assert.equal(cs.newState!.inputs!["spec"].image, IMAGE);
  });

  it("a channel switch on the deployed dev stack is an update of exactly that Subscription", () => {
    const p = preview(["dev", "--switch", "psmdb=fast-v1"]);
    assert.deepEqual(p.changeSummary, { same: 12, update: 1 });
    const changed = p.steps.filter((s) => s.op !== "same");
    assert.deepEqual(
      changed.map((s) => [s.op, name(s), Object.keys(s.detailedDiff ?? {})]),
      [["update", "dbaas-psmdb-subscription", ["spec.channel"]]],
    );
  });

  /** The package's default channel, read straight from its catalog.yaml (the olm.package document). */
  const defaultChannel = (pkg: string): string => {
    for (const doc of parseAllDocuments(readFileSync(join(CATALOG, pkg, "catalog.yaml"), "utf8"))) {
      const v = doc.toJS() as { schema?: string; name?: string; defaultChannel?: string } | null;
      if (v?.schema === "olm.package" && v.name === pkg) return v.defaultChannel!;
    }
    throw new Error(`${pkg}: no olm.package`);
  };
  const stacks = readdirSync(REPO).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s && s !== "dev").sort();

  for (const stack of stacks) {
    it(`previews the ${stack} stack: one Subscription per operator of the stack file, on its channel`, () => {
      const file = parseYaml(readFileSync(join(REPO, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> };
      const ops = file.config["platform:operators"] as Record<string, { package: string; channel?: string }>;
      const expected = Object.entries(ops).map(([key, o]) => [`dbaas-${key}-subscription`, o.channel ?? defaultChannel(o.package)]).sort();
      const p = preview([stack]);
      assert.ok(Object.keys(p.changeSummary).every((k) => k === "create"), JSON.stringify(p.changeSummary));
      const subs = p.steps.filter((s) => s.newState?.type === "kubernetes:operators.coreos.com/v1alpha1:Subscription");
      assert.deepEqual(subs.map((s) => [name(s), s.newState!.inputs!["spec"].channel]).sort(), expected);
      const cs = p.steps.filter((s) => s.newState?.type === "kubernetes:operators.coreos.com/v1alpha1:CatalogSource");
      assert.equal(cs.length, 1);
      assert.equal(cs[0]!.newState!.inputs!["spec"].image, IMAGE);
    });
  }
});
