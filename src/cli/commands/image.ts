/**
 * `image build`: the catalog image, built without a daemon and reproducibly, tagged from the git ref
 * (tags.ts) and optionally pushed; `image extract`: a catalog image's /configs back into a folder.
 */
import type { Command } from "commander";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { buildOpmBaseImage } from "../../image/opm-base.js";
import { pushImage } from "../../image/push.js";
import { UserError } from "../../util/errors.js";
import { RegistryClient } from "../../image/client.js";
import { formatReference, parseReference } from "../../image/reference.js";
import { buildCatalog, extractCatalog, type ImageBuildOptions } from "../../image/publish.js";
import { progress } from "../progress.js";

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** The version an opm binary reports (`opm version`), to label the base image with. */
function opmVersionOf(opm: string): string {
  const r = spawnSync(opm, ["version"], { encoding: "utf8" });
  const v = /OpmVersion:"([^"]*)"/.exec(r.stdout ?? "")?.[1];
  if (r.status !== 0 || !v) throw new UserError(`${opm}: not an opm binary (\`opm version\` ${r.error ? `failed: ${r.error.message}` : `exited ${r.status}`})`);
  return v;
}

/** A binary the base image needs, read whole. */
function binary(path: string, flag: string): Buffer {
  if (!existsSync(path)) throw new UserError(`${flag} ${path}: no such file (build it with scripts/tools/build.sh)`);
  return readFileSync(path);
}

/** Adds `image build`, `image base` and `image extract` to the CLI. */
export function registerImage(program: Command): void {
  const image = program.command("image").description("build, publish and read catalog images (no docker daemon needed)");
  image
    .command("build")
    .description("build the catalog image of <catalog-dir> (reproducible digest), tagged from --ref; --push publishes it")
    .argument("<catalog-dir>", "the catalog folder, put in the image under /configs")
    .requiredOption("--repo <registry/repository>", "where the image goes, e.g. 127.0.0.1:5000/dbaas-catalog")
    .requiredOption("--ref <git-ref>", "the git ref built: main, vX.Y.Z, platform<name>, platform<name>/vX.Y.Z (refs/heads/… and refs/tags/… too)")
    .option("--push", "push the image under every tag of the ref")
    .option("--tests-passed", "the tests passed for this commit (main then also gets :latest)")
    .option("--base <image>", "build on this image (e.g. an opm image in the local registry) instead of an empty base")
    .option("--registry-mirror <registry=mirror>", "pull the base image through a mirror (repeatable; default DBAAS_REGISTRY_MIRRORS)", collect)
    .action(async (dir: string, opts: ImageBuildOptions) => {
      const bar = progress("push");
      const r = await buildCatalog(dir, opts, new RegistryClient(), (done, total) => bar.tick(done, total));
      bar.done();
      if (r.references.length === 0) process.stderr.write(`ref "${opts.ref}" is not published (only main, vX.Y.Z tags and platform branches are): no tags\n`);
      for (const ref of r.references) process.stdout.write(`${ref}${r.pushed ? "" : "  (not pushed)"}\n`);
      process.stdout.write(`digest ${r.digest}\n`);
    });
  image
    .command("base")
    .description("build the opm base image of catalog images from opm (and grpc_health_probe) binaries built here; --push publishes it")
    .argument("<reference>", "e.g. 127.0.0.1:5000/operator-framework/opm:v1.73.0")
    .requiredOption("--opm <file>", "the opm binary (scripts/tools/build.sh opm)")
    .option("--grpc-health-probe <file>", "the grpc_health_probe binary OLM's catalog pod probes run (scripts/tools/build.sh grpc-health-probe)")
    .option("--push", "push the image")
    .action(async (reference: string, opts: { opm: string; grpcHealthProbe?: string; push?: boolean }) => {
      const target = parseReference(reference);
      const img = await buildOpmBaseImage({
        opm: binary(opts.opm, "--opm"),
        grpcHealthProbe: opts.grpcHealthProbe ? binary(opts.grpcHealthProbe, "--grpc-health-probe") : undefined,
        version: opmVersionOf(opts.opm),
      });
      if (opts.push) await pushImage(new RegistryClient(), img, [target]);
      process.stdout.write(`${formatReference(target)}${opts.push ? "" : "  (not pushed)"}\ndigest ${img.digest}\n`);
    });
  image
    .command("extract")
    .description("pull a catalog image and write its configs folder (/configs) into <dir>")
    .argument("<image>", "catalog image reference")
    .argument("<dir>", "destination folder")
    .option("--registry-mirror <registry=mirror>", "pull through a mirror (repeatable)", collect)
    .action(async (img: string, dest: string, opts: { registryMirror?: string[] }) => {
      const n = await extractCatalog(img, dest, opts.registryMirror);
      process.stdout.write(`${n} files from ${formatReference(parseReference(img))} written to ${dest}\n`);
    });
}
