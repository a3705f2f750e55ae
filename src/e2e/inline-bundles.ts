/**
 * The one difference between the committed catalog and the catalog the e2e cluster serves.
 *
 * OLM's resolver (operator-lifecycle-manager v0.46 pkg/controller/registry/resolver/source_registry.go) takes a
 * bundle's manifests from the gRPC `Bundle.object` list and installs them as InstallPlan steps directly only when
 * the bundle's `BundlePath` is empty; opm serves the FBC `image` field as `BundlePath`. With an image set, the
 * catalog operator creates an unpack Job that pulls the bundle image through a kubelet: a kwok cluster has no
 * kubelet and no images, so every install would hang in "BundleLookupPending". Clearing `image` (and keeping the
 * `olm.bundle.object` properties, which opm requires then) makes every bundle inline.
 */
import { PROP_BUNDLE_OBJECT, type DeclarativeConfig } from "../fbc/types.js";

/** Bundles an inline catalog cannot serve: they have no olm.bundle.object to install from. */
export function bundlesWithoutObjects(cfg: DeclarativeConfig): string[] {
  return cfg.bundles.filter((b) => !b.properties.some((p) => p.type === PROP_BUNDLE_OBJECT)).map((b) => b.name);
}

/** A copy of `cfg` whose bundles have an empty `image`, so OLM installs them from their olm.bundle.object manifests. */
export function inlineBundles(cfg: DeclarativeConfig): DeclarativeConfig {
  const missing = bundlesWithoutObjects(cfg);
  if (missing.length) {
    throw new Error(`cannot inline bundles without olm.bundle.object properties: ${missing.join(", ")}`);
  }
  return { ...cfg, bundles: cfg.bundles.map((b) => ({ ...b, image: "" })) };
}
