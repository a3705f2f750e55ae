/**
 * Publishes the fixture bundles as real bundle images in a (local) registry, so rendering from a
 * registry can be tested on real data without internet:
 *
 * - every `olm.bundle` of the Percona fixture catalogs, rebuilt into a bundle image (manifests/ from its
 *   `olm.bundle.object`s, metadata/annotations.yaml with package and channels, the bundle labels) and
 *   pushed under the repository path and tag of its original reference, as Docker v2 schema2 images:
 *   quay.io/operatorhubio/percona-xtradb-cluster-operator:v1.10.0
 *     → <registry>/operatorhubio/percona-xtradb-cluster-operator:v1.10.0
 * - the 7 real bundle directories of fixtures/bundles, as OCI images under the reference the community
 *   catalog pipeline publishes them at: quay.io/community-operator-pipeline-prod/<package>:<version>
 *     → <registry>/community-operator-pipeline-prod/<package>:<version>
 *
 * Then render with `--registry-mirror quay.io=<registry> --registry-mirror docker.io=<registry>`.
 *
 *   npm run fixtures:push [-- --registry 127.0.0.1:5000]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { loadFbc } from "../src/fbc/load.js";
import { bundleFilesFromFbc, channelsOf } from "../src/bundle/from-fbc.js";
import { readBundleDir, type BundleFiles } from "../src/bundle/files.js";
import { buildBundleImage } from "../src/image/bundle-image.js";
import type { ManifestFormat } from "../src/image/build.js";
import { RegistryClient } from "../src/image/client.js";
import { pushImage } from "../src/image/push.js";
import { parseReference } from "../src/image/reference.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SHARED = process.env["DBAAS_SHARED"] ?? resolve(REPO, "..", "shared");

/** Where the real bundle directories are published upstream (the community operators pipeline). */
export const BUNDLE_DIR_REGISTRY = "quay.io/community-operator-pipeline-prod";

export interface FixtureImage {
  /** The realistic reference veneers use. */
  reference: string;
  files: BundleFiles;
  labels: Record<string, string>;
  format: ManifestFormat;
  /** Where the content came from (for messages). */
  source: string;
}

/** Every bundle of the Percona fixture catalogs, as bundle image contents. */
export function perconaFixtureImages(root = join(SHARED, "fixtures", "percona-dbaas-catalog")): FixtureImage[] {
  const out: FixtureImage[] = [];
  for (const op of readdirSync(root).sort()) {
    const file = join(root, op, "catalog.yaml");
    if (!existsSync(file)) continue;
    const cfg = loadFbc(file);
    for (const b of cfg.bundles) {
      const pkg = cfg.packages.find((p) => p.name === b.package);
      const { files, labels } = bundleFilesFromFbc(b, channelsOf(cfg, b.package, b.name), pkg?.defaultChannel);
      out.push({ reference: b.image, files, labels, format: "docker", source: `${file} (${b.name})` });
    }
  }
  return out;
}

/** The real bundle directories (`<root>/<pkg>/<version>/{manifests,metadata}`) as [package, version, dir]. */
export function realBundleDirs(root = join(SHARED, "fixtures", "bundles")): [string, string, string][] {
  return readdirSync(root)
    .filter((pkg) => !pkg.endsWith(".md"))
    .sort()
    .flatMap((pkg) => readdirSync(join(root, pkg)).sort().map((v): [string, string, string] => [pkg, v, join(root, pkg, v)]));
}

/** The real bundle directories as bundle image contents (labels = their annotations). */
export function bundleDirFixtureImages(root = join(SHARED, "fixtures", "bundles")): FixtureImage[] {
  return realBundleDirs(root).map(([pkg, version, dir]) => {
    const ann = parseYaml(readFileSync(join(dir, "metadata", "annotations.yaml"), "utf8")) as { annotations?: Record<string, unknown> };
    const labels = Object.fromEntries(Object.entries(ann.annotations ?? {}).map(([k, v]) => [k, String(v)]));
    return { reference: `${BUNDLE_DIR_REGISTRY}/${pkg}:${version}`, files: readBundleDir(dir), labels, format: "oci" as const, source: dir };
  });
}

/** The local reference for an original one: same repository path and tag, on `registry`. */
export function localReference(original: string, registry: string): string {
  const r = parseReference(original);
  return `${registry}/${r.repository}:${r.tag ?? "latest"}`;
}

/** The mirror flags that send the fixtures' original references to `registry`. */
export function fixtureMirrors(registry: string): string[] {
  return [`quay.io=${registry}`, `docker.io=${registry}`];
}

export interface PushedFixture {
  reference: string;
  local: string;
  digest: string;
  source: string;
}

/** Builds and pushes every fixture image to `registry` (host:port); returns what went where. */
export async function pushFixtures(registry: string, client = new RegistryClient(), images = [...perconaFixtureImages(), ...bundleDirFixtureImages()]): Promise<PushedFixture[]> {
  const out: PushedFixture[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < images.length) {
      const img = images[next++]!;
      const built = await buildBundleImage(img.files, img.labels, img.format);
      const local = localReference(img.reference, registry);
      await pushImage(client, built, [parseReference(local)]);
      out.push({ reference: img.reference, local, digest: built.digest, source: img.source });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out.sort((a, b) => (a.reference < b.reference ? -1 : 1));
}

async function main(argv: string[]): Promise<void> {
  const i = argv.indexOf("--registry");
  const registry = i !== -1 ? argv[i + 1]! : `127.0.0.1:${process.env["DBAAS_REGISTRY_PORT"] ?? "5000"}`;
  const pushed = await pushFixtures(registry);
  for (const p of pushed) console.log(`${p.reference}\t${p.local}\t${p.digest}`);
  console.log(`pushed ${pushed.length} bundle images to ${registry}; render with ${fixtureMirrors(registry).map((m) => `--registry-mirror ${m}`).join(" ")}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`fixtures-push: ${e.message}`);
    process.exit(1);
  });
}
