/**
 * A small OCI distribution (registry v2 API) client over Node's fetch: no docker daemon. Anonymous,
 * Basic and Bearer-token access (credentials from auth.ts), retries with exponential backoff on 5xx,
 * 429, timeouts and dropped connections, digest and size checks on everything it downloads, and errors
 * that name the image, the registry and the HTTP status.
 */
import { UserError, errorMessage } from "../util/errors.js";
import { authFilePath, basicAuth, credentialsFor, loadAuthConfig, parseChallenge, type AuthConfig, type Credentials } from "./auth.js";
import { sha256Digest } from "./digest.js";
import { MANIFEST_TYPES } from "./media-types.js";
import { apiHost, usesPlainHttp, type ImageReference } from "./reference.js";

/** A registry failure the user can act on (exit code 1); `status` is the HTTP status when there was one. */
export class RegistryError extends UserError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

/** A failure worth another attempt (5xx, 429, network, timeout, truncated or corrupt download). */
class TransientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ClientOptions {
  auth?: AuthConfig;
  /** Further attempts after a transient failure (env DBAAS_REGISTRY_RETRIES, default 3). */
  retries?: number;
  /** First backoff delay, doubled each retry (env DBAAS_REGISTRY_BACKOFF_MS, default 250). */
  backoffMs?: number;
  /** Per-request timeout, headers and body (env DBAAS_REGISTRY_TIMEOUT_MS, default 60000). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** What a request is for, so errors can say it: the image as the user wrote it, and the object. */
export interface Subject {
  image: string;
  what: string;
}

type Target = Pick<ImageReference, "registry" | "repository">;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function envNumber(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const v = env[name];
  return v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : dflt;
}

/** The registry's JSON error (`{"errors":[{"code","message"}]}`) as `CODE: message`, if any. */
async function registryErrorText(res: Response): Promise<string> {
  try {
    const text = await res.text();
    const j = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const e = j.errors?.[0];
    if (e) return `${e.code ?? ""}${e.code && e.message ? ": " : ""}${e.message ?? ""}`;
    return text.trim().slice(0, 200);
  } catch {
    return "";
  }
}

/** One OCI distribution client for pulls and pushes: auth per repository, retries on 5xx and timeouts, errors naming the image. */
export class RegistryClient {
  private readonly auth: AuthConfig;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;
  /** Authorization header per registry + repository + access. */
  private readonly authorizations = new Map<string, string>();

  constructor(opts: ClientOptions = {}) {
    this.env = opts.env ?? process.env;
    this.auth = opts.auth ?? loadAuthConfig(this.env);
    this.retries = opts.retries ?? envNumber(this.env, "DBAAS_REGISTRY_RETRIES", 3);
    this.backoffMs = opts.backoffMs ?? envNumber(this.env, "DBAAS_REGISTRY_BACKOFF_MS", 250);
    this.timeoutMs = opts.timeoutMs ?? envNumber(this.env, "DBAAS_REGISTRY_TIMEOUT_MS", 60000);
  }

  private baseUrl(t: Target): string {
    const host = apiHost(t.registry);
    return `${usesPlainHttp(host, this.env) ? "http" : "https"}://${host}/v2/${t.repository}/`;
  }

  /** Runs `op` until it succeeds, retrying transient failures with exponential backoff. */
  private async withRetries<T>(s: Subject, op: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await op();
      } catch (e) {
        if (!(e instanceof TransientError)) throw e;
        if (attempt >= this.retries) {
          const tries = attempt + 1;
          throw new RegistryError(`${s.what} of ${s.image}: ${e.message}${tries > 1 ? ` (${tries} attempts)` : ""}`, e.status);
        }
        await sleep(this.backoffMs * 2 ** attempt);
      }
    }
  }

  private credentials(t: Target): Credentials | undefined {
    return credentialsFor(this.auth, t.registry);
  }

  private authSource(): string {
    return this.auth.file ?? `${authFilePath(this.env)} (absent)`;
  }

  /** Answers a 401 challenge: fetches a Bearer token or prepares Basic credentials; throws when it cannot. */
  private async authorize(t: Target, res: Response, push: boolean, s: Subject): Promise<string> {
    const ch = parseChallenge(res.headers.get("www-authenticate"));
    const creds = this.credentials(t);
    const host = apiHost(t.registry);
    const denied = (detail: string): RegistryError =>
      new RegistryError(`${s.what} of ${s.image}: unauthorized (HTTP 401 from ${host}): ${detail}`, 401);
    if (ch?.scheme === "basic") {
      if (!creds) throw denied(`the registry requires a login and there are no credentials for ${t.registry} in ${this.authSource()}`);
      return basicAuth(creds);
    }
    if (ch?.scheme !== "bearer" || !ch.params["realm"]) throw denied(`unsupported challenge "${res.headers.get("www-authenticate") ?? ""}"`);
    const scope = ch.params["scope"] ?? `repository:${t.repository}:${push ? "pull,push" : "pull"}`;
    const url = new URL(ch.params["realm"]);
    if (ch.params["service"]) url.searchParams.set("service", ch.params["service"]);
    url.searchParams.set("scope", scope);
    let tokenRes: Response;
    try {
      if (creds?.identityToken) {
        const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: creds.identityToken, service: ch.params["service"] ?? "", scope, client_id: "dbaas-catalog" });
        tokenRes = await fetch(ch.params["realm"], { method: "POST", body: form, signal: AbortSignal.timeout(this.timeoutMs) });
      } else {
        tokenRes = await fetch(url, { headers: creds ? { authorization: basicAuth(creds) } : {}, signal: AbortSignal.timeout(this.timeoutMs) });
      }
    } catch (e) {
      throw new TransientError(`cannot reach token service ${url.origin}: ${causeOf(e)}`);
    }
    if (tokenRes.status >= 500 || tokenRes.status === 429) throw new TransientError(`token service ${url.origin}: HTTP ${tokenRes.status}`, tokenRes.status);
    if (!tokenRes.ok) {
      const why = creds ? `the credentials for ${t.registry} from ${this.authSource()} were rejected` : `anonymous access refused; no credentials for ${t.registry} in ${this.authSource()}`;
      throw new RegistryError(`${s.what} of ${s.image}: unauthorized (HTTP ${tokenRes.status} from token service ${url.origin}): ${why}`, 401);
    }
    const body = (await tokenRes.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw denied(`token service ${url.origin} returned no token`);
    return `Bearer ${token}`;
  }

  /**
   * One HTTP exchange with auth: a 401 is answered once (token or basic), then 5xx/429/network errors
   * become TransientErrors; other statuses are returned to the caller.
   */
  private async send(t: Target, path: string, init: RequestInit & { push?: boolean }, s: Subject): Promise<Response> {
    const url = /^https?:\/\//.test(path) ? path : this.baseUrl(t) + path;
    const key = `${t.registry}/${t.repository}|${init.push ? "push" : "pull"}`;
    for (let round = 0; round < 2; round++) {
      const headers = new Headers(init.headers);
      const authz = this.authorizations.get(key);
      if (authz) headers.set("authorization", authz);
      let res: Response;
      try {
        res = await fetch(url, { ...init, headers, redirect: "follow", signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (e) {
        const unreachable = /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(String((e as { cause?: { code?: string } }).cause?.code));
        throw new TransientError(`${unreachable ? "cannot reach registry" : "connection to registry failed:"} ${apiHost(t.registry)}: ${causeOf(e)}`);
      }
      if (res.status === 401 && round === 0) {
        await res.body?.cancel();
        this.authorizations.set(key, await this.authorize(t, res, !!init.push, s));
        continue;
      }
      if (res.status === 401) {
        await res.body?.cancel();
        throw new RegistryError(
          `${s.what} of ${s.image}: unauthorized (HTTP 401 from ${apiHost(t.registry)}): the credentials for ${t.registry} from ${this.authSource()} were rejected`,
          401,
        );
      }
      if (res.status >= 500 || res.status === 429) {
        const detail = await registryErrorText(res);
        throw new TransientError(`HTTP ${res.status} ${res.statusText} from ${apiHost(t.registry)}${detail ? ` (${detail})` : ""}`, res.status);
      }
      return res;
    }
    throw new Error("unreachable");
  }

  private async fail(res: Response, t: Target, s: Subject): Promise<never> {
    const detail = await registryErrorText(res);
    const what = res.status === 404 ? "not found" : res.status === 403 ? "forbidden" : "failed";
    throw new RegistryError(
      `${s.what} of ${s.image}: ${what} (HTTP ${res.status} ${res.statusText} from ${apiHost(t.registry)})${detail ? `: ${detail}` : ""}`,
      res.status,
    );
  }

  /** Resolves a tag or digest to the manifest's digest and type with one HEAD (GET when HEAD gives no digest). */
  async headManifest(t: Target, reference: string, image: string): Promise<Descriptor> {
    const s = { image, what: "manifest" };
    return this.withRetries(s, async () => {
      const res = await this.send(t, `manifests/${reference}`, { method: "HEAD", headers: { accept: MANIFEST_TYPES.join(", ") } }, s);
      if (!res.ok) {
        if (res.status === 404) throw new RegistryError(`manifest of ${image}: not found (HTTP 404 from ${apiHost(t.registry)}): no such tag or digest "${reference}" in ${t.repository}`, 404);
        return this.fail(res, t, s);
      }
      const digest = res.headers.get("docker-content-digest");
      const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
      if (!digest) {
        const m = await this.getManifest(t, reference, image);
        return { digest: m.digest, mediaType: m.mediaType, size: m.body.length };
      }
      return { digest, mediaType, size: Number(res.headers.get("content-length") ?? 0) };
    });
  }

  /** Downloads a manifest; when `reference` is a digest the content is checked against it. */
  async getManifest(t: Target, reference: string, image: string): Promise<{ digest: string; mediaType: string; body: Buffer; json: Record<string, unknown> }> {
    const s = { image, what: "manifest" };
    return this.withRetries(s, async () => {
      const res = await this.send(t, `manifests/${reference}`, { headers: { accept: MANIFEST_TYPES.join(", ") } }, s);
      if (!res.ok) {
        if (res.status === 404) throw new RegistryError(`manifest of ${image}: not found (HTTP 404 from ${apiHost(t.registry)}): no such tag or digest "${reference}" in ${t.repository}`, 404);
        return this.fail(res, t, s);
      }
      const body = await readBody(res, undefined);
      const digest = sha256Digest(body);
      if (reference.startsWith("sha256:") && digest !== reference) throw new TransientError(`content digest mismatch: asked for ${reference}, got ${digest}`);
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      } catch {
        throw new TransientError(`manifest is not JSON (${body.length} bytes)`);
      }
      const mediaType = (typeof json["mediaType"] === "string" ? (json["mediaType"] as string) : undefined) ?? (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
      return { digest, mediaType, body, json };
    });
  }

  /** Downloads a blob and checks its size and digest (a truncated or altered download is retried, then an error). */
  async getBlob(t: Target, desc: Pick<Descriptor, "digest" | "size">, image: string, what = `blob ${desc.digest}`): Promise<Buffer> {
    const s = { image, what };
    return this.withRetries(s, async () => {
      const res = await this.send(t, `blobs/${desc.digest}`, {}, s);
      if (!res.ok) return this.fail(res, t, s);
      const body = await readBody(res, desc.size);
      if (desc.size >= 0 && body.length !== desc.size) throw new TransientError(`size mismatch: expected ${desc.size} bytes, got ${body.length}`);
      const got = sha256Digest(body);
      if (got !== desc.digest) throw new TransientError(`content digest mismatch: expected ${desc.digest}, got ${got}`);
      return body;
    });
  }

  /** Whether a repository already has a blob. */
  async hasBlob(t: Target, digest: string, image: string): Promise<boolean> {
    const s = { image, what: `blob ${digest}` };
    return this.withRetries(s, async () => {
      const res = await this.send(t, `blobs/${digest}`, { method: "HEAD", push: true }, s);
      if (res.status === 404) return false;
      if (!res.ok) return this.fail(res, t, s);
      return true;
    });
  }

  /** Uploads a blob unless present (monolithic upload; a cross-repository mount when `mountFrom` has it). */
  async pushBlob(t: Target, data: Buffer, digest: string, image: string, mountFrom?: string): Promise<"exists" | "mounted" | "uploaded"> {
    if (await this.hasBlob(t, digest, image)) return "exists";
    const s = { image, what: `upload of blob ${digest}` };
    return this.withRetries(s, async () => {
      const q = mountFrom && mountFrom !== t.repository ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}` : "";
      const start = await this.send(t, `blobs/uploads/${q}`, { method: "POST", push: true }, s);
      if (start.status === 201) return "mounted";
      if (start.status !== 202) return this.fail(start, t, s);
      await start.body?.cancel();
      const location = start.headers.get("location");
      if (!location) throw new RegistryError(`${s.what} of ${image}: the registry gave no upload location`);
      const url = new URL(location, this.baseUrl(t));
      url.searchParams.set("digest", digest);
      const put = await this.send(t, url.toString(), { method: "PUT", body: data, push: true, headers: { "content-type": "application/octet-stream" } }, s);
      if (put.status !== 201) return this.fail(put, t, s);
      await put.body?.cancel();
      return "uploaded";
    });
  }

  /** Uploads a manifest under a tag (or digest); returns the digest the registry computed. */
  async putManifest(t: Target, reference: string, body: Buffer, mediaType: string, image: string): Promise<string> {
    const s = { image, what: "manifest upload" };
    return this.withRetries(s, async () => {
      const res = await this.send(t, `manifests/${reference}`, { method: "PUT", body, push: true, headers: { "content-type": mediaType } }, s);
      if (res.status !== 201) return this.fail(res, t, s);
      await res.body?.cancel();
      return res.headers.get("docker-content-digest") ?? sha256Digest(body);
    });
  }
}

/** Reads a response body, counting bytes, so a dropped connection says how much arrived. */
async function readBody(res: Response, expected: number | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(Buffer.from(chunk));
        n += chunk.length;
      }
    }
  } catch (e) {
    throw new TransientError(`truncated: got ${n}${expected !== undefined ? ` of ${expected}` : ""} bytes before the connection failed (${causeOf(e)})`);
  }
  return Buffer.concat(chunks);
}

/** The most specific message of a fetch failure (`connect ECONNREFUSED 127.0.0.1:5999`, `timeout`). */
function causeOf(e: unknown): string {
  const err = e as { name?: string; cause?: { message?: string; code?: string } };
  if (err?.name === "TimeoutError") return "timed out";
  return err?.cause?.message ?? errorMessage(e);
}
