/**
 * `image build`: the catalog image, built without a daemon and reproducibly, tagged from the git ref
 * (tags.ts) and optionally pushed; `image extract`: a catalog image's /configs back into a folder.
 */
import type { Command } from "commander";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildCatalogImage, CONFIGS_LABEL } from "../../image/catalog-image.js";
import { RegistryClient } from "../../image/client.js";
import { applyMirrors, mirrorsFrom } from "../../image/mirrors.js";
import { imageFilesystem, imageLabels, pullImage, type PulledImage } from "../../image/pull.js";
import { pushImage } from "../../image/push.js";
import { formatReference, parseReference } from "../../image/reference.js";
import { subtree } from "../../image/filesystem.js";
import { imageReferencesFor } from "../../image/tags.js";
import { validateDir, formatValidationText } from "../../fbc/validate.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { UsageError, UserError } from "../../util/errors.js";
import { progress } from "../progress.js";

export interface ImageBuildOptions {
  repo: string;
  ref: string;
  push?: boolean;
  testsPassed?: boolean;
  base?: string;
  registryMirror?: string[];
}

export interface ImageBuildResult {
  digest: string;
  references: string[];
  pushed: boolean;
}

/** Pulls an image through the mirrors (for a base image, or to extract one). */
async function pull(client: RegistryClient, image: string, mirrorFlags: string[] | undefined): Promise<PulledImage> {
  const from = applyMirrors(parseReference(image), mirrorsFrom(mirrorFlags));
  return pullImage(client, from, image);
}

/** Validates, builds and (with push) publishes the catalog image for `dir`; returns digest and tags. */
export async function buildCatalog(dir: string, opts: ImageBuildOptions, client = new RegistryClient()): Promise<ImageBuildResult> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such catalog directory`);
  if (!opts.repo) throw new UsageError("--repo <registry/repository> is required");
  if (!opts.ref) throw new UsageError("--ref <git ref> is required (e.g. main, refs/tags/v1.2.3)");
  parseReference(`${opts.repo}:x`);
  const verdict = validateDir(dir);
  if (!verdict.passed) throw new UserError(`${dir}: the catalog is invalid, not building it:\n${formatValidationText(verdict)}`);
  const base = opts.base ? await pull(client, opts.base, opts.registryMirror) : undefined;
  const img = await buildCatalogImage(dir, base);
  const references = imageReferencesFor(opts.repo, opts.ref, { testsPassed: !!opts.testsPassed });
  if (!opts.push || references.length === 0) return { digest: img.digest, references, pushed: false };
  const bar = progress("push");
  await pushImage(client, img, references.map(parseReference), (done, total) => bar.tick(done, total));
  bar.done();
  return { digest: img.digest, references, pushed: true };
}

/** Writes the files under a catalog image's configs folder (its label) into `dest`. */
export async function extractCatalog(image: string, dest: string, mirrorFlags?: string[], client = new RegistryClient()): Promise<number> {
  const pulled = await pull(client, image, mirrorFlags);
  const configs = imageLabels(pulled)[CONFIGS_LABEL];
  if (!configs) throw new UserError(`${image} is not a catalog image (no ${CONFIGS_LABEL} label)`);
  const files = subtree(await imageFilesystem(pulled, image), configs);
  let n = 0;
  for (const [path, node] of [...files].sort()) {
    if (path === "") continue;
    const target = join(dest, path);
    if (node.dir) mkdirSync(target, { recursive: true });
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileAtomic(target, node.data);
      n++;
    }
  }
  return n;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Adds `image build` and `image extract` to the CLI. */
export function registerImage(program: Command): void {
  const image = program.command("image").description("build, publish and read catalog images (no docker daemon needed)");
  image
    .command("build")
    .description("build the catalog image of <catalog-dir> (reproducible digest), tagged from --ref; --push publishes it")
    .argument("<catalog-dir>", "the catalog folder, put in the image under /configs")
    .requiredOption("--repo <registry/repository>", "where the image goes, e.g. 127.0.0.1:5000/dbaas-catalog")
    .requiredOption("--ref <git-ref>", "the git ref built: main, vX.Y.Z, platform<name>, platform<name>/vX.Y.Z (refs/heads/… and refs/tags/… too)")
    .option("--push", "push the image under every tag of the ref")
    .option("--tests-passed", "the tests passed for this commit (main then also gets :latest)")
    .option("--base <image>", "build on this image (e.g. an opm image in the local registry) instead of an empty base")
    .option("--registry-mirror <registry=mirror>", "pull the base image through a mirror (repeatable; default DBAAS_REGISTRY_MIRRORS)", collect)
    .action(async (dir: string, opts: ImageBuildOptions) => {
      const r = await buildCatalog(dir, opts);
      if (r.references.length === 0) process.stderr.write(`ref "${opts.ref}" is not published (only main, vX.Y.Z tags and platform branches are): no tags\n`);
      for (const ref of r.references) process.stdout.write(`${ref}${r.pushed ? "" : "  (not pushed)"}\n`);
      process.stdout.write(`digest ${r.digest}\n`);
    });
  image
    .command("extract")
    .description("pull a catalog image and write its configs folder (/configs) into <dir>")
    .argument("<image>", "catalog image reference")
    .argument("<dir>", "destination folder")
    .option("--registry-mirror <registry=mirror>", "pull through a mirror (repeatable)", collect)
    .action(async (img: string, dest: string, opts: { registryMirror?: string[] }) => {
      const n = await extractCatalog(img, dest, opts.registryMirror);
      process.stdout.write(`${n} files from ${formatReference(parseReference(img))} written to ${dest}\n`);
    });
}
