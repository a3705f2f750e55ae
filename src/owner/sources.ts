/**
 * Where owner tooling gets bundles from: the operator's committed catalog.yaml for the bundles it already
 * has (so existing bundles never change under an edit), then `--bundles-from <fbc>` or the registry source
 * for new ones.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FbcBundleSource } from "../bundle/fbc-source.js";
import type { BundleSource, RenderedBundle } from "../bundle/source.js";
import { getRegistrySourceFactory } from "../bundle/default-source.js";
import { UsageError, UserError, errorMessage } from "../util/errors.js";

/** Tries sources in order; the first that renders an image wins (each source's error is kept for the message). */
export class LayeredSource implements BundleSource {
  readonly description: string;
  constructor(private readonly sources: BundleSource[]) {
    this.description = sources.map((s) => s.description).join(" + ");
  }

  /** Renders from the first source that has the image. */
  async renderBundle(image: string): Promise<RenderedBundle[]> {
    const errors: string[] = [];
    for (const s of this.sources) {
      try {
        return await s.renderBundle(image);
      } catch (e) {
        errors.push(errorMessage(e));
      }
    }
    throw new UserError(errors.join("; ") || `no bundle source for "${image}"`);
  }
}


export interface SourceOptions {
  bundlesFrom?: string;
  /** Use the registry source (fails when none is wired). */
  registry?: boolean;
}

/**
 * When the registry is used without `--registry`: `required` (a source is needed; error without one),
 * `if-wired` (whenever a registry source is wired), `if-asked` (never).
 */
export type SourceNeed = "required" | "if-wired" | "if-asked";

/** The source of new bundles: `--bundles-from`, else the registry source per `need`. */
export function externalSource(dir: string, opts: SourceOptions, need: SourceNeed): BundleSource | undefined {
  if (opts.bundlesFrom) {
    if (!existsSync(opts.bundlesFrom)) throw new UserError(`--bundles-from ${opts.bundlesFrom}: no such file or directory`);
    return new FbcBundleSource(opts.bundlesFrom);
  }
  const required = need === "required";
  const factory = getRegistrySourceFactory();
  if (factory && (opts.registry || need !== "if-asked")) return factory(dir, { compat: "current", output: "yaml" });
  if (opts.registry) throw new UsageError("--registry: no registry bundle source is wired into this build; use --bundles-from <fbc>");
  if (required) throw new UsageError("no bundle source for new bundles: pass --bundles-from <fbc file or dir> (no registry source is wired)");
  return undefined;
}

/** Whether a source can render an image (a lookup, no error). */
async function has(source: BundleSource, image: string): Promise<boolean> {
  try {
    await source.renderBundle(image);
    return true;
  } catch {
    return false;
  }
}

/**
 * The operator's own catalog.yaml first (when it exists), then the external source; the external source is
 * required only when one of `newImages` is not in the committed catalog.
 */
export async function ownerSource(dir: string, opts: SourceOptions, newImages: string[]): Promise<BundleSource> {
  const own = join(dir, "catalog.yaml");
  const layers: BundleSource[] = [];
  if (existsSync(own)) layers.push(new FbcBundleSource(own));
  let missing = layers.length === 0;
  for (const image of newImages) if (!missing && !(await has(layers[0]!, image))) missing = true;
  const ext = externalSource(dir, opts, missing ? "required" : "if-asked");
  if (ext) layers.push(ext);
  return layers.length === 1 ? layers[0]! : new LayeredSource(layers);
}
