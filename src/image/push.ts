/**
 * Pushing a built image to one or more references: blobs once per repository (skipped when present,
 * mounted from the base image's repository on the same registry), then the manifest under each tag.
 */
import { RegistryClient } from "./client.js";
import type { BuiltImage } from "./build.js";
import { formatReference, type ImageReference } from "./reference.js";

export interface PushResult {
  digest: string;
  references: string[];
  /** Blobs actually uploaded (others existed or were mounted). */
  uploaded: number;
}

/** Pushes `img` to every reference (each with a tag); returns the manifest digest. */
export async function pushImage(
  client: RegistryClient,
  img: BuiltImage,
  targets: ImageReference[],
  onBlob?: (done: number, total: number) => void,
): Promise<PushResult> {
  const repos = new Map<string, ImageReference[]>();
  for (const t of targets) {
    const k = `${t.registry}/${t.repository}`;
    repos.set(k, [...(repos.get(k) ?? []), t]);
  }
  const blobs = [...img.layers, img.config];
  const baseDigests = new Set(img.base?.layers.map((l) => l.digest) ?? []);
  let uploaded = 0;
  let done = 0;
  const total = blobs.length * repos.size;
  for (const refs of repos.values()) {
    const repo = refs[0]!;
    const label = formatReference(repo);
    for (const b of blobs) {
      const mountFrom = img.base && baseDigests.has(b.digest) && img.base.from.registry === repo.registry ? img.base.from.repository : undefined;
      if ((await client.pushBlob(repo, b.data, b.digest, label, mountFrom)) === "uploaded") uploaded++;
      onBlob?.(++done, total);
    }
    for (const r of refs) {
      const d = await client.putManifest(r, r.tag ?? img.digest, img.manifest, img.mediaType, formatReference(r));
      if (d !== img.digest) throw new Error(`registry stored ${formatReference(r)} as ${d}, expected ${img.digest}`);
    }
  }
  return { digest: img.digest, references: targets.map(formatReference), uploaded };
}
