import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { renderBundleDir } from "../../src/bundle/render.js";
import { withImage } from "../../src/bundle/to-fbc.js";
import { goMarshal } from "../../src/bundle/gojson-marshal.js";
import { writeFbc } from "../../src/fbc/write.js";
import { emptyConfig, type Bundle } from "../../src/fbc/types.js";
import { compareWithOpm, requireOpm, runOpm } from "../support/opm.js";
import { realBundleDirs } from "../../scripts/fixtures-push.js";


/** The blob as `opm render -o yaml` prints it. */
function yamlOf(b: Bundle): string {
  const { csvJson: _c, ...rest } = b as Bundle & { csvJson?: string };
  return writeFbc({ ...emptyConfig(), bundles: [rest] }, "yaml");
}

const values = (b: Bundle, type: string) => b.properties.filter((p) => p.type === type).map((p) => p.value as Record<string, string>);

describe("bundle render: the 7 real bundle directories", () => {
  for (const [pkg, version, dir] of realBundleDirs()) {
    describe(`${pkg} ${version}`, () => {
      const b = renderBundleDir(dir);
      const manifests = readdirSync(join(dir, "manifests")).map((f) => parseYaml(readFileSync(join(dir, "manifests", f), "utf8")) as Record<string, any>);

      it("olm.package names the annotations' package and the CSV version", () => {
        const ann = (parseYaml(readFileSync(join(dir, "metadata", "annotations.yaml"), "utf8")) as any).annotations;
        assert.deepEqual(values(b, "olm.package"), [{ packageName: ann["operators.operatorframework.io.bundle.package.v1"], version }]);
        assert.equal(b.package, pkg);
        assert.equal(b.image, "");
      });

      it("one olm.gvk per owned CRD version, and nothing else", () => {
        const want = manifests
          .filter((m) => m.kind === "CustomResourceDefinition")
          .flatMap((c) => c.spec.versions.map((v: any) => `${c.spec.group}/${v.name}/${c.spec.names.kind}`))
          .sort();
        assert.deepEqual(values(b, "olm.gvk").map((g) => `${g.group}/${g.version}/${g.kind}`).sort(), want);
        assert.ok(want.length > 0);
      });

      it("one olm.bundle.object per manifest, each the manifest as JSON", () => {
        const objects = values(b, "olm.bundle.object").map((v) => JSON.parse(Buffer.from(v.data!, "base64").toString("utf8")));
        assert.equal(objects.length, manifests.length);
        const key = (o: any) => `${o.kind}/${o.metadata.name}`;
        assert.deepEqual(objects.map(key).sort(), manifests.map(key).sort());
        const csv = manifests.find((m) => m.kind === "ClusterServiceVersion")!;
        assert.equal(b.name, csv.metadata.name);
      });

      it("properties in opm's order: gvk, package, then bundle objects sorted by data", () => {
        const types = b.properties.map((p) => p.type);
        const firstObj = types.indexOf("olm.bundle.object");
        assert.deepEqual([...new Set(types.slice(0, firstObj))], ["olm.gvk", "olm.package"]);
        const data = values(b, "olm.bundle.object").map((v) => v.data!);
        assert.deepEqual(data, [...data].sort());
      });

      it("equals `opm render <dir> -o yaml` byte for byte (where opm is built)", function () {
        requireOpm(this);
        const opm = runOpm(["render", dir, "-o", "yaml"]);
        assert.equal(opm.status, 0, opm.stderr);
        assert.equal(yamlOf(b), opm.stdout);
      });
    });
  }
});

/** Writes a bundle directory from `{path: content}` (objects are written as YAML). */
function makeBundle(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "bundle-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    if (content === "DIR") mkdirSync(join(dir, path), { recursive: true });
    else writeFileSync(join(dir, path), typeof content === "string" ? content : JSON.stringify(content, null, 1));
  }
  return dir;
}

const ANNOTATIONS = "annotations:\n  operators.operatorframework.io.bundle.package.v1: demo\n  operators.operatorframework.io.bundle.channels.v1: stable\n";

function csv(extra: Record<string, unknown> = {}, annotations: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: "operators.coreos.com/v1alpha1",
    kind: "ClusterServiceVersion",
    metadata: { name: "demo.v1.2.3", annotations },
    spec: {
      version: "1.2.3",
      description: "Deploys <b>demo</b> & friends \u2028 on clusters",
      customresourcedefinitions: {
        owned: [{ name: "widgets.demo.io", version: "v1", kind: "Widget" }],
        required: [{ name: "gadgets.other.io", version: "v2", kind: "Gadget" }],
      },
      apiservicedefinitions: { owned: [{ group: "metrics.demo.io", version: "v1beta1", kind: "Metric", name: "metrics" }], required: [{ group: "ext.io", version: "v1", kind: "Ext", name: "exts" }] },
      relatedImages: [{ name: "operator", image: "quay.io/demo/operator:1.2.3" }, { name: "db", image: "docker.io/library/postgres:16" }],
      install: {
        strategy: "deployment",
        spec: {
          deployments: [
            {
              name: "demo",
              spec: { template: { spec: { containers: [{ name: "m", image: "quay.io/demo/operator:1.2.3" }, { name: "p", image: "gcr.io/proxy:2" }], initContainers: [{ name: "i", image: "busybox:1" }] } } },
            },
          ],
        },
      },
      ...extra,
    },
  };
}

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.demo.io" },
  spec: { group: "demo.io", names: { kind: "Widget", plural: "widgets" }, versions: [{ name: "v1alpha1" }, { name: "v1" }] },
};

const LEGACY_CRD = `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: gizmos.demo.io
spec:
  group: demo.io
  version: v1beta1
  names: {kind: Gizmo, plural: gizmos}
  versions:
  - name: v1beta1
  - name: v1beta2
`;

interface Case {
  name: string;
  files: Record<string, unknown>;
  check?: (b: Bundle) => void;
  error?: RegExp;
}

const CASES: Case[] = [
  {
    name: "every property source: CSV annotation, properties.yaml, dependencies.yaml, required and API-service APIs",
    files: {
      "manifests/csv.yaml": csv({}, { "olm.properties": '[{"type": "olm.maxOpenShiftVersion", "value": "4.14"}, {"type":"custom.z","value":{"b": 1, "a": [1,2]}}]' }),
      "manifests/crd.json": CRD,
      "manifests/legacy.yaml": LEGACY_CRD,
      "manifests/second-csv.yaml": { ...csv(), metadata: { name: "ignored.v9" } },
      "manifests/no-kind.yaml": "apiVersion: v1\nmetadata: {name: x}\n",
      "manifests/.hidden.yaml": "kind: Secret\n",
      "manifests/sub": "DIR",
      "manifests/service.yaml": "---\n# leading document separator and comment\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  labels: {enabled: yes, port: 0755}\nspec:\n  ports: [{port: 8080}]\n---\nkind: Ignored\n",
      "metadata/annotations.yaml": ANNOTATIONS,
      "metadata/dependencies.yaml": "dependencies:\n- type: olm.gvk\n  value: {group: dep.io, kind: Dep, version: v1}\n- type: olm.package\n  value: {packageName: base, version: '>=1.0.0'}\n- type: olm.label\n  value: {label: fast}\n",
      "metadata/properties.yaml": "properties:\n- type: custom.a\n  value: {z: 1, a: 2}\n- type: olm.maxOpenShiftVersion\n  value: '4.14'\n",
    },
    check(b) {
      const types = b.properties.map((p) => p.type);
      assert.deepEqual(
        [...new Set(types)],
        ["custom.a", "custom.z", "olm.gvk", "olm.gvk.required", "olm.label", "olm.maxOpenShiftVersion", "olm.package", "olm.package.required", "olm.bundle.object"],
      );
      assert.deepEqual(values(b, "olm.gvk").map((g) => `${g.group}/${g.version}/${g.kind}`), [
        "demo.io/v1beta1/Gizmo",
        "demo.io/v1beta2/Gizmo",
        "demo.io/v1/Widget",
        "demo.io/v1alpha1/Widget",
        "metrics.demo.io/v1beta1/Metric",
      ], "sorted by the raw JSON value: group, kind, version");
      assert.deepEqual(values(b, "olm.gvk.required").map((g) => `${g.group}/${g.version}/${g.kind}`), ["dep.io/v1/Dep", "ext.io/v1/Ext", "other.io/v2/Gadget"]);
      assert.deepEqual(values(b, "olm.package.required"), [{ packageName: "base", versionRange: ">=1.0.0" }]);
      assert.equal(values(b, "olm.maxOpenShiftVersion").length, 1, "the same raw value from the CSV annotation and properties.yaml is kept once");
      assert.equal(values(b, "olm.bundle.object").length, 4, "csv, crd, legacy crd, service (second CSV, kind-less, hidden, dir skipped)");
      assert.deepEqual(
        b.relatedImages!.map((r) => `${r.name}=${r.image}`),
        ["=busybox:1", "db=docker.io/library/postgres:16", "=gcr.io/proxy:2", "operator=quay.io/demo/operator:1.2.3"],
      );
      const service = values(b, "olm.bundle.object").map((v) => JSON.parse(Buffer.from(v.data!, "base64").toString())).find((o) => o.kind === "Service");
      assert.deepEqual(service.metadata.labels, { enabled: true, port: 493 }, "YAML 1.1 as go-yaml v2: yes is true, 0755 is octal");
    },
  },
  {
    name: "HTML characters and U+2028 are escaped in bundle objects as Go's json.Marshal does",
    files: { "manifests/csv.json": csv(), "manifests/crd.json": CRD, "metadata/annotations.yaml": ANNOTATIONS },
    check(b) {
      const text = Buffer.from(values(b, "olm.bundle.object").map((v) => v.data!).find((d) => Buffer.from(d, "base64").toString().includes("ClusterService"))!, "base64").toString();
      assert.ok(text.includes("Deploys \\u003cb\\u003edemo\\u003c/b\\u003e \\u0026 friends \\u2028 on clusters"), text.slice(0, 300));
    },
  },
  {
    name: "a numeric spec.release becomes the olm.package release",
    files: { "manifests/csv.json": csv({ release: 7 }), "manifests/crd.json": CRD, "metadata/annotations.yaml": ANNOTATIONS },
    check(b) {
      assert.deepEqual(values(b, "olm.package"), [{ packageName: "demo", version: "1.2.3", release: "7" }]);
    },
  },
  {
    name: "annotations in a JSON file with another name are found",
    files: {
      "manifests/csv.json": csv(),
      "manifests/crd.json": CRD,
      "metadata/a-deps.yaml": "dependencies:\n- type: olm.package\n  value: {packageName: x, version: 1.0.0}\n",
      "metadata/z.json": JSON.stringify({ annotations: { "operators.operatorframework.io.bundle.package.v1": "demo-json" } }),
    },
    check(b) {
      assert.equal(b.package, "demo-json");
      assert.deepEqual(values(b, "olm.package.required"), [{ packageName: "x", versionRange: "1.0.0" }]);
    },
  },
  { name: "no CSV", files: { "manifests/crd.json": CRD, "metadata/annotations.yaml": ANNOTATIONS }, error: /no csv in bundle/ },
  { name: "no objects", files: { "manifests/readme.txt": "hello", "metadata/annotations.yaml": ANNOTATIONS }, error: /no bundle objects found/ },
  { name: "no annotations", files: { "manifests/csv.json": csv(), "manifests/crd.json": CRD, "metadata/other.yaml": "foo: bar\n" }, error: /Could not find annotations file/ },
  {
    name: "an owned CRD version the bundle does not provide",
    files: { "manifests/csv.json": csv({ customresourcedefinitions: { owned: [{ name: "widgets.demo.io", version: "v2", kind: "Widget" }] } }), "manifests/crd.json": CRD, "metadata/annotations.yaml": ANNOTATIONS },
    error: /error checking provided apis in bundle demo\.v1\.2\.3: couldn't find demo\.io\/v2\/Widget \(widgets\) in bundle\. found: map\[demo\.io\/v1\/Widget \(widgets\):\{\} demo\.io\/v1alpha1\/Widget \(widgets\):\{\} metrics\.demo\.io\/v1beta1\/Metric \(metrics\):\{\}\]/,
  },
];

describe("bundle render: opm's rules on synthetic bundles (and opm's own output, where built)", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const c of CASES) {
    it(c.name, () => {
      const dir = makeBundle(c.files);
      dirs.push(dir);
      const opm = compareWithOpm() ? runOpm(["render", dir, "-o", "yaml"]) : undefined;
      if (c.error) {
        assert.throws(() => renderBundleDir(dir), c.error);
        if (opm) {
          assert.notEqual(opm.status, 0);
          assert.match(opm.stderr, c.error);
        }
        return;
      }
      const b = renderBundleDir(dir);
      c.check?.(b);
      if (opm) {
        assert.equal(opm.status, 0, opm.stderr);
        assert.equal(yamlOf(b), opm.stdout);
      }
    });
  }

  it("withImage adds the bundle image to relatedImages once, sorted, and keeps the reference as written", () => {
    const dir = makeBundle({ "manifests/csv.json": csv(), "manifests/crd.json": CRD, "metadata/annotations.yaml": ANNOTATIONS });
    dirs.push(dir);
    const b = withImage(renderBundleDir(dir), "quay.io/demo/bundle:v1.2.3");
    assert.equal(b.image, "quay.io/demo/bundle:v1.2.3");
    assert.equal(b.relatedImages!.filter((r) => r.image === "quay.io/demo/bundle:v1.2.3").length, 1);
    assert.deepEqual(b.relatedImages!.map((r) => r.image), [...b.relatedImages!.map((r) => r.image)].sort());
    assert.equal(withImage(b, "quay.io/demo/operator:1.2.3").relatedImages!.length, b.relatedImages!.length, "an image already listed is not added again");
  });
});

describe("bundle render: Go's json.Marshal", () => {
  it("sorts keys bytewise (not JS integer-key order) and escapes like Go", () => {
    assert.equal(goMarshal({ b: 1, "10": 2, "9": 3, a: [true, null, 1.5, 1e21, 1e-7] }), '{"10":2,"9":3,"a":[true,null,1.5,1e+21,1e-7],"b":1}');
    assert.equal(goMarshal("<a href=\"x\">&\u2029\u0001\b\f\t\n\r\\"), '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u2029\\u0001\\b\\f\\t\\n\\r\\\\"');
    assert.equal(goMarshal("\ud800x😀"), '"\\ufffdx😀"');
  });
});
