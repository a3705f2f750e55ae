/**
 * Plans on synthetic catalogs: OLM's documented skipRange behaviour (the candidate nearest the head wins;
 * a skipRange upgrades any installed version in range, even one from another channel; a skipped entry is
 * never a target), and per-step requirement, install mode and CRD storage changes.
 */
import { strict as assert } from "node:assert";
import { loadFbcText } from "../../src/fbc/load.js";
import { convertToModel, type Model } from "../../src/fbc/model.js";
import { planUpgrade, planText, planMarkdown } from "../../src/plan/index.js";
import { GraphError } from "../../src/graph/upgrade.js";

export interface SynthEntry {
  v: string;
  replaces?: string;
  skips?: string[];
  skipRange?: string;
}

export interface SynthBundle {
  /** CRD name → versions as `name`, `name*` (storage) or `name!` (not served). */
  crds?: Record<string, string[]>;
  installModes?: string[];
  gvkRequired?: { group: string; version: string; kind: string }[];
  packageRequired?: { packageName: string; versionRange: string }[];
}

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64");

function crdManifest(name: string, versions: string[]): unknown {
  const [plural, ...group] = name.split(".");
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name },
    spec: {
      group: group.join("."),
      names: { kind: plural![0]!.toUpperCase() + plural!.slice(1, -1), plural },
      versions: versions.map((v) => ({ name: v.replace(/[*!]$/, ""), served: !v.endsWith("!"), storage: v.endsWith("*") })),
    },
  };
}

/** A catalog text (JSON stream) for package `pkg`: channels of entries by version, bundles by version. */
export function synthCatalog(pkg: string, channels: Record<string, SynthEntry[]>, bundles: Record<string, SynthBundle> = {}, defaultChannel = Object.keys(channels)[0]!): string {
  const csv = (v: string): string => `${pkg}.v${v}`;
  const blobs: unknown[] = [{ schema: "olm.package", name: pkg, defaultChannel }];
  const versions = new Set<string>();
  for (const [name, entries] of Object.entries(channels)) {
    blobs.push({
      schema: "olm.channel",
      package: pkg,
      name,
      entries: entries.map((e) => {
        versions.add(e.v);
        return {
          name: csv(e.v),
          ...(e.replaces ? { replaces: csv(e.replaces) } : {}),
          ...(e.skips ? { skips: e.skips.map(csv) } : {}),
          ...(e.skipRange ? { skipRange: e.skipRange } : {}),
        };
      }),
    });
  }
  for (const v of versions) {
    const b = bundles[v] ?? {};
    const csvObj = {
      apiVersion: "operators.coreos.com/v1alpha1",
      kind: "ClusterServiceVersion",
      metadata: { name: csv(v) },
      spec: { installModes: (b.installModes ?? ["AllNamespaces"]).map((type) => ({ type, supported: true })) },
    };
    blobs.push({
      schema: "olm.bundle",
      package: pkg,
      name: csv(v),
      image: `registry.example.com/${pkg}-bundle:v${v}`,
      relatedImages: [{ name: "operator", image: `registry.example.com/${pkg}:v${v}` }],
      properties: [
        { type: "olm.package", value: { packageName: pkg, version: v } },
        ...(b.gvkRequired ?? []).map((value) => ({ type: "olm.gvk.required", value })),
        ...(b.packageRequired ?? []).map((value) => ({ type: "olm.package.required", value })),
        { type: "olm.bundle.object", value: { data: b64(csvObj) } },
        ...Object.entries(b.crds ?? {}).map(([n, vs]) => ({ type: "olm.bundle.object", value: { data: b64(crdManifest(n, vs)) } })),
      ],
    });
  }
  return blobs.map((x) => JSON.stringify(x)).join("\n") + "\n";
}

/** The model of a synthetic catalog. */
export function synthModel(...args: Parameters<typeof synthCatalog>): Model {
  return convertToModel(loadFbcText(synthCatalog(...args), "synthetic.json"));
}

const versionsOf = (pkg: string, path: string[]): string[] => path.map((c) => c.slice(pkg.length + 2));

describe("plan: OLM v0 skipRange behaviour (synthetic catalogs)", () => {
  // The OLM docs' example: 4.1.2 replaces 4.1.1 and has olm.skipRange '>=4.1.0 <4.1.2'.
  const docs = synthModel("op", {
    stable: [
      { v: "4.0.9" },
      { v: "4.1.0", replaces: "4.0.9" },
      { v: "4.1.1", replaces: "4.1.0" },
      { v: "4.1.2", replaces: "4.1.1", skipRange: ">=4.1.0 <4.1.2" },
    ],
    legacy: [{ v: "4.0.5" }],
  });

  it("a version in the head's skipRange jumps straight to the head, over the replaces chain", () => {
    const p = planUpgrade(docs, "op", "4.1.0", { channel: "stable" });
    assert.deepEqual(versionsOf("op", p.path), ["4.1.0", "4.1.2"]);
    assert.deepEqual(p.steps[0]!.via, ["skipRange"]);
  });

  it("the replaced entry gets both predicates on the same edge", () => {
    const p = planUpgrade(docs, "op", "op.v4.1.1", { channel: "stable" });
    assert.deepEqual(versionsOf("op", p.path), ["4.1.1", "4.1.2"]);
    assert.deepEqual(p.steps[0]!.via, ["replaces", "skipRange"]);
  });

  it("a version below the range walks replaces until it enters the range", () => {
    const p = planUpgrade(docs, "op", "4.0.9", { channel: "stable" });
    assert.deepEqual(versionsOf("op", p.path), ["4.0.9", "4.1.0", "4.1.2"]);
    assert.deepEqual(p.steps.map((s) => s.via), [["replaces"], ["skipRange"]]);
  });

  it("skipRange matches the installed version even when that CSV is from another channel (channel switch)", () => {
    assert.throws(() => planUpgrade(docs, "op", "4.0.5", { channel: "stable" }), (e: unknown) => e instanceof GraphError && e.code === "csv-not-in-channel");
    const onlyRange = synthModel("op", {
      stable: [{ v: "4.1.0" }, { v: "4.1.2", replaces: "4.1.0", skipRange: ">=4.0.0 <4.1.2" }],
      legacy: [{ v: "4.0.5" }],
    });
    const p = planUpgrade(onlyRange, "op", "4.0.5", { channel: "stable", crossChannel: true });
    assert.deepEqual(versionsOf("op", p.path), ["4.0.5", "4.1.2"]);
    assert.deepEqual(p.steps[0]!.via, ["skipRange"]);
  });

  it("a skipRange mid-chain is taken when it is the candidate nearest the head", () => {
    const m = synthModel("op", {
      stable: [
        { v: "1.0.0" },
        { v: "1.0.1", replaces: "1.0.0" },
        { v: "1.1.0", replaces: "1.0.1", skipRange: ">=1.0.0 <1.1.0" },
        { v: "1.1.1", replaces: "1.1.0" },
      ],
    });
    const p = planUpgrade(m, "op", "1.0.0");
    assert.equal(p.channel, "stable", "defaults to the package's default channel");
    assert.deepEqual(versionsOf("op", p.path), ["1.0.0", "1.1.0", "1.1.1"]);
    assert.deepEqual(p.steps.map((s) => s.via), [["skipRange"], ["replaces"]]);
  });

  it("an entry that is skipped is never a target, even through its skipRange (OLM classic finds no path)", () => {
    // Red Hat's OLM v1 docs: with v3 skipping v2 and v2 carrying skipRange >=1.0.0 <2.0.0, OLM (Classic) finds no update from 1.0.0.
    const m = synthModel("op", {
      stable: [{ v: "1.0.0" }, { v: "2.0.0", replaces: "1.0.0", skipRange: ">=1.0.0 <2.0.0" }, { v: "3.0.0", replaces: "2.0.0", skips: ["2.0.0"] }],
    });
    assert.throws(() => planUpgrade(m, "op", "1.0.0"), (e: unknown) => e instanceof GraphError && e.code === "no-path");
  });

  it("the head plans no step", () => {
    const p = planUpgrade(docs, "op", "4.1.2", { channel: "stable" });
    assert.deepEqual(p.steps, []);
    assert.match(planText(p), /is the head of channel stable: nothing to upgrade/);
  });
});

describe("plan: what each step changes (synthetic catalog)", () => {
  const m = synthModel(
    "db",
    { stable: [{ v: "1.0.0" }, { v: "1.1.0", replaces: "1.0.0" }, { v: "1.2.0", replaces: "1.1.0" }] },
    {
      "1.0.0": { crds: { "widgets.db.example.com": ["v1alpha1*"] }, installModes: ["OwnNamespace", "AllNamespaces"] },
      "1.1.0": {
        crds: { "widgets.db.example.com": ["v1alpha1", "v1beta1*"], "gadgets.db.example.com": ["v1*"] },
        installModes: ["AllNamespaces"],
        gvkRequired: [{ group: "cert-manager.io", version: "v1", kind: "Certificate" }],
        packageRequired: [{ packageName: "cert-manager", versionRange: ">=1.12.0" }],
      },
      "1.2.0": {
        crds: { "widgets.db.example.com": ["v1beta1!", "v1*"] },
        installModes: ["AllNamespaces"],
        gvkRequired: [{ group: "cert-manager.io", version: "v1", kind: "Certificate" }],
      },
    },
  );
  const p = planUpgrade(m, "db", "1.0.0");
  const [s1, s2] = p.steps;

  it("walks the replaces chain", () => {
    assert.deepEqual(versionsOf("db", p.path), ["1.0.0", "1.1.0", "1.2.0"]);
  });

  it("reports new CRDs, added versions and storage moves", () => {
    const widgets = s1!.crds.find((c) => c.crd === "widgets.db.example.com")!;
    assert.deepEqual(widgets.versionsAdded, ["v1beta1"]);
    assert.deepEqual(widgets.storage, { from: "v1alpha1", to: "v1beta1" });
    assert.deepEqual(widgets.removedStoredVersions, []);
    const gadgets = s1!.crds.find((c) => c.crd === "gadgets.db.example.com")!;
    assert.equal(gadgets.change, "added");
  });

  it("flags removing a version that was the storage version earlier on the walk", () => {
    const widgets = s2!.crds.find((c) => c.crd === "widgets.db.example.com")!;
    assert.deepEqual(widgets.versionsRemoved, ["v1alpha1"]);
    assert.deepEqual(widgets.removedStoredVersions, ["v1alpha1"]);
    assert.deepEqual(widgets.servingStopped, ["v1beta1"]);
    assert.deepEqual(widgets.storage, { from: "v1beta1", to: "v1" });
    assert.equal(s2!.crds.find((c) => c.crd === "gadgets.db.example.com")!.change, "removed");
    assert.match(planText(p), /RISK: removes v1alpha1/);
  });

  it("reports required GVKs and packages, install modes and related images", () => {
    assert.deepEqual(s1!.requiredGvks.added, ["cert-manager.io/v1/Certificate"]);
    assert.deepEqual(s1!.requiredPackages.added, ["cert-manager >=1.12.0"]);
    assert.deepEqual(s2!.requiredPackages.removed, ["cert-manager >=1.12.0"]);
    assert.deepEqual(s2!.requiredGvks, { added: [], removed: [], all: ["cert-manager.io/v1/Certificate"] });
    assert.deepEqual(s1!.installModes.removed, ["OwnNamespace"]);
    assert.deepEqual(s1!.relatedImages, [{ key: "operator", from: "registry.example.com/db:v1.0.0", to: "registry.example.com/db:v1.1.0" }]);
    const md = planMarkdown(p);
    assert.match(md, /\*\*Required packages\*\*\n\n- \+ cert-manager >=1\.12\.0/);
    assert.match(md, /#### 2\. 1\.1\.0 → 1\.2\.0 \(replaces\)/);
  });
});
