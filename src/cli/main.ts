/**
 * The `dbaas-catalog` command line. Exit codes: 0 ok, 1 invalid input (bad catalog, template, image),
 * 2 usage (unknown command or flag, missing argument).
 */
import { Command, CommanderError } from "commander";
import { setRegistrySourceFactory } from "../bundle/default-source.js";
import { registerRender } from "./commands/render.js";
import { registerValidate } from "./commands/validate.js";
import { registerBundle, registryRenderSource } from "./commands/bundle.js";
import { registerImage } from "./commands/image.js";
import { registerList } from "./commands/list.js";
import { registerPlan } from "./commands/plan.js";
import { registerGraph } from "./commands/graph.js";
import { registerDiff } from "./commands/diff.js";
import { registerReport } from "./commands/report.js";
import { registerCheck } from "./commands/check.js";
import { registerOwner } from "./commands/owner.js";
import { UsageError, UserError, errorMessage } from "../util/errors.js";

type Register = (program: Command) => void;

/** Command modules; each adds its subcommands. */
export const COMMANDS: Register[] = [registerRender, registerValidate, registerList, registerPlan, registerGraph, registerDiff, registerReport, registerCheck, registerOwner, registerBundle, registerImage];

setRegistrySourceFactory(registryRenderSource);

/** Builds the program (exported so tests can run it in-process). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("dbaas-catalog")
    .description("Render, validate, test and publish the DBaaS operator catalog")
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`internal error: ${errorMessage(e)}\n${(e as Error).stack ?? ""}\n`);
    return 3;
  }
}
