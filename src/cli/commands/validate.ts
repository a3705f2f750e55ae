import type { Command } from "commander";
import { statSync } from "node:fs";
import { formatValidationJson, formatValidationText, validateDir } from "../../fbc/validate.js";
import { UsageError, UserError } from "../../util/errors.js";

/** Adds `validate` to the CLI: opm validate's verdict, a readable tree, or opm's JSON. */
export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("validate a File-Based Catalog directory with the rules of opm validate v1.73")
    .argument("<dir>", "catalog directory")
    .option("-o, --output <format>", "text or json", "text")
    .action((dir: string, opts: { output: string }) => {
      if (opts.output !== "text" && opts.output !== "json") throw new UsageError(`-o must be "text" or "json", not "${opts.output}"`);
      let st;
      try {
        st = statSync(dir);
      } catch {
        throw new UserError(`stat ${dir}: no such file or directory`);
      }
      if (!st.isDirectory()) throw new UserError(`"${dir}" is not a directory`);
      const r = validateDir(dir);
      if (opts.output === "json") process.stdout.write(formatValidationJson(r));
      else if (!r.passed) process.stderr.write(formatValidationText(r) + "\n");
      if (!r.passed) process.exitCode = 1;
    });
}
