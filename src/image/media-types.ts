/** OCI and Docker media types of manifests, configs and layers, as the distribution API serves them. */
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
export const OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
export const DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/** Every manifest type we read, for the Accept header. */
export const MANIFEST_TYPES = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST];

/** True for multi-platform manifests (an OCI index or a Docker manifest list). */
export function isIndex(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
}

/** True for uncompressed tar layers (everything else we read is gzip). */
export function isUncompressedLayer(mediaType: string): boolean {
  return mediaType === OCI_LAYER_TAR || mediaType === "application/vnd.docker.image.rootfs.diff.tar";
}
