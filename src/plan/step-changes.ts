/**
 * What changes on a cluster when OLM replaces one CSV by the next: CRD versions (added, removed, no longer
 * served, storage moved), requirements, install modes and related images. Pure comparison of two
 * bundles' facts.
 */
import type { RelatedImage } from "../fbc/types.js";
import { storageVersion, type Crd } from "../checks/manifests.js";
import type { BundleFacts } from "./bundle-facts.js";

export interface CrdChange {
  crd: string;
  kind: string;
  change: "added" | "removed" | "changed";
  versionsAdded: string[];
  versionsRemoved: string[];
  /** Versions still listed but no longer served. */
  servingStopped: string[];
  /** Versions served again (or for the first time while already listed). */
  servingStarted: string[];
  storage?: { from?: string; to?: string };
  /**
   * Removed versions that were the storage version earlier on the walk: OLM v0 refuses the new CRD while
   * such a version is still in the CRD's `status.storedVersions` (objects would be lost).
   */
  removedStoredVersions: string[];
}

export interface ListChange {
  added: string[];
  removed: string[];
}

export interface ImageChange {
  /** The image's name, or its repository when the related image has no name. */
  key: string;
  from?: string;
  to?: string;
}

export interface StepChanges {
  crds: CrdChange[];
  requiredGvks: ListChange & { all: string[] };
  requiredPackages: ListChange & { all: string[] };
  installModes: ListChange & { all: string[] };
  relatedImages: ImageChange[];
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** Elements of `b` not in `a`, and of `a` not in `b`, both sorted. */
export function listChange(a: string[], b: string[]): ListChange {
  const sa = new Set(a);
  const sb = new Set(b);
  return { added: sorted(b.filter((x) => !sa.has(x))), removed: sorted(a.filter((x) => !sb.has(x))) };
}

function crdChange(before: Crd | undefined, after: Crd | undefined, stored: Set<string>): CrdChange | undefined {
  const crd = (after ?? before)!;
  const bv = new Map((before?.versions ?? []).map((v) => [v.name, v]));
  const av = new Map((after?.versions ?? []).map((v) => [v.name, v]));
  // Manifest order (oldest API version first, as CRDs list them) reads better than sorted names.
  const added = [...av.keys()].filter((v) => !bv.has(v));
  const removed = [...bv.keys()].filter((v) => !av.has(v));
  const servingStopped = [...av.values()].filter((v) => !v.served && bv.get(v.name)?.served).map((v) => v.name);
  const servingStarted = [...av.values()].filter((v) => v.served && bv.has(v.name) && !bv.get(v.name)!.served).map((v) => v.name);
  const from = before && storageVersion(before);
  const to = after && storageVersion(after);
  const change: CrdChange = {
    crd: crd.name,
    kind: crd.kind,
    change: !before ? "added" : !after ? "removed" : "changed",
    versionsAdded: added,
    versionsRemoved: removed,
    servingStopped,
    servingStarted,
    removedStoredVersions: after ? removed.filter((v) => stored.has(v)) : [],
  };
  if (from !== to) change.storage = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const same = change.change === "changed" && !added.length && !removed.length && !servingStopped.length && !servingStarted.length && !change.storage;
  return same ? undefined : change;
}

/** Groups related images by name, or by repository (docker.io spellings folded) when unnamed. */
function imageKey(r: RelatedImage): string {
  if (r.name) return r.name;
  const at = r.image.indexOf("@");
  let repo = at === -1 ? r.image : r.image.slice(0, at);
  const colon = repo.lastIndexOf(":");
  if (colon > repo.lastIndexOf("/")) repo = repo.slice(0, colon);
  return repo.replace(/^(index\.)?docker\.io\//, "").replace(/^library\//, "");
}

function imageChanges(a: RelatedImage[], b: RelatedImage[]): ImageChange[] {
  const group = (rs: RelatedImage[]): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const r of rs) m.set(imageKey(r), [...(m.get(imageKey(r)) ?? []), r.image]);
    return m;
  };
  const ga = group(a);
  const gb = group(b);
  const out: ImageChange[] = [];
  for (const key of sorted(new Set([...ga.keys(), ...gb.keys()]))) {
    const { added, removed } = listChange(ga.get(key) ?? [], gb.get(key) ?? []);
    if (added.length === 1 && removed.length === 1) out.push({ key, from: removed[0], to: added[0] });
    else {
      for (const from of removed) out.push({ key, from });
      for (const to of added) out.push({ key, to });
    }
  }
  return out;
}

/**
 * Compares the bundle installed before a step with the one installed after it. `stored` holds, per CRD,
 * the storage versions seen so far on the walk (updated here with the new storage versions).
 */
export function stepChanges(before: BundleFacts, after: BundleFacts, stored: Map<string, Set<string>>): StepChanges {
  const bc = new Map(before.crds.map((c) => [c.name, c]));
  const ac = new Map(after.crds.map((c) => [c.name, c]));
  const crds: CrdChange[] = [];
  for (const name of sorted(new Set([...bc.keys(), ...ac.keys()]))) {
    const seen = stored.get(name) ?? new Set<string>();
    const c = crdChange(bc.get(name), ac.get(name), seen);
    if (c) crds.push(c);
    const sv = ac.has(name) ? storageVersion(ac.get(name)!) : undefined;
    if (sv) stored.set(name, seen.add(sv));
  }
  return {
    crds,
    requiredGvks: { ...listChange(before.requiredGvks, after.requiredGvks), all: sorted(after.requiredGvks) },
    requiredPackages: { ...listChange(before.requiredPackages, after.requiredPackages), all: sorted(after.requiredPackages) },
    installModes: { ...listChange(before.installModes, after.installModes), all: after.installModes },
    relatedImages: imageChanges(before.relatedImages, after.relatedImages),
  };
}

/** The storage versions a walk starts with: the installed bundle's, per CRD. */
export function initialStoredVersions(start: BundleFacts): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const c of start.crds) {
    const sv = storageVersion(c);
    if (sv) m.set(c.name, new Set([sv]));
  }
  return m;
}
