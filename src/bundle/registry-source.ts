/**
 * The default BundleSource: renders bundle images pulled straight from their registry (through mirrors
 * when configured), as `opm render <image>` does, with the rendered-bundle cache in front. `image` in
 * the result is the reference exactly as written, or its `@sha256:` pin with pinDigests.
 */
import type { BundleSource, RenderedBundle } from "./source.js";
import { BundleCache } from "./cache.js";
import { bundleFilesFromTree } from "./files.js";
import { renderBundleFiles } from "./render.js";
import { withImage } from "./to-fbc.js";
import { RegistryClient, RegistryError } from "../image/client.js";
import { applyMirrors, type Mirror } from "../image/mirrors.js";
import { imageFilesystem, imageLabels, pullImage } from "../image/pull.js";
import { formatReference, manifestReference, parseReference, pinnedReference } from "../image/reference.js";
import { BUNDLE_LABELS } from "./from-fbc.js";
import { CONFIGS_LABEL } from "../image/catalog-image.js";
import { UserError } from "../util/errors.js";

export interface RegistrySourceOptions {
  client?: RegistryClient;
  mirrors?: Mirror[];
  /** Write `name@sha256:<manifest digest>` as the bundle image instead of the reference as typed. */
  pinDigests?: boolean;
  /** The rendered-bundle cache; null turns caching off. */
  cache?: BundleCache | null;
}

/** opm's check of an image's type by label: bundles only (the semver template accepts nothing else). */
function checkBundleLabels(labels: Record<string, string>, image: string): void {
  if (BUNDLE_LABELS.package in labels) return;
  if (CONFIGS_LABEL in labels) throw new UserError(`${image} is a catalog image, not a bundle: cannot render declarative config image: not allowed`);
  if ("operators.operatorframework.io.index.database.v1" in labels) throw new UserError(`${image}: sqlite-based index images are no longer supported`);
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) throw new UserError(`render "${image}": image type could not be determined: image has no labels`);
  throw new UserError(`render "${image}": image type could not be determined, found labels\n${keys.map((k) => `  ${k}=${labels[k]}`).join("\n")}`);
}

export class RegistryBundleSource implements BundleSource {
  readonly description: string;
  private readonly client: RegistryClient;
  private readonly mirrors: Mirror[];
  private readonly cache: BundleCache | null;

  constructor(private readonly opts: RegistrySourceOptions = {}) {
    this.client = opts.client ?? new RegistryClient();
    this.mirrors = opts.mirrors ?? [];
    this.cache = opts.cache === undefined ? new BundleCache() : opts.cache;
    this.description = this.mirrors.length ? `registries (mirrors ${this.mirrors.map((m) => `${m.from}=${m.to}`).join(", ")})` : "registries";
  }

  /** Resolves the image to its manifest digest, then renders it from the cache or by pulling it. */
  async renderBundle(image: string): Promise<RenderedBundle[]> {
    const ref = parseReference(image);
    const from = applyMirrors(ref, this.mirrors);
    const mirrored = from.registry !== ref.registry || from.repository !== ref.repository;
    const label = mirrored ? `${image} (pulled from ${formatReference(from)})` : image;
    const digest = ref.digest ?? (await this.client.headManifest(from, manifestReference(from), label)).digest;
    let rendered = this.cache?.get(digest);
    if (!rendered) {
      const pulled = await pullImage(this.client, from, label, digest);
      checkBundleLabels(imageLabels(pulled), label);
      const files = bundleFilesFromTree(await imageFilesystem(pulled, label));
      try {
        rendered = renderBundleFiles(files);
      } catch (e) {
        throw new RegistryError(`${label}: ${(e as Error).message}`);
      }
      this.cache?.put(digest, rendered);
    }
    return [withImage(rendered, this.opts.pinDigests ? pinnedReference(image, digest) : image)];
  }
}
