/**
 * `node --import tsx scripts/cluster/platform.ts up|preview|destroy|check <stack> [--log <file>]`
 *
 * Runs the dbaas-platform program for a stack against the local cluster (which must be up:
 * scripts/cluster/up.sh), non-interactively, see src/e2e/pulumi.ts. `up` then checks OLM from the API
 * server: CatalogSource READY, each Subscription AtLatestKnown on the planned head, each CSV Succeeded;
 * prints that table and exits 1 when anything falls short. The whole output also goes to `--log`.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { clusterInfo, missingBinaries } from "../../src/e2e/cluster.js";
import { formatOlmReport } from "../../src/e2e/olm-state.js";
import { awaitPlatformReport, stackPlan } from "../../src/e2e/platform.js";
import { preparePulumiProject, runPulumi, stackOutputs } from "../../src/e2e/pulumi.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const [command, stack, ...rest] = process.argv.slice(2);
const logIdx = rest.indexOf("--log");
const logFile = logIdx >= 0 ? rest[logIdx + 1] : undefined;
if (!command || !stack || !["up", "preview", "destroy", "check"].includes(command) || (logIdx >= 0 && !logFile)) {
  console.error("usage: platform.ts up|preview|destroy|check <stack> [--log <file>]");
  process.exit(2);
}

const cluster = clusterInfo();
const missing = missingBinaries(cluster);
if (missing.length) {
  console.error(`platform: tools not built: ${missing.join(", ")} (run: bash scripts/tools/build.sh)`);
  process.exit(3);
}
if (logFile) mkdirSync(dirname(resolve(logFile)), { recursive: true });
const log = logFile ? createWriteStream(logFile, { flags: "a" }) : undefined;
const out = (text: string) => {
  process.stdout.write(text);
  log?.write(text);
};
const tee = { write: (d: Buffer | string) => (out(d.toString()), true) } as unknown as NodeJS.WritableStream;

const project = preparePulumiProject(REPO, stack, cluster);
out(`platform: stack ${stack} (project ${project.dir}, backend ${project.env["PULUMI_BACKEND_URL"]})\n`);
let status = 0;
if (command !== "check") {
  const args = command === "preview" ? ["preview", "--diff"] : [command, "--yes", "--skip-preview"];
  const started = Date.now();
  const r = await runPulumi(project, args, tee);
  out(`platform: pulumi ${command} exited ${r.status} after ${Math.round((Date.now() - started) / 1000)}s\n`);
  status = r.status;
}
if (status === 0 && (command === "up" || command === "check")) {
  // pulumi already waited for the Subscriptions; a CSV may still be a moment from Succeeded
  const plan = stackPlan(stackOutputs(project));
  const report = await awaitPlatformReport(cluster, plan);
  if (report.problems.length) status = 1;
  out(formatOlmReport(report, plan.catalog));
}
log?.end();
process.exitCode = status;
