/**
 * A BundleSource backed by an already rendered catalog: looks bundles up by their `image` field, so a
 * catalog can be re-rendered from its own `catalog.yaml` without any registry.
 */
import { loadFbc } from "../fbc/load.js";
import type { LoadedBundle } from "../fbc/schema.js";
import type { BundleSource, RenderedBundle } from "./source.js";
import { UserError } from "../util/errors.js";

/** The CSV among a bundle's decoded objects, as JSON text. */
export function csvJsonOf(objects: string[] | undefined): string | undefined {
  for (const o of objects ?? []) {
    if (o.includes('"ClusterServiceVersion"') && (JSON.parse(o) as { kind?: string }).kind === "ClusterServiceVersion") return o;
  }
  return undefined;
}

export class FbcBundleSource implements BundleSource {
  private readonly byImage = new Map<string, LoadedBundle[]>();
  readonly description: string;

  constructor(path: string) {
    this.description = path;
    for (const b of loadFbc(path).bundles as LoadedBundle[]) {
      const list = this.byImage.get(b.image) ?? [];
      list.push(b);
      this.byImage.set(b.image, list);
    }
  }

  /** Finds the bundle(s) with this exact image reference. */
  async renderBundle(image: string): Promise<RenderedBundle[]> {
    const found = this.byImage.get(image);
    if (!found) throw new UserError(`bundle image "${image}" not found in ${this.description}`);
    return found.map(({ objects, ...b }) => ({ ...b, csvJson: csvJsonOf(objects) }));
  }
}
