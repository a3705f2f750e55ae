/**
 * Differential: `opm alpha render-template semver -o yaml` (v1.73, the real one) against our renderer,
 * both pulling the fixture bundle images from the local registry (scripts/registry.sh, pushed by
 * scripts/fixtures-push.ts under their original repository paths). Each veneer is first pointed at the
 * local registry (localizeTemplateImages), so both write the same `image` strings: outputs must be
 * byte-identical.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegistryBundleSource } from "../../src/bundle/registry-source.js";
import { localizeTemplateImages } from "../../src/e2e/template-registry.js";
import { loadFbcText } from "../../src/fbc/load.js";
import { writeFbc } from "../../src/fbc/write.js";
import { renderSemverTemplateText } from "../../src/template/semver/render.js";
import { runOpm } from "../support/opm.js";
import { CATALOG, OPERATORS, PERCONA } from "../support/paths.js";
import { E2E_OUT, REPO, requireBinaries } from "./support.js";

const registryScript = (cmd: string) => spawnSync("bash", [join(REPO, "scripts", "registry.sh"), cmd], { encoding: "utf8" });

describe("e2e: opm alpha render-template semver vs our renderer (bundles from the local registry)", function () {
  let registry = "";
  let startedRegistry = false;
  let work = "";
  let opmEnv: NodeJS.ProcessEnv = {};

  before(function () {
    requireBinaries(this, ["opm"]);
    if (!existsSync(join(REPO, "scripts", "registry.sh")) || !existsSync(join(REPO, "scripts", "fixtures-push.ts"))) {
      console.log("    (skipped: scripts/registry.sh or scripts/fixtures-push.ts is not in this checkout)");
      this.skip();
    }
    const status = registryScript("status");
    if (status.status !== 0) {
      const up = registryScript("up");
      if (up.status !== 0) {
        console.log(`    (skipped: no local registry: ${up.stderr.trim()}; run scripts/setup-registry.sh)`);
        this.skip();
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
    // opm pulls through containers/image, which insists on a signature policy: accept anything, in a
    // config home of our own (the user's ~/.config is not touched)
    mkdirSync(join(work, "xdg", "containers"), { recursive: true });
    writeFileSync(join(work, "xdg", "containers", "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    opmEnv = { XDG_CONFIG_HOME: join(work, "xdg") };
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (startedRegistry) registryScript("down");
  });

  const veneers = [
    ...OPERATORS.map((op) => ({ name: `catalog/${op}`, file: join(CATALOG, op, "veneer.yaml") })),
    ...OPERATORS.map((op) => ({ name: `fixtures/${op}`, file: join(PERCONA, op, "veneer.yaml") })),
  ];
  for (const v of veneers) {
    it(`renders ${v.name}/veneer.yaml byte for byte as opm does`, async function () {
      if (!existsSync(v.file)) this.skip();
      const { text, images } = localizeTemplateImages(readFileSync(v.file, "utf8"), registry);
      const file = join(work, `${v.name.replace(/\//g, "_")}.yaml`);
      writeFileSync(file, text);
      const opm = runOpmWith(opmEnv, ["alpha", "render-template", "semver", file, "-o", "yaml", "--use-http"]);
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

/** runOpm with extra environment variables. */
function runOpmWith(env: NodeJS.ProcessEnv, args: string[]): { status: number; stdout: string; stderr: string } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return runOpm(args);
  } finally {
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}
