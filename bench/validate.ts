/**
 * Loading + validating: the real 3 MB victoriametrics catalog, the whole committed catalog, and a
 * generated ~100 MB catalog; wall time and peak memory for us and for opm side by side, and the ratio.
 *   node --import tsx bench/validate.ts [--size-mb 100]
 */
import { cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure, type Measurement } from "./measure.js";
import { loadFbc } from "../src/fbc/load.js";
import { writeFbc } from "../src/fbc/write.js";
import type { DeclarativeConfig } from "../src/fbc/types.js";
import { opmPath } from "../tests/support/opm.js";

const repo = resolve(import.meta.dirname, "..");
const sizeArg = process.argv.indexOf("--size-mb");
const targetMb = sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : 100;

/** Makes a catalog of about `mb` MB by cloning the real victoriametrics package under new names. */
function generate(mb: number): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-fbc-"));
  const src = loadFbc(join(repo, "catalog", "victoriametrics-operator", "catalog.yaml"));
  const one = Buffer.byteLength(writeFbc(src, "yaml"));
  const copies = Math.max(1, Math.round((mb * 1024 * 1024) / one));
  for (let i = 0; i < copies; i++) {
    const name = `vm-clone-${i}`;
    const rename = (s: string) => s.replaceAll("victoriametrics-operator", name);
    const cfg: DeclarativeConfig = JSON.parse(rename(JSON.stringify({ ...src, others: [] })));
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "catalog.yaml"), writeFbc(cfg, "yaml"));
  }
  return dir;
}

function dirSizeMb(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else total += st.size;
    }
  };
  walk(dir);
  return total / 1024 / 1024;
}

function row(label: string, m: Measurement): string {
  return `${label.padEnd(6)} ${m.seconds.toFixed(2).padStart(7)} s  ${m.peakMiB.toFixed(0).padStart(6)} MiB  exit ${m.status}`;
}

async function bench(label: string, dir: string): Promise<void> {
  console.log(`\n${label}: ${dir} (${dirSizeMb(dir).toFixed(1)} MB)`);
  const ours = await measure(process.execPath, ["--import", "tsx", join(repo, "bench", "validate-one.ts"), dir]);
  console.log(row("ours", ours));
  const opm = opmPath();
  if (!opm) {
    console.log("opm    (not built: bash scripts/tools/build.sh opm)");
    return;
  }
  const theirs = await measure(opm, ["validate", dir]);
  console.log(row("opm", theirs));
  console.log(`ratio  ours/opm time ${(ours.seconds / theirs.seconds).toFixed(2)}x, memory ${(ours.peakMiB / theirs.peakMiB).toFixed(2)}x`);
}

const vm = mkdtempSync(join(tmpdir(), "bench-vm-"));
cpSync(join(repo, "catalog", "victoriametrics-operator", "catalog.yaml"), join(vm, "catalog.yaml"));
await bench("victoriametrics (real, 3 MB)", vm);
await bench("committed catalog", join(repo, "catalog"));
const big = generate(targetMb);
await bench(`generated (~${targetMb} MB)`, big);
rmSync(big, { recursive: true, force: true });
rmSync(vm, { recursive: true, force: true });
