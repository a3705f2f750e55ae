/**
 * The local cluster of scripts/cluster/up.sh as the e2e tests and `npm run up` see it: where its state,
 * kubeconfig and catalog server are, which tools it needs, and a kubectl that talks only to it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface ClusterInfo {
  stateDir: string;
  kubeconfig: string;
  /** `127.0.0.1:<port>` of `opm serve`. */
  catalogAddress: string;
  /** The tools cache's bin folder (opm, pulumi, kubectl, ...). */
  toolsBin: string;
}

/** The binaries scripts/cluster/up.sh, the platform deploy and the e2e tests run. */
export const CLUSTER_BINARIES = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubectl",
  "kwok",
  "kwokctl",
  "olm",
  "catalog",
  "opm",
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-resource-kubernetes",
];

/** The cluster's paths from the same environment variables as scripts/cluster/lib.sh. */
export function clusterInfo(env: NodeJS.ProcessEnv = process.env): ClusterInfo {
  const cache = env["XDG_CACHE_HOME"] ?? join(env["HOME"] ?? homedir(), ".cache");
  const stateDir = env["DBAAS_CLUSTER_DIR"] ?? join(cache, "dbaas-catalog", "cluster");
  const toolsBin = join(env["DBAAS_TOOLS_DIR"] ?? join(env["HOME"] ?? homedir(), ".cache", "dbaas-catalog", "tools"), "bin");
  return {
    stateDir,
    kubeconfig: join(stateDir, "kubeconfig"),
    catalogAddress: `127.0.0.1:${env["DBAAS_CATALOG_PORT"] ?? "50051"}`,
    toolsBin,
  };
}

/** The binaries of CLUSTER_BINARIES missing from the tools cache. */
export function missingBinaries(cluster: Pick<ClusterInfo, "toolsBin">, names = CLUSTER_BINARIES): string[] {
  return names.filter((b) => !existsSync(join(cluster.toolsBin, b)));
}

/** Runs scripts/cluster/up.sh (idempotent); throws with its output when it fails. */
export function clusterUp(repo: string, env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync("bash", [join(repo, "scripts", "cluster", "up.sh")], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/cluster/up.sh failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
}

/** Runs kubectl against the local cluster; throws on failure unless `allowFail`. */
export function kubectl(cluster: ClusterInfo, args: string[], opts: { allowFail?: boolean; input?: string } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(join(cluster.toolsBin, "kubectl"), ["--kubeconfig", cluster.kubeconfig, ...args], {
    encoding: "utf8",
    input: opts.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (out.status !== 0 && !opts.allowFail) throw new Error(`kubectl ${args.join(" ")}: ${out.stderr.trim()}`);
  return out;
}

/** `kubectl get <args> -o json` parsed; a list's items, or [] when the resource type is unknown. */
export function getItems<T = KubeObject>(cluster: ClusterInfo, args: string[]): T[] {
  const r = kubectl(cluster, ["get", ...args, "-o", "json"], { allowFail: true });
  if (r.status !== 0) {
    if (/the server doesn't have a resource type|NotFound/.test(r.stderr)) return [];
    throw new Error(`kubectl get ${args.join(" ")}: ${r.stderr.trim()}`);
  }
  const parsed = JSON.parse(r.stdout) as { items?: T[] } & T;
  return parsed.items ?? [parsed];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** Polls `probe` every `intervalMs` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitUntil<T>(what: string, timeoutMs: number, probe: () => T | undefined, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Everything OLM-related the checks look at, read from the API server. */
export function olmSnapshot(cluster: ClusterInfo): {
  catalogSources: KubeObject[];
  subscriptions: KubeObject[];
  csvs: KubeObject[];
  installPlans: KubeObject[];
} {
  const all = (r: string) => getItems(cluster, [`${r}.operators.coreos.com`, "--all-namespaces"]);
  return {
    catalogSources: all("catalogsources"),
    subscriptions: all("subscriptions"),
    csvs: all("clusterserviceversions"),
    installPlans: all("installplans"),
  };
}
