/** Shared by the e2e tests: skipping cleanly without the tools, one cluster per run, timings. */
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CLUSTER_BINARIES, clusterInfo, clusterUp, getItems, missingBinaries, waitUntil, type ClusterInfo } from "../../src/e2e/cluster.js";
import { platformLeftovers, stackPlan, type StackPlan } from "../../src/e2e/platform.js";
import { resourceChanges, type PreviewStep, type ResourceChange } from "../../src/e2e/preview.js";
import { preparePulumiProject, runPulumi, stackOutputs, type PulumiProject, type PulumiResult } from "../../src/e2e/pulumi.js";
import { REPO } from "../support/paths.js";
import { unavailable } from "../support/unavailable.js";

export { REPO };

// The suite always runs on a cluster of its own (as scripts/e2e.sh sets it up), never on the one
// `npm run up` deployed the dev stack to: the stacks would meet in the same namespaces.
process.env["DBAAS_CLUSTER_DIR"] ??= join(process.env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"), "dbaas-catalog", "e2e-cluster");
process.env["DBAAS_CATALOG_PORT"] ??= "50061";

/** Skips (fails in CI) the calling suite when any of `binaries` is not built; returns the cluster paths. */
export function requireBinaries(ctx: Mocha.Context, binaries: string[]): ClusterInfo {
  const cluster = clusterInfo();
  const missing = missingBinaries(cluster, binaries);
  if (missing.length) {
    unavailable(ctx, missing.join(", "), "run `bash scripts/tools/build.sh`");
  }
  return cluster;
}

let started: ClusterInfo | undefined;

/** The local cluster, started once per run by scripts/cluster/up.sh (idempotent); skips when tools are missing. */
export function requireCluster(ctx: Mocha.Context): ClusterInfo {
  const cluster = requireBinaries(ctx, CLUSTER_BINARIES);
  if (!started) {
    const t = Date.now();
    clusterUp(REPO);
    console.log(`    (cluster up: ${seconds(t)}s, state ${cluster.stateDir})`);
    started = cluster;
  }
  return started;
}

/** Whole seconds since `t` (ms). */
export function seconds(t: number): number {
  return Math.round((Date.now() - t) / 1000);
}

/** Where an e2e test writes files it wants kept (logs, rendered outputs): <repo>/.tmp/e2e. */
export const E2E_OUT = process.env["DBAAS_E2E_OUT"] ?? join(REPO, ".tmp", "e2e");

/** One stack of the platform program on the local cluster, its pulumi output appended to <E2E_OUT>/<stack>.log. */
export class StackUnderTest {
  readonly project: PulumiProject;
  readonly logFile: string;
  private readonly log: WriteStream;

  constructor(readonly cluster: ClusterInfo, readonly stack: string, stackText?: string) {
    this.project = preparePulumiProject(REPO, stack, cluster, stackText);
    mkdirSync(E2E_OUT, { recursive: true });
    this.logFile = join(E2E_OUT, `pulumi-${stack}.log`);
    this.log = createWriteStream(this.logFile, { flags: "a" });
  }

  /** Rewrites the stack file from new text (e.g. a channel switch), keeping the stack's encryption salt. */
  reconfigure(stackText: string): void {
    preparePulumiProject(REPO, this.stack, this.cluster, stackText);
  }

  /** Runs pulumi; fails the test with the end of the output unless it exits 0. Logs the duration. */
  async pulumi(args: string[]): Promise<PulumiResult> {
    const t = Date.now();
    this.log.write(`\n$ pulumi ${args.join(" ")}\n`);
    const r = await runPulumi(this.project, args, args.includes("--json") ? undefined : this.log);
    if (args.includes("--json")) this.log.write(r.stdout + r.stderr);
    console.log(`      (pulumi ${args[0]} ${this.stack}: ${seconds(t)}s)`);
    if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.status} (log ${this.logFile}):\n${(r.stdout + r.stderr).slice(-3000)}`);
    return r;
  }

  /** `pulumi up` then the stack's plan from its outputs. */
  async up(): Promise<StackPlan> {
    await this.pulumi(["up", "--yes", "--skip-preview"]);
    return stackPlan(stackOutputs(this.project));
  }

  /** The steps of `pulumi preview --json --diff` that change something (see resourceChanges). */
  async previewChanges(): Promise<ResourceChange[]> {
    const r = await this.pulumi(["preview", "--json", "--diff"]);
    const steps = (JSON.parse(r.stdout) as { steps?: PreviewStep[] }).steps ?? [];
    return resourceChanges(steps, { ignoreProviderVersion: !!providerVersionMismatch() });
  }

  /** `pulumi destroy`, then waits until none of the stack's OLM objects is left; returns what is left. */
  async destroy(plan: StackPlan | undefined): Promise<string[]> {
    await this.pulumi(["destroy", "--yes", "--skip-preview"]);
    if (!plan) return [];
    try {
      await waitUntil("OLM objects of the stack to go", 120_000, () => (platformLeftovers(this.cluster, plan).length ? undefined : true), 2000);
    } catch {
      // returned below
    }
    return platformLeftovers(this.cluster, plan);
  }

  close(): void {
    this.log.end();
  }
}

/**
 * The SDK (@pulumi/kubernetes in node_modules) and the provider plugin built from Go
 * (PULUMI_KUBERNETES_VERSION) differ: previews then show a provider `version` update that changes nothing.
 */
export function providerVersionMismatch(): { sdk: string; provider: string } | undefined {
  const sdk = (JSON.parse(readFileSync(join(REPO, "node_modules", "@pulumi", "kubernetes", "package.json"), "utf8")) as { version: string }).version;
  const provider = /^PULUMI_KUBERNETES_VERSION=(.+)$/m.exec(readFileSync(join(REPO, "scripts", "tools", "versions.env"), "utf8"))?.[1]?.trim() ?? "";
  return sdk === provider ? undefined : { sdk, provider };
}

/** A few lines on the OLM objects of `namespace` (phases, states, conditions), for failure messages. */
export function olmDump(cluster: ClusterInfo, namespace: string): string {
  const lines: string[] = [];
  const s = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  for (const sub of getItems(cluster, ["subscriptions.operators.coreos.com", "-n", namespace])) {
    const st = sub.status ?? {};
    lines.push(`Subscription ${sub.metadata.name}: state=${s(st["state"])} installed=${s(st["installedCSV"])} current=${s(st["currentCSV"])}`);
    for (const c of (st["conditions"] as { type: string; status: string; reason?: string; message?: string }[] | undefined) ?? []) {
      if (c.status === "True") lines.push(`  ${c.type}: ${c.reason ?? ""} ${c.message ?? ""}`.trimEnd());
    }
  }
  for (const ip of getItems(cluster, ["installplans.operators.coreos.com", "-n", namespace])) {
    lines.push(`InstallPlan ${ip.metadata.name}: ${s(ip.spec?.["clusterServiceVersionNames"])} approved=${s(ip.spec?.["approved"])} phase=${s(ip.status?.["phase"])}`);
  }
  for (const csv of getItems(cluster, ["clusterserviceversions.operators.coreos.com", "-n", namespace])) {
    if (csv.metadata.labels?.["olm.copiedFrom"]) continue;
    lines.push(`CSV ${csv.metadata.name}: ${s(csv.status?.["phase"])} ${s(csv.status?.["reason"])} ${s(csv.status?.["message"])}`);
  }
  return lines.join("\n");
}

/** waitUntil, with the OLM objects of `namespace` added to the timeout message. */
export async function waitWithDump<T>(cluster: ClusterInfo, namespace: string, what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  try {
    return await waitUntil(what, timeoutMs, probe);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${olmDump(cluster, namespace)}`);
  }
}
