/**
 * Where the template renderer gets bundles from: an image reference in, the `olm.bundle` blob(s) out,
 * as opm's api.BundleRenderer. Implementations: an existing FBC (fbc-source.ts), an OCI registry.
 */
import type { Bundle } from "../fbc/types.js";

/** A rendered bundle plus its CSV as JSON text (opm's hidden CsvJSON), used for package metadata. */
export interface RenderedBundle extends Bundle {
  csvJson?: string;
}

export interface BundleSource {
  /** Renders one image reference; opm requires exactly one bundle per reference. */
  renderBundle(image: string): Promise<RenderedBundle[]>;
  /** A short description for messages (`catalog.yaml`, `registry 127.0.0.1:5000`). */
  readonly description: string;
}
