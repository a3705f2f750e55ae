/**
 * Registry credentials and challenges: reads docker's config.json (or the containers auth file named by
 * REGISTRY_AUTH_FILE), including credential helpers, and parses WWW-Authenticate challenges for the
 * Bearer token and Basic flows.
 */
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../util/errors.js";

export interface Credentials {
  username: string;
  password: string;
  /** An OAuth2 refresh token (docker's identitytoken): used instead of the password for Bearer tokens. */
  identityToken?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export interface AuthConfig {
  /** The file read, for messages ("no credentials for X in <file>"). */
  file?: string;
  auths: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers: Record<string, string>;
}

/** The auth file in effect: REGISTRY_AUTH_FILE, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function authFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env["REGISTRY_AUTH_FILE"]) return env["REGISTRY_AUTH_FILE"];
  return join(env["DOCKER_CONFIG"] ?? join(homedir(), ".docker"), "config.json");
}

/** Loads the auth file; a missing file means anonymous access, a malformed one is an error. */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const file = authFilePath(env);
  if (!existsSync(file)) return { auths: {}, credHelpers: {} };
  let raw: { auths?: Record<string, AuthEntry>; credsStore?: string; credHelpers?: Record<string, string> };
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as typeof raw;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return { file, auths: raw.auths ?? {}, credsStore: raw.credsStore, credHelpers: raw.credHelpers ?? {} };
}

/** The keys a registry's credentials may be stored under (docker writes Docker Hub as a v1 URL). */
function keysFor(registry: string): string[] {
  const hub = ["docker.io", "index.docker.io", "registry-1.docker.io"];
  const names = hub.includes(registry) ? [...hub, "https://index.docker.io/v1/"] : [registry];
  return names.flatMap((n) => [n, `https://${n}`, `http://${n}`, `https://${n}/v1/`, `https://${n}/v2/`]);
}

function fromEntry(e: AuthEntry): Credentials | undefined {
  if (e.auth) {
    const text = Buffer.from(e.auth, "base64").toString("utf8");
    const i = text.indexOf(":");
    if (i !== -1) return { username: text.slice(0, i), password: text.slice(i + 1), identityToken: e.identitytoken };
  }
  if (e.username || e.password) return { username: e.username ?? "", password: e.password ?? "", identityToken: e.identitytoken };
  if (e.identitytoken) return { username: "", password: "", identityToken: e.identitytoken };
  return undefined;
}

function fromHelper(helper: string, registry: string): Credentials | undefined {
  const r = spawnSync(`docker-credential-${helper}`, ["get"], { input: registry, encoding: "utf8", timeout: 15000 });
  if (r.error || r.status !== 0) return undefined;
  try {
    const j = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
    if (j.Username === "<token>") return { username: "", password: "", identityToken: j.Secret };
    return { username: j.Username ?? "", password: j.Secret ?? "" };
  } catch {
    return undefined;
  }
}

/** Credentials for a registry (as written in references, e.g. `quay.io`, `127.0.0.1:5000`), if any. */
export function credentialsFor(cfg: AuthConfig, registry: string): Credentials | undefined {
  const helper = cfg.credHelpers[registry];
  if (helper) return fromHelper(helper, registry);
  for (const k of keysFor(registry)) {
    const e = cfg.auths[k];
    const c = e && fromEntry(e);
    if (c) return c;
  }
  return cfg.credsStore ? fromHelper(cfg.credsStore, registry) : undefined;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses a WWW-Authenticate header: `Bearer realm="...",service="...",scope="..."` or `Basic realm="..."`. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, "$1") : p[3]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

/** The Authorization header value for Basic auth. */
export function basicAuth(c: Credentials): string {
  return "Basic " + Buffer.from(`${c.username}:${c.password}`).toString("base64");
}
