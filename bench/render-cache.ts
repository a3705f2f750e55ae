/**
 * The rendered-bundle cache: renders the six Percona veneers and the 7 real bundles from a local
 * registry (fixture images, through a counting proxy) with an empty cache, then again unchanged, and
 * prints both wall times, the ratio (goal: >= 20x) and the requests of the second render.
 *   node --import tsx bench/render-cache.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleCache } from "../src/bundle/cache.js";
import { RegistryBundleSource } from "../src/bundle/registry-source.js";
import { RegistryClient } from "../src/image/client.js";
import { parseMirrors } from "../src/image/mirrors.js";
import { renderSemverTemplateText } from "../src/template/semver/render.js";
import { BUNDLE_DIR_REGISTRY, fixtureMirrors, pushFixtures, realBundleDirs } from "../scripts/fixtures-push.js";
import { OPERATORS, PERCONA } from "../tests/support/paths.js";
import { RegistryProxy } from "../tests/support/registry-proxy.js";
import { startRegistry } from "../tests/support/registry.js";

async function renderEverything(proxy: string, cacheDir: string): Promise<number> {
  const client = new RegistryClient({ auth: { auths: {}, credHelpers: {} } });
  const source = new RegistryBundleSource({ client, mirrors: parseMirrors(fixtureMirrors(proxy)), cache: new BundleCache(cacheDir) });
  const t0 = process.hrtime.bigint();
  for (const op of OPERATORS) {
    const file = join(PERCONA, op, "veneer.yaml");
    await renderSemverTemplateText(readFileSync(file, "utf8"), file, source, { compat: "veneer" });
  }
  await Promise.all(realBundleDirs().map(([pkg, version]) => source.renderBundle(`${BUNDLE_DIR_REGISTRY}/${pkg}:${version}`)));
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const reg = await startRegistry();
const cacheDir = mkdtempSync(join(tmpdir(), "bench-cache-"));
const proxy = new RegistryProxy(reg.address);
try {
  const pushed = await pushFixtures(reg.address, new RegistryClient({ auth: { auths: {}, credHelpers: {} } }));
  await proxy.start();
  await renderEverything(proxy.address, mkdtempSync(join(tmpdir(), "bench-warmup-")));
  proxy.resetCounts();
  const first = await renderEverything(proxy.address, cacheDir);
  const firstBlobs = proxy.counts["blob-get"];
  proxy.resetCounts();
  const second = await renderEverything(proxy.address, cacheDir);
  console.log(`bundle images: ${pushed.length} (6 Percona veneers + 7 real bundles), registry ${reg.address}`);
  console.log(`first render (empty cache):  ${first.toFixed(0)} ms, ${firstBlobs} blob downloads`);
  console.log(`second render (unchanged):   ${second.toFixed(0)} ms, ${proxy.counts["blob-get"]} blob downloads, ${proxy.counts["manifest-head"]} manifest HEADs, ${proxy.counts["manifest-get"]} manifest GETs`);
  console.log(`ratio: ${(first / second).toFixed(1)}x (goal >= 20x)`);
} finally {
  await proxy.stop();
  reg.stop();
  rmSync(cacheDir, { recursive: true, force: true });
}
