/**
 * Platforms for the interoperability layer: the operators a Pulumi stack installs together, read from
 * `Pulumi.<stack>.yaml` (`platform:operators`) with only the fields interop needs, tolerantly (the Pulumi
 * program validates stacks fully); or a list of packages given on the command line.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { UserError, UsageError, errorMessage } from "../util/errors.js";

export interface PlatformMember {
  /** Short name in the stack (the package name for CLI platforms). */
  key: string;
  package: string;
  channel?: string;
  /** Where the Subscription and its OperatorGroup live (the stack's default: the short name). */
  namespace: string;
  /** Explicit OperatorGroup targets; undefined lets the program pick AllNamespaces or OwnNamespace. */
  targetNamespaces?: string[];
}

export interface Platform {
  name: string;
  /** The stack file it was read from, for messages. */
  file?: string;
  members: PlatformMember[];
}

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;
const OPERATORS_KEY = "platform:operators";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Reads the operators of one stack file; a value may be structured YAML or JSON text, as Pulumi allows. */
export function parseStack(text: string, file: string): Platform {
  const name = STACK_FILE.exec(basename(file))?.[1] ?? basename(file);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new UserError(`${file}: not valid YAML: ${errorMessage(e).split("\n")[0]}`);
  }
  let ops = ((doc ?? {}) as { config?: Record<string, unknown> }).config?.[OPERATORS_KEY];
  if (typeof ops === "string") {
    try {
      ops = JSON.parse(ops);
    } catch {
      throw new UserError(`${file}: ${OPERATORS_KEY} is text that is not JSON`);
    }
  }
  if (ops && typeof ops === "object" && "value" in ops && Object.keys(ops).length === 1) ops = (ops as { value: unknown }).value;
  const entries: [string, unknown][] = Array.isArray(ops)
    ? ops.map((o, i) => [str((o as Record<string, unknown>)?.["key"]) ?? str((o as Record<string, unknown>)?.["package"]) ?? String(i), o])
    : Object.entries((ops ?? {}) as Record<string, unknown>);
  const members: PlatformMember[] = [];
  for (const [key, v] of entries) {
    const o = (v ?? {}) as Record<string, unknown>;
    const pkg = str(o["package"]);
    if (!pkg) throw new UserError(`${file}: ${OPERATORS_KEY}.${key}.package is required`);
    const targets = o["targetNamespaces"];
    members.push({
      key,
      package: pkg,
      channel: str(o["channel"]),
      namespace: str(o["namespace"]) ?? key,
      targetNamespaces: Array.isArray(targets) ? targets.filter((t): t is string => typeof t === "string") : undefined,
    });
  }
  return { name, file, members };
}

/** Every stack file of a repository root that declares operators, sorted by stack name. */
export function readStacks(repo: string): Platform[] {
  if (!existsSync(repo)) return [];
  return readdirSync(repo)
    .filter((f) => STACK_FILE.test(f))
    .sort()
    .map((f) => parseStack(readFileSync(join(repo, f), "utf8"), join(repo, f)))
    .filter((p) => p.members.length > 0);
}

/** A platform named `stack` (a stack name or a stack file path). */
export function readStack(repo: string, stack: string): Platform {
  const candidates = [stack, join(repo, stack), join(repo, `Pulumi.${stack}.yaml`), join(repo, `Pulumi.${stack}.yml`)];
  const file = candidates.find((c) => STACK_FILE.test(basename(c)) && existsSync(c));
  if (!file) throw new UsageError(`no stack file for platform "${stack}" (looked for Pulumi.${stack}.yaml in ${repo})`);
  return parseStack(readFileSync(file, "utf8"), file);
}

/** A platform of packages given on the command line, each in its own namespace with the default channel. */
export function packagesPlatform(name: string, packages: string[]): Platform {
  return { name, members: packages.map((p) => ({ key: p, package: p, namespace: p })) };
}
