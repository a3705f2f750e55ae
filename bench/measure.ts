/** Runs a command and measures wall time and peak RSS (VmHWM sampled from /proc), for benchmarks. */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface Measurement {
  seconds: number;
  peakMiB: number;
  status: number;
}

function hwmKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs `cmd args` to completion, sampling its peak memory every 20 ms. */
export function measure(cmd: string, args: string[]): Promise<Measurement> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, hwmKiB(child.pid!))), 20);
    child.on("exit", (code) => {
      clearInterval(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakMiB: peak / 1024, status: code ?? -1 });
    });
  });
}
