/**
 * `render-bundle <dir|image>` (opm render of one bundle), the registry options of `render`, and the
 * factory that makes `render` pull bundles from their registries by default.
 */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { isBundleDir } from "../../bundle/files.js";
import { RegistryBundleSource } from "../../bundle/registry-source.js";
import { BundleCache } from "../../bundle/cache.js";
import { renderBundleDir } from "../../bundle/render.js";
import type { BundleSource } from "../../bundle/source.js";
import { writeFbc, type OutputFormat } from "../../fbc/write.js";
import { emptyConfig } from "../../fbc/types.js";
import { mirrorsFrom } from "../../image/mirrors.js";
import { UsageError, UserError } from "../../util/errors.js";
import type { SourceRequest } from "../../bundle/default-source.js";

/** Options shared by every command that pulls bundles. */
export interface RegistryCliOptions {
  registryMirror?: string[];
  pinDigests?: boolean;
  cache?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Adds `--registry-mirror`, `--pin-digests` and `--no-cache` to a command. */
export function addRegistryOptions(cmd: Command): Command {
  return cmd
    .option("--registry-mirror <registry=mirror>", "pull <registry> images from <mirror>, e.g. quay.io=127.0.0.1:5000 (repeatable; default from DBAAS_REGISTRY_MIRRORS)", collect)
    .option("--pin-digests", "write bundle images as name@sha256:<manifest digest> instead of the reference as written")
    .option("--no-cache", "do not use the rendered-bundle cache (DBAAS_BUNDLE_CACHE or ~/.cache/dbaas-catalog/bundles)");
}

/** The registry bundle source for a command's options. */
export function registrySource(opts: RegistryCliOptions): RegistryBundleSource {
  return new RegistryBundleSource({ mirrors: mirrorsFrom(opts.registryMirror), pinDigests: !!opts.pinDigests, cache: opts.cache === false ? null : new BundleCache() });
}

/** The default source of `render`: bundle images from their registries (hooked in by main.ts). */
export function registryRenderSource(_dir: string, opts: SourceRequest): BundleSource {
  return registrySource(opts as RegistryCliOptions);
}

/** Renders one bundle directory or image as `opm render` prints it. */
export async function renderBundleRef(ref: string, opts: RegistryCliOptions & { output: string }): Promise<string> {
  if (opts.output !== "yaml" && opts.output !== "json") throw new UsageError(`-o must be "yaml" or "json", not "${opts.output}"`);
  let bundle;
  if (existsSync(ref)) {
    if (!isBundleDir(ref)) throw new UserError(`${ref}: not a bundle directory (it needs manifests/ and metadata/ folders)`);
    bundle = renderBundleDir(ref);
  } else {
    bundle = (await registrySource(opts).renderBundle(ref))[0]!;
  }
  const { csvJson: _csv, ...b } = bundle;
  return writeFbc({ ...emptyConfig(), bundles: [b] }, opts.output as OutputFormat);
}

/** Adds `render-bundle`, and the registry options to `render` when it is registered. */
export function registerBundle(program: Command): void {
  addRegistryOptions(
    program
      .command("render-bundle")
      .description("render one bundle directory or bundle image to its olm.bundle blob, as opm render")
      .argument("<dir|image>", "bundle directory (manifests/ + metadata/) or bundle image reference")
      .option("-o, --output <format>", "yaml or json", "json"),
  ).action(async (ref: string, opts: RegistryCliOptions & { output: string }) => {
    process.stdout.write(await renderBundleRef(ref, opts));
  });
  const render = program.commands.find((c) => c.name() === "render");
  if (render) addRegistryOptions(render);
}
