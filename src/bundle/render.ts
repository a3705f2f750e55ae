/**
 * Bundle rendering entry points: bundle files → `olm.bundle` blob (opm render of a bundle directory or
 * image), and a BundleSource over local bundle directories.
 */
import { resolve } from "node:path";
import type { BundleSource, RenderedBundle } from "./source.js";
import { readBundleDir, type BundleFiles } from "./files.js";
import { parseBundleFiles } from "./parse.js";
import { toRenderedBundle, withImage } from "./to-fbc.js";
import { UserError } from "../util/errors.js";

/** Renders bundle files to the blob opm prints, with `image: ""` (apply the reference with withImage). */
export function renderBundleFiles(files: BundleFiles): RenderedBundle {
  return toRenderedBundle(parseBundleFiles(files));
}

/** Renders a bundle directory exactly as `opm render <dir>` (image ""). */
export function renderBundleDir(dir: string): RenderedBundle {
  const files = readBundleDir(dir);
  try {
    return renderBundleFiles(files);
  } catch (e) {
    throw new UserError(`render bundle directory ${dir}: ${(e as Error).message}`);
  }
}

/** A BundleSource whose references are bundle directories (relative to `base`); `image` stays "". */
export class DirBundleSource implements BundleSource {
  readonly description: string;
  constructor(private readonly base = ".") {
    this.description = `bundle directories under ${base}`;
  }

  /** Renders the directory named by `ref`. */
  async renderBundle(ref: string): Promise<RenderedBundle[]> {
    return [withImage(renderBundleDir(resolve(this.base, ref)), "")];
  }
}
