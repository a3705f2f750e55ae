#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx dbaas-catalog` works from a clone without a build step.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
