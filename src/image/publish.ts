/**
 * Publishing catalog images: validate, build reproducibly, tag from the git ref (tags.ts) and push; and
 * reading a published catalog image's /configs back. Used by the CLI and by the Pulumi program.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { BuiltImage } from "./build.js";
import { buildCatalogImage, CONFIGS_LABEL } from "./catalog-image.js";
import { RegistryClient } from "./client.js";
import { applyMirrors, mirrorsFrom } from "./mirrors.js";
import { imageFilesystem, imageLabels, pullImage, type PulledImage } from "./pull.js";
import { pushImage } from "./push.js";
import { parseReference } from "./reference.js";
import { subtree } from "./filesystem.js";
import { imageReferencesFor } from "./tags.js";
import { validateDir, formatValidationText } from "../fbc/validate.js";
import { writeFileAtomic } from "../util/atomic.js";
import { UsageError, UserError } from "../util/errors.js";

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
  /** The image built (for pushing it under other tags). */
  image: BuiltImage;
  references: string[];
  pushed: boolean;
}

/** Pulls an image through the mirrors (for a base image, or to extract one). */
async function pull(client: RegistryClient, image: string, mirrorFlags: string[] | undefined): Promise<PulledImage> {
  const from = applyMirrors(parseReference(image), mirrorsFrom(mirrorFlags));
  return pullImage(client, from, image);
}

/** Validates, builds and (with push) publishes the catalog image for `dir`; returns digest and tags. */
export async function buildCatalog(
  dir: string,
  opts: ImageBuildOptions,
  client = new RegistryClient(),
  onBlob?: (done: number, total: number) => void,
): Promise<ImageBuildResult> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such catalog directory`);
  if (!opts.repo) throw new UsageError("--repo <registry/repository> is required");
  if (!opts.ref) throw new UsageError("--ref <git ref> is required (e.g. main, refs/tags/v1.2.3)");
  parseReference(`${opts.repo}:x`);
  const verdict = validateDir(dir);
  if (!verdict.passed) throw new UserError(`${dir}: the catalog is invalid, not building it:\n${formatValidationText(verdict)}`);
  const base = opts.base ? await pull(client, opts.base, opts.registryMirror) : undefined;
  const img = await buildCatalogImage(dir, base);
  const references = imageReferencesFor(opts.repo, opts.ref, { testsPassed: !!opts.testsPassed });
  if (!opts.push || references.length === 0) return { digest: img.digest, image: img, references, pushed: false };
  await pushImage(client, img, references.map(parseReference), onBlob);
  return { digest: img.digest, image: img, references, pushed: true };
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
