/** Locating and running the real opm (built by scripts/tools/build.sh) for differential tests. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Path of the opm binary, or undefined when it has not been built on this machine. */
export function opmPath(): string | undefined {
  const candidates = [
    process.env["OPM"],
    join(process.env["DBAAS_TOOLS_DIR"] ?? join(homedir(), ".cache", "dbaas-catalog", "tools"), "bin", "opm"),
  ];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/** Runs opm with `args`; returns exit status and output. */
export function runOpm(args: string[]): { status: number; stdout: string; stderr: string } {
  const opm = opmPath();
  if (!opm) throw new Error("opm is not built (run scripts/tools/build.sh opm)");
  const r = spawnSync(opm, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Skips the calling mocha suite when opm is absent, saying why. */
export function requireOpm(ctx: Mocha.Context): void {
  if (!opmPath()) {
    console.log("    (skipped: opm not built here; run `bash scripts/tools/build.sh opm`)");
    ctx.skip();
  }
}
