/**
 * The daemonless catalog image builder in the shape the Pulumi program's CatalogImage component expects
 * (structurally: src/ never imports components/): build reproducibly, push under the ref's tags, and
 * return the reference pinned by digest. Preview (push false) computes the same digest without pushing.
 */
import { RegistryClient } from "./client.js";
import { buildCatalog } from "./publish.js";
import { pushImage } from "./push.js";
import { parseReference } from "./reference.js";
import { tagsFor } from "./tags.js";

export interface BuilderAuth {
  server: string;
  username: string;
  password: string;
}

/**
 * Builds (and pushes) `repo:<tags of ref>` on `base` (the stack's opmImage, pulled through
 * DBAAS_REGISTRY_MIRRORS; none: a data-only image); returns `<repo><suffix>@sha256:…` and the tags.
 */
export async function buildCatalogImageForStack(
  dir: string,
  repo: string,
  ref: string,
  push: boolean,
  auth?: BuilderAuth,
  base?: string,
): Promise<{ digestRef: string; tags: string[] }> {
  const client = new RegistryClient(
    auth ? { auth: { auths: { [auth.server]: { username: auth.username, password: auth.password } }, credHelpers: {} } } : {},
  );
  const plan = tagsFor(ref, { testsPassed: false });
  const r = await buildCatalog(dir, { repo, ref, push, base }, client);
  if (plan.tags.length === 0 && push) {
    // A ref that publishes no tag (a feature branch) still needs its digest in the registry for a cluster
    // to pull: push it under a build tag that never moves a published one.
    const tag = `${repo}:build-${r.digest.slice("sha256:".length, "sha256:".length + 12)}`;
    await pushImage(client, r.image, [parseReference(tag)]);
    return { digestRef: `${repo}@${r.digest}`, tags: [tag] };
  }
  return { digestRef: `${repo}${plan.repoSuffix}@${r.digest}`, tags: r.references };
}

/** The builder object the Pulumi program wires into its CatalogImage component. */
export const daemonlessCatalogBuilder = { build: buildCatalogImageForStack };
