/**
 * Daemonless, reproducible image assembly: layers from in-memory files (reproducible tar + gzip), a
 * config with fixed timestamps and canonical JSON, and an OCI (or Docker v2) manifest. The same inputs
 * always give the same manifest digest. Used for catalog images and for bundle images.
 */
import { goMarshal } from "../bundle/gojson-marshal.js";
import { sha256Digest } from "./digest.js";
import { DOCKER_CONFIG, DOCKER_LAYER_GZIP, DOCKER_MANIFEST, OCI_CONFIG, OCI_LAYER_GZIP, OCI_MANIFEST } from "./media-types.js";
import type { ImageBlob, ImageConfig, PulledImage } from "./pull.js";
import { gzipReproducible, packTar, type TarEntry } from "./tar.js";

/** The fixed creation time of every image we build (1970-01-01), so builds are reproducible. */
export const EPOCH = "1970-01-01T00:00:00Z";

export type ManifestFormat = "oci" | "docker";

export interface BuiltImage {
  digest: string;
  mediaType: string;
  manifest: Buffer;
  config: ImageBlob;
  /** Base layers first, then ours. */
  layers: ImageBlob[];
  /** The image built on, if any: its layers can be mounted from there. */
  base?: PulledImage;
}

export interface ImageSpec {
  /** Each layer is a list of entries (files, dirs, symlinks). */
  layers: TarEntry[][];
  labels?: Record<string, string>;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  /** The user processes run as, e.g. "1001". */
  user?: string;
  /** What each layer was made by, for the config history. */
  createdBy?: string[];
  base?: PulledImage;
  format?: ManifestFormat;
}

/** Builds one reproducible gzip layer; returns the blob and the digest of its uncompressed tar (diff ID). */
export async function buildLayer(entries: TarEntry[], format: ManifestFormat = "oci"): Promise<{ blob: ImageBlob; diffId: string }> {
  const tarData = await packTar(entries);
  const data = gzipReproducible(tarData);
  return {
    blob: { mediaType: format === "oci" ? OCI_LAYER_GZIP : DOCKER_LAYER_GZIP, digest: sha256Digest(data), size: data.length, data },
    diffId: sha256Digest(tarData),
  };
}

/** The base image's config and layers, or an empty linux/amd64 one (a `FROM scratch` image). */
function baseParts(base: PulledImage | undefined): { config: ImageConfig; layers: ImageBlob[] } {
  if (!base) return { config: { architecture: "amd64", os: "linux", config: {}, rootfs: { type: "layers", diff_ids: [] }, history: [] }, layers: [] };
  const c = base.config.json;
  return {
    config: { ...c, config: { ...(c.config ?? {}) }, rootfs: { type: "layers", diff_ids: [...(c.rootfs?.diff_ids ?? [])] }, history: [...(c.history ?? [])] },
    layers: base.layers,
  };
}

/** Assembles an image from a spec: base layers + new layers, merged labels, entrypoint and cmd. */
export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const format = spec.format ?? "oci";
  const { config, layers } = baseParts(spec.base);
  const newLayers: ImageBlob[] = [];
  for (const [i, entries] of spec.layers.entries()) {
    const { blob, diffId } = await buildLayer(entries, format);
    newLayers.push(blob);
    config.rootfs!.diff_ids.push(diffId);
    config.history!.push({ created: EPOCH, created_by: spec.createdBy?.[i] ?? "dbaas-catalog image build" });
  }
  const inner = config.config!;
  if (spec.labels) inner.Labels = { ...(inner.Labels ?? {}), ...spec.labels };
  if (spec.entrypoint) inner.Entrypoint = spec.entrypoint;
  if (spec.cmd) inner.Cmd = spec.cmd;
  if (spec.env) inner.Env = spec.env;
  if (spec.user) inner["User"] = spec.user;
  config.created = EPOCH;
  const configData = Buffer.from(goMarshal(config));
  const configBlob: ImageBlob = { mediaType: format === "oci" ? OCI_CONFIG : DOCKER_CONFIG, digest: sha256Digest(configData), size: configData.length, data: configData };
  const all = [...layers, ...newLayers];
  const mediaType = format === "oci" ? OCI_MANIFEST : DOCKER_MANIFEST;
  const desc = (b: ImageBlob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config: desc(configBlob), layers: all.map(desc) }));
  return { digest: sha256Digest(manifest), mediaType, manifest, config: configBlob, layers: all, base: spec.base };
}
