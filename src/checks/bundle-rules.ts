/**
 * Sanity rules for one bundle, read from the manifests it ships: what opm validate does not check but an
 * install needs (install modes, owned CRDs shipped, related images, versions), plus warnings on quirks
 * the Percona catalog is known to have. Pure.
 */
import type { ModelBundle } from "../fbc/model.js";
import type { Finding, Severity } from "./report.js";
import { bundleManifests, supportedInstallModes } from "./manifests.js";

const SEMVER_CORE = /^\d+\.\d+\.\d+/;

/** The tag of an image reference, or undefined for a digest reference or no tag. */
export function imageTag(image: string): string | undefined {
  if (image.includes("@")) return undefined;
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : undefined;
}

/** Whether an image tag names this version (`1.2.3`, `v1.2.3`, `1.2.3-suffix`). */
export function tagMatchesVersion(tag: string, version: string): boolean {
  const t = tag.startsWith("v") ? tag.slice(1) : tag;
  return t === version || t.startsWith(version + "-");
}

/** Checks one bundle of package `pkg`; every finding names the operator folder, the bundle and the rule. */
export function bundleFindings(operator: string, pkg: string, b: ModelBundle): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, severity: Severity, message: string): void =>
    void out.push({ layer: "sanity", rule, severity, operator, bundle: b.name, message });

  const nameVersion = b.name.startsWith(`${pkg}.v`) ? b.name.slice(pkg.length + 2) : undefined;
  if (nameVersion !== undefined && SEMVER_CORE.test(nameVersion) && nameVersion !== b.version) {
    add("name-version", "error", `bundle name says version ${nameVersion} but its olm.package version is ${b.version}`);
  } else if (b.name !== `${pkg}.v${b.version}`) {
    add("csv-name-quirk", "warning", `bundle name is not "${pkg}.v${b.version}" (the <package>.v<version> convention); upgrades refer to it by this name, so it can never be renamed`);
  }
  const tag = imageTag(b.image);
  if (tag && SEMVER_CORE.test(tag.replace(/^v/, "")) && !tagMatchesVersion(tag, b.version)) {
    add("image-tag", "warning", `image ${b.image} is tagged ${tag} but the bundle is version ${b.version}`);
  }
  if (b.relatedImages.length === 0) add("related-images", "error", "bundle has no relatedImages: mirroring for disconnected installs would miss its images");

  const m = bundleManifests(b);
  if (m.objectCount === 0) {
    add("bundle-objects", "warning", "bundle carries no manifests (olm.bundle.object); its CSV and CRDs cannot be checked");
    return out;
  }
  const csv = m.csv;
  if (!csv) {
    add("csv-missing", "error", "bundle manifests contain no ClusterServiceVersion");
    return out;
  }
  if (csv.name !== b.name) add("csv-name", "error", `CSV metadata.name "${csv.name}" differs from the bundle name`);
  if (csv.version !== b.version) add("csv-version", "error", `CSV spec.version "${csv.version}" differs from the olm.package version "${b.version}"`);
  if (csv.installModes.length === 0) add("install-modes", "error", "CSV declares no spec.installModes");
  else if (supportedInstallModes(csv).length === 0) add("install-modes", "error", "CSV supports no install mode");
  const crds = new Map(m.crds.map((c) => [c.name, c]));
  for (const o of csv.owned) {
    const crd = crds.get(o.name);
    if (!crd) add("owned-crd-missing", "error", `CSV owns CRD ${o.name} (${o.version}) but the bundle does not ship it`);
    else if (o.version && !crd.versions.some((v) => v.name === o.version)) {
      add("owned-crd-version", "error", `CSV owns ${o.name} version ${o.version} but the shipped CRD defines only ${crd.versions.map((v) => v.name).join(", ")}`);
    }
  }
  return out;
}
