/**
 * The opm base image of our catalog images, built from binaries our scripts compiled from Go modules
 * (quay.io/operator-framework/opm cannot be pulled here, and we never fetch prebuilt binaries): `/bin/opm`
 * for `opm serve`, `/bin/grpc_health_probe` for the readiness and liveness probes OLM puts on catalog pods
 * (`grpc_health_probe -addr=:50051`), and a world-writable `/tmp` for opm's serve cache, running as a
 * non-root user as OLM's restricted pods require. Reproducible like every image we build.
 */
import { buildImage, type BuiltImage } from "./build.js";
import type { TarEntry } from "./tar.js";

export interface OpmBaseInput {
  /** The opm binary (static, linux). */
  opm: Buffer;
  /** The grpc_health_probe binary; without it OLM's probes fail on a real cluster. */
  grpcHealthProbe?: Buffer;
  /** opm's version, recorded as a label. */
  version: string;
}

/** The user of the image: OLM runs restricted catalog pods as 1001 too. */
export const OPM_BASE_USER = "1001";

/** Builds the opm base image (the same binaries give the same digest). */
export function buildOpmBaseImage(input: OpmBaseInput): Promise<BuiltImage> {
  const entries: TarEntry[] = [
    { path: "bin", type: "directory" },
    { path: "bin/opm", type: "file", data: input.opm, mode: 0o755 },
    { path: "tmp", type: "directory", mode: 0o1777 },
  ];
  if (input.grpcHealthProbe) entries.push({ path: "bin/grpc_health_probe", type: "file", data: input.grpcHealthProbe, mode: 0o755 });
  return buildImage({
    layers: [entries],
    createdBy: [`COPY opm ${input.version}${input.grpcHealthProbe ? " and grpc_health_probe" : ""} (built from Go modules)`],
    labels: { "org.opencontainers.image.title": "opm", "org.opencontainers.image.version": input.version },
    entrypoint: ["/bin/opm"],
    env: ["PATH=/bin"],
    user: OPM_BASE_USER,
  });
}
