/** Locating and running the real opm (built by scripts/tools/build.sh) for differential tests. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { unavailable } from "./unavailable.js";

/** Path of a binary scripts/tools/build.sh built (its cache's bin/), or undefined when it is not built here. */
export function toolPath(name: string): string | undefined {
  const p = join(process.env["DBAAS_TOOLS_DIR"] ?? join(homedir(), ".cache", "dbaas-catalog", "tools"), "bin", name);
  return existsSync(p) ? p : undefined;
}

/** Path of the opm binary ($OPM, else the built one), or undefined when it has not been built on this machine. */
export function opmPath(): string | undefined {
  const env = process.env["OPM"];
  return env && existsSync(env) ? env : toolPath("opm");
}

/** Runs opm with `args` (in `env`, default ours); returns exit status and output. */
export function runOpm(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number; stdout: string; stderr: string } {
  const opm = opmPath();
  if (!opm) throw new Error("opm is not built (run scripts/tools/build.sh opm)");
  const r = spawnSync(opm, args, { encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Skips the calling mocha suite when opm is absent, saying why (fails instead in CI). */
export function requireOpm(ctx: Mocha.Context): void {
  if (!opmPath()) {
    unavailable(ctx, "opm", "run `bash scripts/tools/build.sh opm`");
  }
}

/** Whether differential checks against opm run: where opm is built, and always in CI (where its absence fails). */
export function compareWithOpm(): boolean {
  return !!opmPath() || process.env["CI"] === "true";
}

/**
 * The environment in which opm may pull from the local registry: containers/image insists on a signature
 * policy, so a permissive one goes into a config home at `dir` (the user's ~/.config is not touched).
 */
export function opmRegistryEnv(dir: string): NodeJS.ProcessEnv {
  mkdirSync(join(dir, "containers"), { recursive: true });
  writeFileSync(join(dir, "containers", "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
  return { ...process.env, XDG_CONFIG_HOME: dir };
}
