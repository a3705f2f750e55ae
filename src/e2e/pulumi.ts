/**
 * Running the dbaas-platform Pulumi program against the local cluster, offline: the CLI, language host
 * and Kubernetes provider from the tools cache (the provider is picked up from PATH as an ambient plugin),
 * a local file backend and Pulumi home inside the cluster's state folder (`npm run cluster:down` forgets
 * both with the cluster), and one project folder per stack whose stack file is the repo's, rewritten by
 * localStackConfig. `pulumi stack init` writes its encryption salt there, never into the repo.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { encryptionSaltOf, localStackConfig } from "./stack-config.js";
import type { ClusterInfo } from "./cluster.js";

/** The program's files a project folder links to (index.ts's own imports resolve from its real path). */
const PROGRAM_LINKS = ["index.ts", "package.json", "tsconfig.json", "node_modules"];
/** Passphrase of the local stacks' secrets (PULUMI_CONFIG_PASSPHRASE overrides it). */
export const LOCAL_PASSPHRASE = "dbaas-local";

export interface PulumiProject {
  stack: string;
  /** The project folder pulumi runs in. */
  dir: string;
  env: NodeJS.ProcessEnv;
}

export interface PulumiResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** The environment pulumi runs with: tools on PATH, local backend and home, no update checks or plugin downloads. */
export function pulumiEnv(cluster: ClusterInfo, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const nodeOptions = base["NODE_OPTIONS"] ?? "";
  return {
    ...base,
    PATH: `${cluster.toolsBin}:${base["PATH"] ?? ""}`,
    KUBECONFIG: cluster.kubeconfig,
    PULUMI_BACKEND_URL: `file://${join(cluster.stateDir, "pulumi", "backend")}`,
    PULUMI_HOME: join(cluster.stateDir, "pulumi", "home"),
    PULUMI_CONFIG_PASSPHRASE: base["PULUMI_CONFIG_PASSPHRASE"] ?? LOCAL_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // The language host (sdk v3.68.0, see scripts/tools/versions.env) ignores Pulumi.yaml's nodeargs.
    NODE_OPTIONS: nodeOptions.includes("--import tsx") ? nodeOptions : `${nodeOptions} --import tsx`.trim(),
  };
}

/**
 * Prepares (idempotently) the project folder of `stack` and creates the stack in the local backend if
 * needed. The stack file is the repo's `Pulumi.<stack>.yaml`, or `stackText` for a stack the repo does not have.
 */
export function preparePulumiProject(repo: string, stack: string, cluster: ClusterInfo, stackText?: string): PulumiProject {
  const dir = join(cluster.stateDir, "pulumi", "projects", stack);
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(cluster.stateDir, "pulumi", "backend"), { recursive: true });
  for (const f of PROGRAM_LINKS) {
    const link = join(dir, f);
    rmSync(link, { force: true });
    symlinkSync(join(repo, f), link);
  }
  copyFileSync(join(repo, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const env = pulumiEnv(cluster);
  const project: PulumiProject = { stack, dir, env };
  const stackFile = join(dir, `Pulumi.${stack}.yaml`);
  const writeStackFile = () => {
    const salt = existsSync(stackFile) ? encryptionSaltOf(readFileSync(stackFile, "utf8")) : undefined;
    const text = stackText ?? readFileSync(join(repo, `Pulumi.${stack}.yaml`), "utf8");
    writeFileSync(stackFile, localStackConfig(text, { address: cluster.catalogAddress, kubeconfig: cluster.kubeconfig, encryptionSalt: salt }));
  };
  writeStackFile();
  const exists = runPulumiSync(project, ["stack", "select"]).status === 0;
  if (!exists) {
    const init = runPulumiSync(project, ["stack", "init"]);
    if (init.status !== 0) throw new Error(`pulumi stack init ${stack} failed:\n${init.stderr}${init.stdout}`);
    // init rewrote the stack file (salt added, values re-serialized): write ours again, keeping the salt
    writeStackFile();
  }
  return project;
}

/** Runs `pulumi <args> --stack <stack> --non-interactive` in the project, capturing the output. */
export function runPulumiSync(p: PulumiProject, args: string[]): PulumiResult {
  const r = spawnSync("pulumi", [...args, "--stack", p.stack, "--non-interactive"], {
    cwd: p.dir,
    env: p.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
}

/** Like runPulumiSync, but asynchronous and copying the output to `log` (a writable) as it comes. */
export function runPulumi(p: PulumiProject, args: string[], log?: NodeJS.WritableStream): Promise<PulumiResult> {
  return new Promise((resolve) => {
    const child = spawn("pulumi", [...args, "--stack", p.stack, "--non-interactive"], { cwd: p.dir, env: p.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      log?.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      log?.write(d);
    });
    child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.on("error", (e) => resolve({ status: -1, stdout, stderr: stderr + String(e) }));
  });
}

/** The stack's outputs as JSON (`pulumi stack output --json`). */
export function stackOutputs(p: PulumiProject): Record<string, unknown> {
  const r = runPulumiSync(p, ["stack", "output", "--json"]);
  if (r.status !== 0) throw new Error(`pulumi stack output failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
