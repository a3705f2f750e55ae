/** Runs the real CLI (bin/dbaas-catalog.js) as a user would, in a child process. */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./paths.js";

export const CLI = join(REPO, "bin", "dbaas-catalog.js");

/** Runs the CLI to completion. */
export function cli(args: string[], cwd = REPO): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "true" } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI and kills it with SIGKILL after `ms`; resolves when it is gone. */
export function cliKilledAfter(args: string[], ms: number, cwd = REPO): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: "ignore", env: { ...process.env, CI: "true" } });
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
