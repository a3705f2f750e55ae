/**
 * CRD compatibility across one upgrade (from → to), compared on the CRD manifests both bundles ship.
 * The API server refuses a CRD update that removes a version objects are stored in, so OLM's upgrade
 * would fail; a version that stops being served breaks clients unless another served version remains.
 */
import type { Severity } from "./report.js";
import { storageVersion, type BundleManifests } from "./manifests.js";

export interface CrdChange {
  rule: string;
  severity: Severity;
  crd: string;
  message: string;
}

/** What an upgrade from one bundle's CRDs to the next one's breaks or drops. */
export function crdChanges(from: BundleManifests, to: BundleManifests): CrdChange[] {
  const out: CrdChange[] = [];
  const next = new Map(to.crds.map((c) => [c.name, c]));
  for (const old of from.crds) {
    const cur = next.get(old.name);
    if (!cur) {
      out.push({ rule: "crd-removed", severity: "warning", crd: old.name, message: `CRD ${old.name} is no longer shipped; OLM leaves it in the cluster, unmanaged` });
      continue;
    }
    const stored = storageVersion(old);
    const defined = new Set(cur.versions.map((v) => v.name));
    if (stored && !defined.has(stored)) {
      out.push({
        rule: "crd-stored-version-removed",
        severity: "error",
        crd: old.name,
        message: `CRD ${old.name} drops version ${stored}, the storage version of the previous bundle; the API server rejects the update while objects are stored in it (keep ${stored} in spec.versions, served: false, until a storage migration)`,
      });
    }
    const servedNow = new Set(cur.versions.filter((v) => v.served).map((v) => v.name));
    const servedBefore = old.versions.filter((v) => v.served).map((v) => v.name);
    const dropped = servedBefore.filter((v) => !servedNow.has(v));
    if (dropped.length === 0) continue;
    const replacements = servedBefore.filter((v) => servedNow.has(v));
    if (replacements.length === 0) {
      out.push({
        rule: "crd-served-version-removed",
        severity: "error",
        crd: old.name,
        message: `CRD ${old.name} stops serving ${dropped.join(", ")} and serves none of the previous versions (now: ${[...servedNow].join(", ") || "none"}); every client of the old API breaks`,
      });
    } else {
      out.push({
        rule: "crd-served-version-dropped",
        severity: "warning",
        crd: old.name,
        message: `CRD ${old.name} stops serving ${dropped.join(", ")}; clients must move to ${replacements.join(", ")}`,
      });
    }
  }
  return out;
}
