/**
 * CatalogImage: the catalog directory as an OCI image (opm serving /configs), tagged with the git ref and
 * exposed as a reference pinned by digest. Built with the Docker engine (@pulumi/docker), with an
 * injected daemonless builder, or not built at all (a digest-pinned image from config).
 */
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import type { BuildMode } from "../src/platform/config.js";
import { isDigestRef } from "../src/platform/config.js";

/** Registry credentials handed to a builder; only ever unwrapped inside an apply. */
export interface RegistryAuth {
  server: string;
  username: string;
  password: string;
}

/**
 * Builds (and, when `push`, pushes) the image of catalog directory `dir` as `repo:ref` without a Docker
 * engine. Must return the reference pinned by digest; with `push` false (preview) it computes the digest
 * the push would produce, so preview shows the exact image.
 */
export interface CatalogImageBuilder {
  build(dir: string, repo: string, ref: string, push: boolean, auth?: RegistryAuth, base?: string): Promise<{ digestRef: string; tags: string[] }>;
}

export interface CatalogImageArgs {
  /** Absolute path of the catalog directory (the build context). */
  dir: string;
  build: BuildMode;
  /** Repository (build docker/daemonless) or digest-pinned reference (build none). */
  image: string;
  /** Tag: the git ref. */
  ref: string;
  push: boolean;
  opmImage: string;
  builder?: CatalogImageBuilder;
  registry?: { server: string; username: string; password: pulumi.Input<string> };
}

/** Why a daemonless build cannot run: no builder was injected. */
export const MISSING_BUILDER =
  '"daemonless" needs a CatalogImageBuilder and none is wired in index.ts; use build "docker" (with a Docker engine) or "none" (a digest-pinned image) meanwhile';

/** The Dockerfile of the catalog image, beside this file (outside the build context). */
export const CATALOG_DOCKERFILE = fileURLToPath(new URL("./catalog.Dockerfile", import.meta.url));

/** The catalog image of the stack: built by Docker or daemonless for the git ref, or taken as a pinned digest. */
export class CatalogImage extends pulumi.ComponentResource {
  /** `repo@sha256:…` (with build docker and push off: `repo:ref`, the local image). */
  readonly imageRef: pulumi.Output<string>;
  readonly tags: pulumi.Output<string[]>;

  constructor(name: string, args: CatalogImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbaas:platform:CatalogImage", name, {}, opts);
    const tag = `${args.image}:${args.ref}`;
    switch (args.build) {
      case "none":
        this.imageRef = pulumi.output(args.image);
        this.tags = pulumi.output([]);
        break;
      case "docker": {
        const image = new docker.Image(
          `${name}-docker`,
          {
            imageName: tag,
            build: { context: args.dir, dockerfile: CATALOG_DOCKERFILE, platform: "linux/amd64", args: { OPM_IMAGE: args.opmImage } },
            registry: args.registry,
            skipPush: !args.push,
          },
          { parent: this },
        );
        this.imageRef = args.push ? image.repoDigest : image.imageName;
        this.tags = pulumi.output([tag]);
        break;
      }
      case "daemonless": {
        const builder = args.builder;
        if (!builder) {
          throw new pulumi.RunError(MISSING_BUILDER);
        }
        const push = args.push && !pulumi.runtime.isDryRun();
        const reg = args.registry;
        const built = pulumi
          .output(reg?.password)
          .apply((password) => builder.build(args.dir, args.image, args.ref, push, reg && password !== undefined ? { ...reg, password } : undefined, args.opmImage))
          .apply((r) => {
            if (!isDigestRef(r.digestRef)) throw new pulumi.ResourceError(`the catalog image builder returned "${r.digestRef}", not a digest-pinned reference`, this);
            return r;
          });
        // The credentials made the result secret; the digest and tags are not.
        this.imageRef = pulumi.unsecret(built.apply((r) => r.digestRef));
        this.tags = pulumi.unsecret(built.apply((r) => r.tags));
        break;
      }
    }
    this.registerOutputs({ imageRef: this.imageRef, tags: this.tags });
  }
}
