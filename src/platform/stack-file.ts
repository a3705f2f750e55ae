/**
 * Reads a `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: a flat map of
 * `namespace:key` to text, objects and numbers as JSON. Lets tests and benchmarks run the program on the
 * real stack files without the CLI. Secure values cannot be decrypted here and are reported by key.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "yaml";
import { UserError } from "../util/errors.js";

export interface StackConfig {
  stack: string;
  config: Record<string, string>;
  /** Keys whose value is `secure:` in the file. */
  secureKeys: string[];
}

/** The stack name of a stack file path (`Pulumi.percona-platform.yaml` → `percona-platform`). */
export function stackOfFile(file: string): string {
  const m = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file));
  if (!m) throw new UserError(`${file}: not a stack file (Pulumi.<stack>.yaml)`);
  return m[1]!;
}

/** Flattens stack-file config values into the CLI's string form. */
export function cliConfig(values: Record<string, unknown>): { config: Record<string, string>; secureKeys: string[] } {
  const config: Record<string, string> = {};
  const secureKeys: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v) {
      secureKeys.push(k);
      continue;
    }
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return { config, secureKeys };
}

/** Reads a stack file's `config:` section. */
export function readStackFile(file: string): StackConfig {
  const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  return { stack: stackOfFile(file), ...cliConfig(doc.config ?? {}) };
}
