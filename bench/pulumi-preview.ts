/**
 * Program evaluation of a generated 20-operator stack under Pulumi mocks: what `pulumi preview` spends in
 * the program (catalog load, checks, upgrade paths, resource registration), without engine or cluster.
 * The catalog is generated from the committed one: 20 packages (the six real ones cloned under new names,
 * API groups renamed so no two own the same CRD), each operator starting at its channel's tail.
 *
 *   node --import tsx bench/pulumi-preview.ts [operators=20]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFbc } from "../src/fbc/load.js";
import type { LoadedBundle } from "../src/fbc/schema.js";
import { loadCatalogModel } from "../src/platform/catalog.js";
import { recordingBuilder, runProgram } from "../components/testing/mockRuntime.js";

const GOAL_SECONDS = 10;
const count = Number(process.argv[2] ?? 20);
const root = join(import.meta.dirname, "..");

/** Writes `count` packages cloned from the committed catalog; returns the dir and each package's channel and tail. */
function generateCatalog(dir: string): { pkg: string; channel: string; tail: string }[] {
  const cfg = loadFbc(join(root, "catalog"));
  const made: { pkg: string; channel: string; tail: string }[] = [];
  for (let i = 0; i < count; i++) {
    const src = cfg.packages[i % cfg.packages.length]!;
    const pkg = `${src.name}-g${String(i).padStart(2, "0")}`;
    const rename = (n: string | undefined): string | undefined => (n?.startsWith(`${src.name}.`) ? `${pkg}${n.slice(src.name.length)}` : n);
    const strip = <T extends { origin?: unknown }>({ origin: _o, ...b }: T) => b;
    const blobs: unknown[] = [{ ...strip(src), name: pkg }];
    const channels = cfg.channels.filter((c) => c.package === src.name);
    for (const c of channels) {
      blobs.push({
        ...strip(c),
        package: pkg,
        entries: c.entries.map((e) => ({ ...e, name: rename(e.name), replaces: rename(e.replaces), skips: e.skips?.map((s) => rename(s)) })),
      });
    }
    for (const b of cfg.bundles.filter((x) => x.package === src.name) as LoadedBundle[]) {
      const { objects: _objects, ...bundle } = strip(b);
      blobs.push({
        ...bundle,
        package: pkg,
        name: rename(b.name),
        properties: b.properties.map((p) => {
          const v = p.value as Record<string, unknown>;
          if (p.type === "olm.package") return { ...p, value: { ...v, packageName: pkg } };
          if (p.type === "olm.gvk") return { ...p, value: { ...v, group: `g${i}.${String(v["group"])}` } };
          return p;
        }),
      });
    }
    mkdirSync(join(dir, pkg), { recursive: true });
    writeFileSync(join(dir, pkg, "catalog.json"), blobs.map((b) => JSON.stringify(b)).join("\n") + "\n");
    const channel = channels.find((c) => c.name === src.defaultChannel) ?? channels[0]!;
    made.push({ pkg, channel: channel.name, tail: rename(channel.entries[0]!.name)! });
  }
  return made;
}

const work = mkdtempSync(join(tmpdir(), "bench-pulumi-preview-"));
try {
  const catalogDir = join(work, "catalog");
  const packages = generateCatalog(catalogDir);
  const mib = packages.reduce((n, p) => n + statSync(join(catalogDir, p.pkg, "catalog.json")).size, 0) / 2 ** 20;
  const operators = Object.fromEntries(
    packages.map((p, i) => {
      const key = `op${String(i).padStart(2, "0")}`;
      return [key, { package: p.pkg, channel: p.channel, startingCSV: p.tail, namespace: `ns-${key}` }];
    }),
  );
  const input = {
    stack: "bench",
    config: {
      "platform:catalog": JSON.stringify({ dir: catalogDir, image: "127.0.0.1:5000/bench-catalog", build: "daemonless" }),
      "platform:operators": JSON.stringify(operators),
    },
  };

  const t0 = performance.now();
  loadCatalogModel(catalogDir);
  const t1 = performance.now();
  const run = await runProgram(input, { builder: recordingBuilder(), gitRef: "bench" });
  const t2 = performance.now();

  const ops = run.outputs["operators"] as Record<string, { upgradePath: string[] }>;
  const hops = Object.values(ops).reduce((n, o) => n + o.upgradePath.length - 1, 0);
  const total = (t2 - t0) / 1000;
  console.log(`generated catalog: ${packages.length} packages, ${mib.toFixed(1)} MiB`);
  console.log(`stack: ${Object.keys(ops).length} operators, ${run.resources.length} resources registered, ${hops} upgrade hops planned`);
  console.log(`catalog load: ${((t1 - t0) / 1000).toFixed(2)} s`);
  console.log(`program evaluation (checks, paths, registration): ${((t2 - t1) / 1000).toFixed(2)} s`);
  console.log(`total: ${total.toFixed(2)} s (goal < ${GOAL_SECONDS} s) ${total < GOAL_SECONDS ? "ok" : "OVER GOAL"}`);
  process.exitCode = total < GOAL_SECONDS ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
