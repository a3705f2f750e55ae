/**
 * Differential: `opm alpha render-template semver -o yaml` (v1.73, the real one) against our renderer,
 * both pulling the fixture bundle images from the local registry (scripts/registry.sh, pushed by
 * scripts/fixtures-push.ts under their original repository paths). Each veneer is first pointed at the
 * local registry (localizeTemplateImages), so both write the same `image` strings: outputs must be
 * byte-identical.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegistryBundleSource } from "../../src/bundle/registry-source.js";
import { localizeTemplateImages } from "../../src/e2e/template-registry.js";
import { loadFbcText } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { opmRegistryEnv, runOpm } from "../support/opm.js";
import { CATALOG, OPERATORS, PERCONA } from "../support/paths.js";
import { E2E_OUT, REPO, requireBinaries } from "./support.js";
import { unavailable } from "../support/unavailable.js";

/** Every operator folder of catalog/ (the nine of today, and any added later). */
const catalogOperators = (): string[] => readdirSync(CATALOG, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(CATALOG, d.name, "veneer.yaml"))).map((d) => d.name).sort();

const registryScript = (cmd: string) => spawnSync("bash", [join(REPO, "scripts", "registry.sh"), cmd], { encoding: "utf8" });

describe("e2e: opm alpha render-template semver vs our renderer (bundles from the local registry)", function () {
  let registry = "";
  let startedRegistry = false;
  let work = "";
  let opmEnv: NodeJS.ProcessEnv = {};

  before(function () {
    requireBinaries(this, ["opm"]);
    const status = registryScript("status");
    if (status.status !== 0) {
      const up = registryScript("up");
      if (up.status !== 0) {
        unavailable(this, `a local registry (${up.stderr.trim()})`, "run `bash scripts/setup-registry.sh`");
      }
      startedRegistry = true;
    }
    registry = /(\d+\.\d+\.\d+\.\d+:\d+)/.exec(registryScript("status").stdout)?.[1] ?? "";
    assert.ok(registry, "registry address");
    const t = Date.now();
    const push = spawnSync("node", ["--import", "tsx", join(REPO, "scripts", "fixtures-push.ts"), "--registry", registry], { cwd: REPO, encoding: "utf8" });
    assert.equal(push.status, 0, `fixtures-push failed:\n${push.stderr}${push.stdout}`);
    console.log(`    (fixture bundles pushed to ${registry} in ${Math.round((Date.now() - t) / 1000)}s)`);
    work = mkdtempSync(join(tmpdir(), "e2e-render-"));
    opmEnv = opmRegistryEnv(join(work, "xdg"));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (startedRegistry) registryScript("down");
  });

  const veneers = [
    ...catalogOperators().map((op) => ({ name: `catalog/${op}`, file: join(CATALOG, op, "veneer.yaml") })),
    ...OPERATORS.map((op) => ({ name: `fixtures/${op}`, file: join(PERCONA, op, "veneer.yaml") })),
  ];
  for (const v of veneers) {
    it(`renders ${v.name}/veneer.yaml byte for byte as opm does`, async function () {
      const { text, images } = localizeTemplateImages(readFileSync(v.file, "utf8"), registry);
      const file = join(work, `${v.name.replace(/\//g, "_")}.yaml`);
      writeFileSync(file, text);
      const opm = runOpm(["alpha", "render-template", "semver", file, "-o", "yaml", "--use-http"], opmEnv);
      assert.equal(opm.status, 0, `opm failed: ${opm.stderr}`);
      const ours = writeFbc(await renderSemverTemplateText(text, file, new RegistryBundleSource({ cache: null })), "yaml");
      if (ours !== opm.stdout) {
        const out = join(E2E_OUT, "render-template");
        mkdirSync(out, { recursive: true });
        const base = join(out, v.name.replace(/\//g, "_"));
        writeFileSync(`${base}.opm.yaml`, opm.stdout);
        writeFileSync(`${base}.ours.yaml`, ours);
        assert.fail(`output differs from opm's; both kept: ${base}.{opm,ours}.yaml`);
      }
      if (v.name.startsWith("catalog/")) {
        // The committed catalog.yaml is opm's rendering too, with the original image references. Two orders
        // depend on the registry rather than the content: relatedImages are sorted by reference (the host
        // is part of it), and the pushed fixture images hold the same manifests under other file names
        // (olm.bundle.object order). Compare with both normalized, everything else exact.
        let back = opm.stdout;
        for (const [original, local] of images) back = back.split(local).join(original);
        const committed = readFileSync(join(v.file, "..", "catalog.yaml"), "utf8");
        assert.equal(objectOrderNormalized(back), objectOrderNormalized(committed), "catalog.yaml is not what opm renders from veneer.yaml");
      }
    });
  }
});

/** An FBC text re-written with each bundle's relatedImages and olm.bundle.object properties sorted (other properties stay in place). */
function objectOrderNormalized(text: string): string {
  const cfg = loadFbcText(text, "catalog.yaml");
  for (const b of cfg.bundles) {
    b.relatedImages?.sort((x, y) => (x.image < y.image ? -1 : x.image > y.image ? 1 : 0));
    const objects = b.properties.filter((p) => p.type === "olm.bundle.object").sort((x, y) => (JSON.stringify(x.value) < JSON.stringify(y.value) ? -1 : 1));
    let i = 0;
    b.properties = b.properties.map((p) => (p.type === "olm.bundle.object" ? objects[i++]! : p));
  }
  return writeFbc(cfg, "yaml");
}
