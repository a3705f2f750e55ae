/**
 * The real local registry for tests: starts Debian's docker-registry through scripts/registry.sh (own
 * port, own storage in a temp folder), waits until /v2/ answers, and stops it when the test process
 * exits. `sharedRegistry()` is one instance per mocha run with every fixture bundle image pushed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { REPO } from "./paths.js";
import { fixtureMirrors, pushFixtures, type PushedFixture } from "../../scripts/fixtures-push.js";
import { RegistryClient } from "../../src/image/client.js";
import { parseMirrors, type Mirror } from "../../src/image/mirrors.js";
import { unavailable } from "./unavailable.js";

export interface RunningRegistry {
  /** host:port */
  address: string;
  dir: string;
  stop(): void;
}

const SCRIPT = join(REPO, "scripts", "registry.sh");
const running = new Set<RunningRegistry>();

process.once("exit", () => {
  for (const r of running) r.stop();
});

/** Whether the docker-registry binary is installed (scripts/setup-registry.sh installs it). */
export function registryInstalled(): boolean {
  return spawnSync("bash", ["-c", "command -v docker-registry"], { encoding: "utf8" }).status === 0;
}

/** Skips the calling suite when docker-registry is missing, saying how to get it. */
export function requireRegistry(ctx: Mocha.Context): void {
  if (!registryInstalled()) {
    unavailable(ctx, "docker-registry", "run `bash scripts/setup-registry.sh`");
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Token auth settings for a registry (see registry-token.ts). */
export interface TokenAuth {
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
}

/** Starts a registry (optionally with basic auth from an htpasswd file, or token auth) in a fresh temp folder. */
export async function startRegistry(opts: { htpasswd?: string; token?: TokenAuth } = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "dbaas-registry-"));
  const env = {
    ...process.env,
    DBAAS_REGISTRY_DIR: dir,
    DBAAS_REGISTRY_PORT: String(await freePort()),
    DBAAS_REGISTRY_HTPASSWD: opts.htpasswd ?? "",
    DBAAS_REGISTRY_TOKEN_REALM: opts.token?.realm ?? "",
    DBAAS_REGISTRY_TOKEN_SERVICE: opts.token?.service ?? "",
    DBAAS_REGISTRY_TOKEN_ISSUER: opts.token?.issuer ?? "",
    DBAAS_REGISTRY_TOKEN_ROOTCERT: opts.token?.certFile ?? "",
    DBAAS_REGISTRY_OWNER_PID: String(process.pid),
  };
  const up = spawnSync("bash", [SCRIPT, "up"], { env, encoding: "utf8" });
  if (up.status !== 0) throw new Error(`scripts/registry.sh up failed: ${up.stderr}`);
  let stopped = false;
  const reg: RunningRegistry = {
    address: up.stdout.trim(),
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync("bash", [SCRIPT, "down"], { env });
      rmSync(dir, { recursive: true, force: true });
      running.delete(reg);
    },
  };
  running.add(reg);
  return reg;
}

/** Writes an htpasswd file (bcrypt, as docker-registry requires) for one user. */
export function writeHtpasswd(file: string, user: string, password: string): void {
  writeFileSync(file, `${user}:${bcrypt.hashSync(password, 5)}\n`);
}

/** Writes a docker config.json with credentials for `registry`; returns its path. */
export function writeAuthFile(dir: string, registry: string, user: string, password: string): string {
  const file = join(dir, "auth.json");
  writeFileSync(file, JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${user}:${password}`).toString("base64") } } }));
  return file;
}

export interface FixtureRegistry extends RunningRegistry {
  fixtures: PushedFixture[];
  /** Mirrors sending quay.io and docker.io to this registry. */
  mirrors: Mirror[];
}

let shared: Promise<FixtureRegistry> | undefined;

/** One registry per test run with every fixture bundle image pushed (started on first use). */
export function sharedRegistry(): Promise<FixtureRegistry> {
  shared ??= (async () => {
    const reg = await startRegistry();
    const fixtures = await pushFixtures(reg.address, new RegistryClient({ auth: { auths: {}, credHelpers: {} } }));
    return { ...reg, fixtures, mirrors: parseMirrors(fixtureMirrors(reg.address)) };
  })();
  return shared;
}

/** A client that ignores the developer's own credentials and fails fast (tests talk to local registries). */
export function testClient(opts: ConstructorParameters<typeof RegistryClient>[0] = {}): RegistryClient {
  return new RegistryClient({ auth: { auths: {}, credHelpers: {} }, retries: 2, backoffMs: 20, timeoutMs: 10000, ...opts });
}
