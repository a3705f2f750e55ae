/**
 * Image references as the registry API needs them: the API host, the repository and a tag or digest,
 * normalized as docker does (`percona/x:1` is docker.io/percona/x:1, `busybox` is docker.io/library/busybox).
 */
import { parseImageRef } from "../fbc/imageref.js";
import { UserError } from "../util/errors.js";

export interface ImageReference {
  /** Registry as written in references (`docker.io`, `quay.io`, `127.0.0.1:5000`). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Parses a reference; a reference with neither tag nor digest means `:latest`. */
export function parseReference(s: string): ImageReference {
  let r;
  try {
    r = parseImageRef(s);
  } catch (e) {
    throw new UserError(`invalid image reference "${s}": ${(e as Error).message}`);
  }
  return { registry: r.domain, repository: r.path, tag: r.tag ?? (r.digest ? undefined : "latest"), digest: r.digest };
}

/** The reference as text: `registry/repository[:tag][@digest]`. */
export function formatReference(r: ImageReference): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

/** The tag or digest to ask the registry for (a digest wins: it names exact content). */
export function manifestReference(r: ImageReference): string {
  return r.digest ?? r.tag ?? "latest";
}

/** Pins a reference as written by the user to a manifest digest: `name@sha256:...` (tag dropped). */
export function pinnedReference(original: string, digest: string): string {
  const at = original.indexOf("@");
  const name = at === -1 ? original : original.slice(0, at);
  const colon = name.lastIndexOf(":");
  const bare = colon > name.lastIndexOf("/") ? name.slice(0, colon) : name;
  return `${bare}@${digest}`;
}

/** The host that serves a registry's API (Docker Hub's API is not at docker.io). */
export function apiHost(registry: string): string {
  return registry === "docker.io" ? "registry-1.docker.io" : registry;
}

/** Whether a registry is spoken to over plain HTTP: loopback hosts, and those in DBAAS_REGISTRY_PLAIN_HTTP. */
export function usesPlainHttp(host: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const name = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  if (name === "localhost" || name === "::1" || /^127\./.test(name)) return true;
  const list = (env["DBAAS_REGISTRY_PLAIN_HTTP"] ?? "").split(/[\s,]+/).filter(Boolean);
  return list.includes(host) || list.includes(name);
}
