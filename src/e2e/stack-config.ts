/**
 * The stack file a platform stack is deployed with on the local cluster (`npm run up`, the e2e tests).
 *
 * A stack that builds a catalog image gets a CatalogSource with `spec.image`, which OLM serves from a
 * registry pod: the kwok cluster runs no pods for real, so that CatalogSource would never be READY. On the
 * local cluster the catalog is served by `opm serve` on the host (scripts/cluster/up.sh), so the stack's
 * catalog becomes `address` (no image, no build, no push, no registry credentials) and the Kubernetes
 * provider is pinned to the local cluster's kubeconfig. Everything else (operators, channels, approval,
 * namespaces, timeouts) is the stack's own. Pure: text in, text out; comments are kept.
 */
import { parseDocument } from "yaml";

export interface LocalClusterTarget {
  /** `host:port` of the catalog server. */
  address: string;
  /** Kubeconfig of the local cluster. */
  kubeconfig: string;
  /** The `encryptionsalt` Pulumi wrote into this stack's file when the stack was created, to keep it. */
  encryptionSalt?: string;
}

const CATALOG = "platform:catalog";
/** Catalog fields that only make sense for an image. */
const IMAGE_ONLY = ["image", "build", "push", "opmImage"];
/** Keys that only serve the image's registry. */
const REGISTRY_KEYS = ["platform:registry", "platform:registryPassword"];

/** The `encryptionsalt` of a stack file's text, if it has one. */
export function encryptionSaltOf(text: string): string | undefined {
  const v = parseDocument(text).get("encryptionsalt");
  return typeof v === "string" ? v : undefined;
}

/** Rewrites a `Pulumi.<stack>.yaml` so the stack deploys to the local cluster, its catalog served from `address`. */
export function localStackConfig(text: string, target: LocalClusterTarget): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`stack file: ${doc.errors[0]!.message}`);
  if (!doc.has("config")) doc.set("config", doc.createNode({}));
  for (const field of IMAGE_ONLY) doc.deleteIn(["config", CATALOG, field]);
  if (!doc.hasIn(["config", CATALOG])) doc.setIn(["config", CATALOG], doc.createNode({}));
  doc.setIn(["config", CATALOG, "address"], target.address);
  for (const key of REGISTRY_KEYS) doc.deleteIn(["config", key]);
  doc.setIn(["config", "platform:cluster"], doc.createNode({ kubeconfig: target.kubeconfig }));
  doc.delete("encryptionsalt");
  if (target.encryptionSalt) doc.set("encryptionsalt", target.encryptionSalt);
  return doc.toString();
}
