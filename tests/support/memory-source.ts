/** An in-memory BundleSource for template tests: image `<registry>/<pkg>:v<version>` → a minimal bundle. */
import type { BundleSource, RenderedBundle } from "../../src/bundle/source.js";

export const imageOf = (pkg: string, version: string): string => `quay.io/test/${pkg}:v${version}`;

/** Builds a source holding one bundle per version; `names` overrides the CSV name of some versions. */
export function memorySource(pkg: string, versions: string[], names: Record<string, string> = {}, packageOf: Record<string, string> = {}): BundleSource {
  const byImage = new Map<string, RenderedBundle>();
  for (const v of versions) {
    const p = packageOf[v] ?? pkg;
    byImage.set(imageOf(pkg, v), {
      schema: "olm.bundle",
      name: names[v] ?? `${p}.v${v}`,
      package: p,
      image: imageOf(pkg, v),
      properties: [{ type: "olm.package", value: { packageName: p, version: v } }],
    });
  }
  return {
    description: "memory",
    async renderBundle(image: string) {
      const b = byImage.get(image);
      if (!b) throw new Error(`manifest unknown: ${image}`);
      return [b];
    },
  };
}

/** A semver template text listing versions per archetype. */
export function templateText(pkg: string, lists: Partial<Record<"candidate" | "fast" | "stable", string[]>>, header: string): string {
  let t = header.endsWith("\n") ? header : header + "\n";
  for (const [arch, vs] of Object.entries(lists)) {
    t += `${arch}:\n  bundles:\n` + vs.map((v) => `  - image: ${imageOf(pkg, v)}\n`).join("");
  }
  return t;
}
