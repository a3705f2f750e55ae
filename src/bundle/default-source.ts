/**
 * The default bundle source of renders that name none: the registry source, registered at start-up by
 * the CLI (a hook, so that rendering code does not depend on the registry client, nor on the CLI).
 */
import type { BundleSource } from "./source.js";

/** What a render asks the factory with: the flags that pick and shape a source. */
export interface SourceRequest {
  bundlesFrom?: string;
  [flag: string]: unknown;
}

/** Makes a bundle source for the operator folder `dir`. */
export type SourceFactory = (dir: string, opts: SourceRequest) => BundleSource;

let factory: SourceFactory | undefined;

/** Registers the registry source as the default (done once by the CLI). */
export function setRegistrySourceFactory(f: SourceFactory): void {
  factory = f;
}

/** The registered default source factory, if any. */
export function getRegistrySourceFactory(): SourceFactory | undefined {
  return factory;
}
