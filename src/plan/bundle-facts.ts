/**
 * What a bundle brings to a cluster, read from its catalog entry: the CRDs it ships and its CSV's install
 * modes and owned CRDs (decoded by src/checks/manifests from its `olm.bundle.object` properties), what it
 * requires (`olm.gvk.required`, `olm.package.required`) and its related images. Plans and the report
 * compare and show these.
 */
import type { ModelBundle } from "../fbc/model.js";
import type { RelatedImage } from "../fbc/types.js";
import { parseProperties } from "../fbc/properties.js";
import { bundleManifests, supportedInstallModes, type Crd, type OwnedCrd } from "../checks/manifests.js";

export interface BundleFacts {
  csv: string;
  version: string;
  /** The CRD manifests the bundle ships, by name. */
  crds: Crd[];
  /** Install modes the CSV marks `supported: true`. */
  installModes: string[];
  /** `group/version/Kind` of each `olm.gvk.required`. */
  requiredGvks: string[];
  /** `package versionRange` of each `olm.package.required`. */
  requiredPackages: string[];
  relatedImages: RelatedImage[];
  /** The CSV's `spec.customresourcedefinitions.owned`. */
  ownedCrds: OwnedCrd[];
}

/** Reads the facts of one bundle of the model (its manifests are already decoded by the loader). */
export function bundleFacts(b: ModelBundle): BundleFacts {
  const props = b.props ?? parseProperties(b.properties);
  const m = bundleManifests(b);
  return {
    csv: b.name,
    version: b.version,
    crds: [...m.crds].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
    installModes: supportedInstallModes(m.csv),
    requiredGvks: props.gvksRequired.map((g) => `${g.group ? g.group + "/" : ""}${g.version}/${g.kind}`),
    requiredPackages: props.packagesRequired.map((p) => `${p.packageName} ${p.versionRange}`),
    relatedImages: b.relatedImages,
    ownedCrds: m.csv?.owned ?? [],
  };
}
