/**
 * Runs the Pulumi program (index.ts) for a stack under `pulumi.runtime.setMocks`, recording every
 * registered resource with its inputs and resolving the stack outputs: what tests and the preview
 * benchmark assert on, without the CLI, an engine or a cluster.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import main, { type ProgramDeps } from "../../index.js";
import type { CatalogImageBuilder, RegistryAuth } from "../catalogImage.js";

/** The Pulumi project name the mocks run the program under (as in Pulumi.yaml). */
export const PROJECT = "dbaas-platform";

export interface RegisteredResource {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** Provider reference (`urn::id`) when one was set explicitly or inherited. */
  provider?: string;
}

export interface ProgramRun {
  resources: RegisteredResource[];
  outputs: Record<string, unknown>;
  /** The raw outputs (Outputs not unwrapped), to check secrecy. */
  rawOutputs: Record<string, unknown>;
}

export interface StackInput {
  stack: string;
  /** The CLI's flat config map (`platform:operators` → JSON text). */
  config: Record<string, string>;
  secretKeys?: string[];
}

/** What a recording builder saw on its last call. */
export interface BuildCall {
  dir: string;
  repo: string;
  ref: string;
  push: boolean;
  auth?: RegistryAuth;
  base?: string;
}

/** A daemonless builder stand-in: a digest derived from its inputs, calls recorded. */
export function recordingBuilder(): CatalogImageBuilder & { calls: BuildCall[] } {
  const calls: BuildCall[] = [];
  return {
    calls,
    async build(dir, repo, ref, push, auth, base) {
      calls.push({ dir, repo, ref, push, auth, base });
      const digest = createHash("sha256").update(`${dir}\n${ref}`).digest("hex");
      return { digestRef: `${repo}@sha256:${digest}`, tags: [`${repo}:${ref}`] };
    },
  };
}

/** Mock state for a resource: its inputs, plus what the provider would add (a digest, a status). */
function mockState(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type === "docker:index/image:Image") {
    const name = String(inputs["imageName"]);
    return { ...inputs, repoDigest: `${name.replace(/:[^/:]+$/, "")}@sha256:${createHash("sha256").update(name).digest("hex")}` };
  }
  if (type === "kubernetes:operators.coreos.com/v1alpha1:Subscription") {
    const spec = inputs["spec"] as { startingCSV?: string } | undefined;
    return { ...inputs, status: { installedCSV: spec?.startingCSV ?? "mock-installed" } };
  }
  return inputs;
}

async function resolveDeep(v: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) return resolveDeep(await new Promise((res) => (v as pulumi.Output<unknown>).apply(res)));
  if (Array.isArray(v)) return Promise.all(v.map(resolveDeep));
  if (v && typeof v === "object") {
    const entries = await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await resolveDeep(x)] as const));
    return Object.fromEntries(entries);
  }
  return v;
}

/** The program failed; `resources` are those registered before it did. */
export class ProgramError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly resources: RegisteredResource[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "ProgramError";
  }
}

/** Runs the program once for `input` (preview by default); rejects with a ProgramError. */
export async function runProgram(input: StackInput, deps: ProgramDeps = {}, preview = true): Promise<ProgramRun> {
  const resources: RegisteredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider,
        });
        return { id: `${args.name}-id`, state: mockState(args.type, args.inputs as Record<string, unknown>) };
      },
      call(args) {
        return args.inputs as Record<string, unknown>;
      },
    },
    PROJECT,
    input.stack,
    preview,
  );
  pulumi.runtime.setAllConfig(input.config, input.secretKeys ?? []);
  try {
    const rawOutputs = (await main({ gitRef: "0123456789ab", ...deps })) as Record<string, unknown>;
    const outputs = (await resolveDeep(rawOutputs)) as Record<string, unknown>;
    await pulumi.runtime.disconnect();
    return { resources, outputs, rawOutputs };
  } catch (e) {
    await pulumi.runtime.disconnect().catch(() => undefined);
    throw new ProgramError(e, resources);
  }
}

/** The Kubernetes objects of a run (custom resources of the kubernetes package, not the provider). */
export function kubeObjects(run: ProgramRun): RegisteredResource[] {
  return run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
}

/** A Kubernetes object of a run by kind and metadata.name; throws when absent. */
export function kubeObject(run: ProgramRun, kind: string, name: string): RegisteredResource {
  const r = kubeObjects(run).find((o) => o.type.endsWith(`:${kind}`) && (o.inputs["metadata"] as { name?: string } | undefined)?.name === name);
  if (!r) throw new Error(`no ${kind} "${name}" among ${kubeObjects(run).map((o) => `${o.type}/${o.name}`).join(", ")}`);
  return r;
}

/** A copy of a stack's config with one key's value changed, as `pulumi config set [--path]` would. */
export function withConfig(input: StackInput, key: string, change: (value: any) => unknown): StackInput {
  const cur = input.config[key];
  let value: unknown;
  try {
    value = cur === undefined ? undefined : JSON.parse(cur);
  } catch {
    value = cur;
  }
  const next = change(structuredClone(value));
  const config = { ...input.config };
  if (next === undefined) delete config[key];
  else config[key] = typeof next === "string" ? next : JSON.stringify(next);
  return { ...input, config };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The strings of a value outside Pulumi secret wrappers: what the state would hold in plain text. */
export function plainStrings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(plainStrings);
  if (v && typeof v === "object") {
    if (SECRET_SIG in v) return [];
    return Object.values(v).flatMap(plainStrings);
  }
  return [];
}

/** True when a registered input value is wrapped as a Pulumi secret. */
export function isSecretValue(v: unknown): boolean {
  return !!v && typeof v === "object" && SECRET_SIG in v;
}
