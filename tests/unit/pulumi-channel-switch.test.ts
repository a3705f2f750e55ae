import { strict as assert } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { recordingBuilder, runProgram, withConfig, type ProgramRun, type StackInput } from "../../components/testing/mockRuntime.js";
import { readStackFile } from "../../src/platform/stack-file.js";
import { REPO } from "../support/paths.js";

interface RunDiff {
  added: string[];
  removed: string[];
  /** Resource id → changed input paths. */
  changed: Record<string, string[]>;
}

/** Paths (a.b.c) at which two input trees differ. */
function changedPaths(a: unknown, b: unknown, at = ""): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);
  if (!isObj(a) || !isObj(b)) return [at];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => changedPaths(a[k], b[k], at ? `${at}.${k}` : k));
}

/** What the engine would diff: resources by URN (type and name here), inputs compared. */
function diffRuns(before: ProgramRun, after: ProgramRun): RunDiff {
  const byId = (run: ProgramRun) => new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
  const b = byId(before);
  const a = byId(after);
  const changed: Record<string, string[]> = {};
  for (const [id, inputs] of a) {
    const prev = b.get(id);
    if (prev === undefined) continue;
    const paths = changedPaths(prev, inputs);
    if (paths.length) changed[id] = paths;
  }
  return {
    added: [...a.keys()].filter((id) => !b.has(id)),
    removed: [...b.keys()].filter((id) => !a.has(id)),
    changed,
  };
}

const SUB = "kubernetes:operators.coreos.com/v1alpha1:Subscription";
const setChannel = (input: StackInput, key: string, channel: string): StackInput =>
  // = pulumi config set --path platform:operators.<key>.channel <channel>
  withConfig(input, "platform:operators", (ops) => ({ ...ops, [key]: { ...ops[key], channel } }));

describe("pulumi program (mocks): a channel switch updates exactly that Subscription", () => {
  const dev = readStackFile(join(REPO, "Pulumi.dev.yaml"));
  const run = (input: StackInput) => runProgram(input, { builder: recordingBuilder(), gitRef: "0123456789ab" });

  it("dev: psmdb stable-v1 → fast-v1 changes only spec.channel of the psmdb Subscription", async () => {
    const before = await run(dev);
    const after = await run(setChannel(dev, "psmdb", "fast-v1"));
    assert.deepEqual(diffRuns(before, after), {
      added: [],
      removed: [],
      changed: { [`${SUB}::dbaas-psmdb-subscription`]: ["spec.channel"] },
    });
    const ops = (r: ProgramRun) => r.outputs["operators"] as Record<string, any>;
    assert.equal(ops(after)["psmdb"].channel, "fast-v1");
    // v1.13.1 is in both channels and fast-v1's head replaces it: the path is the same one hop.
    assert.deepEqual(ops(after)["psmdb"].upgradePath, ["percona-server-mongodb-operator.v1.13.1", "percona-server-mongodb-operator.v1.14.0"]);
    assert.deepEqual(ops(after)["pg"], ops(before)["pg"]);
    assert.equal(after.outputs["catalogImage"], before.outputs["catalogImage"]);
  });

  it("pxc stable-v1 → fast-v1 from v1.12.0: new head awaited, new upgrade path in the outputs", async () => {
    const withPxc = withConfig(dev, "platform:operators", (ops) => ({
      ...ops,
      pxc: { package: "percona-xtradb-cluster-operator", channel: "stable-v1", startingCSV: "percona-xtradb-cluster-operator.v1.12.0" },
    }));
    const before = await run(withPxc);
    const after = await run(setChannel(withPxc, "pxc", "fast-v1"));
    assert.deepEqual(diffRuns(before, after), {
      added: [],
      removed: [],
      changed: { [`${SUB}::dbaas-pxc-subscription`]: ["metadata.annotations.pulumi.com/waitFor", "spec.channel"] },
    });
    const pxc = (r: ProgramRun) => (r.outputs["operators"] as Record<string, any>)["pxc"];
    assert.deepEqual(
      [pxc(before).headCSV, pxc(before).upgradePath],
      ["percona-xtradb-cluster-operator.v1.12.0", ["percona-xtradb-cluster-operator.v1.12.0"]],
    );
    assert.deepEqual(
      [pxc(after).headCSV, pxc(after).upgradePath],
      ["percona-xtradb-cluster-operator.v1.13.0", ["percona-xtradb-cluster-operator.v1.12.0", "percona-xtradb-cluster-operator.v1.13.0"]],
    );
  });

  it("the diff helper does see other changes (control: a namespace move touches more)", async () => {
    const before = await run(dev);
    const after = await run(withConfig(dev, "platform:operators", (ops) => ({ ...ops, psmdb: { ...ops.psmdb, namespace: "mongo" } })));
    const d = diffRuns(before, after);
    assert.ok(d.added.length > 0 && d.removed.length > 0, JSON.stringify(d));
  });
});
