/**
 * Pulling an image without a daemon: resolve the manifest (picking linux/amd64 — or the only entry —
 * from an index), download and verify the config and layers, and unpack them into an in-memory
 * filesystem.
 */
import { RegistryClient, RegistryError, type Descriptor } from "./client.js";
import { applyLayer, type ImageFs } from "./filesystem.js";
import { isIndex, isUncompressedLayer } from "./media-types.js";
import { manifestReference, type ImageReference } from "./reference.js";
import { gunzip, unpackTar } from "./tar.js";

export interface ImageBlob {
  mediaType: string;
  digest: string;
  size: number;
  data: Buffer;
}

export interface PulledImage {
  /** Where it was pulled from. */
  from: ImageReference;
  /** The digest the reference resolved to (the index's, for a multi-platform image). */
  digest: string;
  manifestMediaType: string;
  manifest: Record<string, unknown>;
  config: ImageBlob & { json: ImageConfig };
  layers: ImageBlob[];
}

/** The parts of an OCI/Docker image config we read and write. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  created?: string;
  config?: { Labels?: Record<string, string>; Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; [k: string]: unknown };
  rootfs?: { type: string; diff_ids: string[] };
  history?: Record<string, unknown>[];
  [k: string]: unknown;
}

function pickPlatform(index: Record<string, unknown>, image: string): Descriptor {
  const list = (index["manifests"] as Descriptor[] | undefined) ?? [];
  const arch = process.arch === "arm64" ? "arm64" : "amd64";
  const pick = list.find((m) => m.platform?.os === "linux" && m.platform.architecture === arch) ?? (list.length === 1 ? list[0] : undefined) ?? list.find((m) => m.platform?.os === "linux");
  if (!pick) throw new RegistryError(`${image}: the image index has no linux/${arch} manifest`);
  return pick;
}

/** Resolves `ref` to its platform manifest (one HEAD/GET per level; `digest` short-cuts the tag lookup). */
export async function resolveManifest(
  client: RegistryClient,
  ref: ImageReference,
  image: string,
  digest?: string,
): Promise<{ digest: string; mediaType: string; manifest: Record<string, unknown> }> {
  const top = await client.getManifest(ref, digest ?? manifestReference(ref), image);
  if (!isIndex(top.mediaType)) return { digest: top.digest, mediaType: top.mediaType, manifest: top.json };
  const d = pickPlatform(top.json, image);
  const m = await client.getManifest(ref, d.digest, image);
  return { digest: top.digest, mediaType: m.mediaType, manifest: m.json };
}

/** Downloads an image: manifest, config and every layer (verified by digest and size). */
export async function pullImage(client: RegistryClient, ref: ImageReference, image: string, digest?: string): Promise<PulledImage> {
  const m = await resolveManifest(client, ref, image, digest);
  const configDesc = m.manifest["config"] as Descriptor | undefined;
  const layerDescs = (m.manifest["layers"] as Descriptor[] | undefined) ?? [];
  if (!configDesc?.digest) throw new RegistryError(`${image}: manifest ${m.digest} has no config (media type ${m.mediaType || "unknown"})`);
  const configData = await client.getBlob(ref, configDesc, image, `config ${configDesc.digest}`);
  let json: ImageConfig;
  try {
    json = JSON.parse(configData.toString("utf8")) as ImageConfig;
  } catch {
    throw new RegistryError(`${image}: config ${configDesc.digest} is not JSON`);
  }
  const layers = await Promise.all(
    layerDescs.map(async (d) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size, data: await client.getBlob(ref, d, image, `layer ${d.digest}`) })),
  );
  return { from: ref, digest: m.digest, manifestMediaType: m.mediaType, manifest: m.manifest, config: { ...configDesc, data: configData, json }, layers };
}

/** The image's labels (config.Labels). */
export function imageLabels(img: PulledImage): Record<string, string> {
  return img.config.json.config?.Labels ?? {};
}

/** Unpacks the layers into one filesystem; a layer that does not decompress or untar is named in the error. */
export async function imageFilesystem(img: PulledImage, image: string): Promise<ImageFs> {
  const fs: ImageFs = new Map();
  for (const l of img.layers) {
    let entries;
    try {
      entries = await unpackTar(isUncompressedLayer(l.mediaType) ? l.data : gunzip(l.data));
    } catch (e) {
      throw new RegistryError(`layer ${l.digest} of ${image} is corrupt: ${(e as Error).message}`);
    }
    applyLayer(fs, entries);
  }
  return fs;
}
