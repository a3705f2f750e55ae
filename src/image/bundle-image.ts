/**
 * A registry+v1 bundle image, as `opm alpha bundle build` makes it (FROM scratch, manifests/ and
 * metadata/ at the root, the bundle annotations as labels), built without a daemon.
 */
import type { BundleFiles } from "../bundle/files.js";
import { buildImage, type BuiltImage, type ManifestFormat } from "./build.js";
import type { TarEntry } from "./tar.js";

/** The image for bundle files with `labels` (the annotations); `format` picks OCI or Docker v2 media types. */
export async function buildBundleImage(files: BundleFiles, labels: Record<string, string>, format: ManifestFormat = "oci"): Promise<BuiltImage> {
  const entries: TarEntry[] = [
    { path: "manifests", type: "directory" },
    { path: "metadata", type: "directory" },
    ...files.manifests.filter((f) => !f.dir).map((f): TarEntry => ({ path: `manifests/${f.name}`, type: "file", data: f.data })),
    ...files.metadata.filter((f) => !f.dir).map((f): TarEntry => ({ path: `metadata/${f.name}`, type: "file", data: f.data })),
  ];
  return buildImage({ layers: [entries], labels, createdBy: ["COPY manifests/ metadata/ /"], format });
}
