/**
 * The rendered-bundle cache: renders the six Percona veneers and the 7 real bundles (31 bundle images)
 * from a local registry with an empty cache, then again unchanged, and prints both wall times and the
 * ratio (goal: >= 20x); a third, unchanged render through a counting proxy shows what it costs on the
 * wire (one manifest HEAD per image, no blob). Side by side, where opm is built (scripts/tools/build.sh):
 * opm on the same input from the same registry (`alpha render-template semver` per veneer, `render` per
 * real bundle, all at once); opm has no cache, so each of its renders costs a first render.
 *   node --import tsx bench/render-cache.ts
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleCache } from "../src/bundle/cache.js";
import { RegistryBundleSource } from "../src/bundle/registry-source.js";
import { RegistryClient } from "../src/image/client.js";
import { parseMirrors } from "../src/image/mirrors.js";
import { renderSemverTemplateText } from "../src/template/semver/render.js";
import { localImageReference, localizeTemplateImages } from "../src/e2e/template-registry.js";
import { opmPath, opmRegistryEnv } from "../tests/support/opm.js";
import { BUNDLE_DIR_REGISTRY, fixtureMirrors, pushFixtures, realBundleDirs } from "../scripts/fixtures-push.js";
import { OPERATORS, PERCONA } from "../tests/support/paths.js";
import { RegistryProxy } from "../tests/support/registry-proxy.js";
import { startRegistry } from "../tests/support/registry.js";

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * Renders the six veneers and the 7 real bundles (all at once, as a catalog-wide render does); returns
 * the wall time.
 */
async function renderEverything(registry: string, cacheDir: string): Promise<number> {
  const client = new RegistryClient({ auth: { auths: {}, credHelpers: {} } });
  const source = new RegistryBundleSource({ client, mirrors: parseMirrors(fixtureMirrors(registry)), cache: new BundleCache(cacheDir) });
  const t0 = process.hrtime.bigint();
  await Promise.all([
    ...OPERATORS.map((op) => {
      const file = join(PERCONA, op, "veneer.yaml");
      return renderSemverTemplateText(readFileSync(file, "utf8"), file, source, { compat: "veneer" });
    }),
    ...realBundleDirs().map(([pkg, version]) => source.renderBundle(`${BUNDLE_DIR_REGISTRY}/${pkg}:${version}`)),
  ]);
  return ms(t0);
}

/** The bundle source alone over every fixture image: the part the cache replaces. */
async function renderBundlesOnly(registry: string, cacheDir: string, refs: string[]): Promise<number> {
  const client = new RegistryClient({ auth: { auths: {}, credHelpers: {} } });
  const source = new RegistryBundleSource({ client, mirrors: parseMirrors(fixtureMirrors(registry)), cache: new BundleCache(cacheDir) });
  const t0 = process.hrtime.bigint();
  await Promise.all(refs.map((r) => source.renderBundle(r)));
  return ms(t0);
}

/** opm on the same input, every render at once (templates pointed at the registry, as opm has no mirrors); the wall time. */
async function opmEverything(opm: string, registry: string): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), "bench-opm-"));
  const env = opmRegistryEnv(work);
  const runs = [
    ...OPERATORS.map((op) => {
      const file = join(work, `${op}.yaml`);
      writeFileSync(file, localizeTemplateImages(readFileSync(join(PERCONA, op, "veneer.yaml"), "utf8"), registry).text);
      return ["alpha", "render-template", "semver", file, "-o", "yaml", "--use-http"];
    }),
    ...realBundleDirs().map(([pkg, version]) => ["render", localImageReference(`${BUNDLE_DIR_REGISTRY}/${pkg}:${version}`, registry), "-o", "yaml", "--use-http"]),
  ];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    runs.map(
      (args) =>
        new Promise<void>((done, fail) => {
          const child = spawn(opm, args, { env, stdio: ["ignore", "ignore", "pipe"] });
          let err = "";
          child.stderr.on("data", (d: Buffer) => (err += d.toString()));
          child.on("close", (code) => (code === 0 ? done() : fail(new Error(`opm ${args.join(" ")}: exit ${code}\n${err}`))));
        }),
    ),
  );
  const t = ms(t0);
  rmSync(work, { recursive: true, force: true });
  return t;
}

const reg = await startRegistry();
const cacheDir = mkdtempSync(join(tmpdir(), "bench-cache-"));
const proxy = new RegistryProxy(reg.address);
try {
  const pushed = await pushFixtures(reg.address, new RegistryClient({ auth: { auths: {}, credHelpers: {} } }));
  await proxy.start();
  const warm = mkdtempSync(join(tmpdir(), "bench-warmup-"));
  await renderEverything(reg.address, warm); // JIT and connection warm-up, both paths
  await renderEverything(reg.address, warm);
  rmSync(warm, { recursive: true, force: true });
  const first = await renderEverything(reg.address, cacheDir);
  const second = await renderEverything(reg.address, cacheDir);
  const refs = pushed.map((p) => p.reference);
  const other = mkdtempSync(join(tmpdir(), "bench-cache-b-"));
  const firstBundles = await renderBundlesOnly(reg.address, other, refs);
  const secondBundles = await renderBundlesOnly(reg.address, other, refs);
  rmSync(other, { recursive: true, force: true });
  proxy.resetCounts();
  await renderEverything(proxy.address, cacheDir);
  console.log(`bundle images: ${pushed.length} (6 Percona veneers + 7 real bundles), registry ${reg.address}`);
  console.log(`full render (templates + bundles): first ${first.toFixed(0)} ms, second (unchanged) ${second.toFixed(0)} ms, ratio ${(first / second).toFixed(1)}x (goal >= 20x)`);
  console.log(`bundle source alone:               first ${firstBundles.toFixed(0)} ms, second (unchanged) ${secondBundles.toFixed(0)} ms, ratio ${(firstBundles / secondBundles).toFixed(1)}x`);
  const opm = opmPath();
  if (opm) {
    await opmEverything(opm, reg.address); // warm-up (page cache, registry)
    const theirs = await opmEverything(opm, reg.address);
    console.log(`opm v1.73 on the same input:       every render ${theirs.toFixed(0)} ms (no cache); ours first ${(theirs / first).toFixed(2)}x opm's speed, ours unchanged ${(theirs / second).toFixed(1)}x`);
  } else {
    console.log("opm side by side: skipped (opm not built; run bash scripts/tools/build.sh opm)");
  }
  console.log(`unchanged render on the wire: ${proxy.counts["manifest-head"]} manifest HEADs, ${proxy.counts["manifest-get"]} manifest GETs, ${proxy.counts["blob-get"]} blob downloads`);
} finally {
  await proxy.stop();
  reg.stop();
  rmSync(cacheDir, { recursive: true, force: true });
}
