/**
 * Semver templates pointed at a local registry, for the differential render against real opm: every
 * bundle `Image` moves to `<registry>/<repository>:<tag>` (the path `npm run fixtures:push` pushes the
 * fixture bundles under), so opm and our renderer pull the same images and write the same `image` strings.
 * Pure: text in, text out; everything but the image references is kept.
 */
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import { parseReference } from "../image/reference.js";

const ARCHETYPE_KEYS = ["Candidate", "Fast", "Stable"];

/** `quay.io/org/op:v1` → `<registry>/org/op:v1` (docker.io short names keep their full path, `library/` included). */
export function localImageReference(image: string, registry: string): string {
  const r = parseReference(image);
  return `${registry}/${r.repository}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

/** The template text with each bundle image moved to `registry`; returns the text and the original → local map. */
export function localizeTemplateImages(text: string, registry: string): { text: string; images: Map<string, string> } {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`template: ${doc.errors[0]!.message}`);
  const images = new Map<string, string>();
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!ARCHETYPE_KEYS.includes(key) || !isMap(pair.value)) continue;
      const bundles = pair.value.get("Bundles", true);
      if (!isSeq(bundles)) continue;
      for (const entry of bundles.items) {
        if (!isMap(entry)) continue;
        const img = entry.get("Image", true);
        if (!isScalar(img) || typeof img.value !== "string") continue;
        const local = localImageReference(img.value, registry);
        images.set(img.value, local);
        img.value = local;
      }
    }
  }
  return { text: doc.toString({ indentSeq: false }), images };
}
