import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { buildProgram } from "../../src/cli/main.js";
import { REPO } from "../support/paths.js";
import { unavailable } from "../support/unavailable.js";

const WORKFLOWS = join(REPO, ".github", "workflows");
type Obj = Record<string, any>;

/** The actionlint binary built by scripts/tools/actionlint.sh, if this machine has one. */
function actionlintPath(): string | undefined {
  if (process.env["ACTIONLINT"] && existsSync(process.env["ACTIONLINT"])) return process.env["ACTIONLINT"];
  const cache = process.env["DBAAS_TOOLS_DIR"] ?? join(homedir(), ".cache", "dbaas-catalog", "tools");
  if (!existsSync(cache)) return undefined;
  return readdirSync(cache)
    .filter((d) => d.startsWith("actionlint-"))
    .sort()
    .map((d) => join(cache, d, "bin", "actionlint"))
    .reverse()
    .find((p) => existsSync(p));
}

const SEPARATORS = new Set(["|", "||", "&&", ";", ">", ">>", "2>&1"]);
const tokens = (line: string): string[] => line.trim().split(/\s+/).map((t) => t.replace(/^["']|["']$/g, ""));

/** The CLI command a `dbaas-catalog …` invocation names, and the problems with it (unknown command or flag). */
function cliProblems(program: Command, args: string[]): string[] {
  const [name, ...rest] = args;
  let cmd = program.commands.find((c) => c.name() === name || c.aliases().includes(name ?? ""));
  if (!cmd) return [`unknown CLI command "dbaas-catalog ${name}"`];
  if (cmd.commands.length) {
    const sub = cmd.commands.find((c) => c.name() === rest[0] || c.aliases().includes(rest[0] ?? ""));
    if (!sub) return [`unknown CLI command "dbaas-catalog ${name} ${rest[0]}"`];
    cmd = sub;
    rest.shift();
  }
  const flags = new Set(cmd.options.flatMap((o) => [o.long, o.short]).filter(Boolean));
  const end = rest.findIndex((t) => SEPARATORS.has(t));
  return rest
    .slice(0, end === -1 ? undefined : end)
    .filter((t) => t.startsWith("-"))
    .map((t) => t.split("=")[0]!)
    .filter((f) => !flags.has(f))
    .map((f) => `unknown flag ${f} for "dbaas-catalog ${args.slice(0, cmd!.parent === program ? 1 : 2).join(" ")}"`);
}

/**
 * Checks one `run:` script: every npm script, CLI command and flag, and repository script it names exists,
 * and it does at least one thing we know (npm, our CLI, a repository script, or setting step outputs).
 */
function runProblems(script: string, program: Command, scripts: Record<string, string>): string[] {
  const problems: string[] = [];
  let known = 0;
  for (const line of script.replace(/\\\n/g, " ").split("\n")) {
    const t = tokens(line);
    for (let i = 0; i < t.length; i++) {
      if (t[i] === "npm") {
        known++;
        const sub = t[i + 1];
        if (sub === "run") {
          if (!(t[i + 2]! in scripts)) problems.push(`npm script "${t[i + 2]}" does not exist`);
        } else if (sub === "test") {
          if (!("test" in scripts)) problems.push('npm script "test" does not exist');
        } else if (sub !== "ci") problems.push(`unexpected npm command "npm ${sub}"`);
      } else if (t[i] === "npx") {
        known++;
        if (t[i + 1] !== "dbaas-catalog") problems.push(`npx of "${t[i + 1]}": workflows call our CLI only`);
        else problems.push(...cliProblems(program, t.slice(i + 2)));
      } else if (t[i] === "bash" && t[i + 1] && !t[i + 1]!.startsWith("-")) {
        known++;
        if (!existsSync(join(REPO, t[i + 1]!))) problems.push(`script ${t[i + 1]} does not exist`);
      }
    }
    if (/>>\s*"\$GITHUB_OUTPUT"/.test(line)) known++; // a step that only computes outputs for later jobs
  }
  if (known === 0) problems.push(`run does nothing the project knows: ${script.split("\n")[0]}`);
  return problems;
}

/** Structural problems of every workflow file: triggers, jobs, needs, steps, local reusable workflows, run lines. */
function workflowProblems(files: Record<string, Obj>): string[] {
  const program = buildProgram();
  const scripts = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const problems: string[] = [];
  for (const [file, wf] of Object.entries(files)) {
    const at = (m: string): void => void problems.push(`${file}: ${m}`);
    if (typeof wf["name"] !== "string") at("no name");
    if (!wf["on"] || typeof wf["on"] !== "object") at("no triggers (on:)");
    const jobs = (wf["jobs"] ?? {}) as Obj;
    if (!Object.keys(jobs).length) at("no jobs");
    for (const [id, job] of Object.entries(jobs) as [string, Obj][]) {
      for (const n of [job["needs"] ?? []].flat()) if (!(n in jobs)) at(`job ${id} needs unknown job ${n}`);
      if (job["uses"]) {
        const local = String(job["uses"]);
        const target = files[local.replace("./.github/workflows/", "")];
        if (!local.startsWith("./.github/workflows/") || !target) at(`job ${id} uses ${local}, not a workflow of this repository`);
        else if (!target["on"]?.["workflow_call"]) at(`job ${id} uses ${local}, which has no workflow_call trigger`);
        continue;
      }
      if (!job["runs-on"]) at(`job ${id} has no runs-on`);
      const steps = job["steps"] as Obj[] | undefined;
      if (!Array.isArray(steps) || steps.length === 0) {
        at(`job ${id} has no steps`);
        continue;
      }
      steps.forEach((s, i) => {
        if (("uses" in s) === ("run" in s)) at(`job ${id} step ${i + 1} needs exactly one of uses/run`);
        if (s["uses"] && !/^[\w.-]+\/[\w.-]+@v\d+$/.test(s["uses"])) at(`job ${id} step ${i + 1}: action ${s["uses"]} is not pinned to a major version`);
        if (typeof s["run"] === "string") for (const p of runProblems(s["run"], program, scripts)) at(`job ${id} step ${i + 1}: ${p}`);
      });
    }
  }
  return problems;
}

const readWorkflows = (): Record<string, string> =>
  Object.fromEntries(readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml")).sort().map((f) => [f, readFileSync(join(WORKFLOWS, f), "utf8")]));
const parsed = (texts: Record<string, string>): Record<string, Obj> => Object.fromEntries(Object.entries(texts).map(([f, t]) => [f, parseYaml(t) as Obj]));
const runs = (job: Obj): string => (job["steps"] as Obj[]).map((s) => s["run"] ?? "").join("\n");

describe("CI workflows", function () {
  this.timeout(60_000);
  const texts = readWorkflows();
  const wf = parsed(texts);

  it("every workflow is well formed and every run line names an existing npm script, CLI command and flag, or repo script", () => {
    assert.deepEqual(Object.keys(wf), ["catalog-image.yml", "main.yml", "platform.yml", "pr.yml"]);
    assert.deepEqual(workflowProblems(wf), []);
  });

  it("the schema check fails on a broken workflow (unknown layer, npm script, flag, npx tool, missing job)", () => {
    const broken = {
      ...texts,
      "pr.yml": texts["pr.yml"]!
        .replace("check sanity", "check santy")
        .replace("check interop -o", "check interop --frobnicate -o")
        .replace("npm run test:unit", "npm run tests:unit")
        .replace("npm ci", "npx eslint")
        .replace("needs: owners", "needs: owner"),
    };
    const got = workflowProblems(parsed(broken));
    assert.deepEqual(got.map((p) => p.replace(/step \d+/, "step N")).sort(), [
      'pr.yml: job interoperability step N: unknown flag --frobnicate for "dbaas-catalog check interop"',
      'pr.yml: job owners step N: npx of "eslint": workflows call our CLI only',
      'pr.yml: job sanity needs unknown job owner',
      'pr.yml: job sanity step N: npm script "tests:unit" does not exist',
      'pr.yml: job sanity step N: unknown CLI command "dbaas-catalog check santy"',
    ]);
  });

  it("pull requests run owners, then sanity, then integration and interoperability against the base branch", () => {
    const pr = wf["pr.yml"]!;
    assert.ok(pr["on"]["pull_request"]);
    const jobs = pr["jobs"] as Obj;
    assert.deepEqual(Object.keys(jobs), ["owners", "sanity", "integration", "interoperability"]);
    assert.equal(jobs["sanity"]["needs"], "owners");
    assert.equal(jobs["integration"]["needs"], "sanity");
    assert.equal(jobs["interoperability"]["needs"], "sanity");
    assert.match(runs(jobs["owners"]), /dbaas-catalog check owners --base "origin\/\$BASE_REF" --author "\$AUTHOR"/);
    assert.match(runs(jobs["sanity"]), /npm run test:unit[\s\S]*dbaas-catalog check sanity/);
    assert.match(runs(jobs["integration"]), /dbaas-catalog check integration --base "origin\/\$BASE_REF"/);
    assert.match(runs(jobs["interoperability"]), /dbaas-catalog check interop/);
    assert.equal(jobs["owners"]["steps"][0]["with"]["fetch-depth"], 0);
  });

  it("main builds the image, validates the catalog it serves, runs e2e, and only then pushes :main then :latest", () => {
    const main = wf["main.yml"]!;
    assert.deepEqual(main["on"]["push"]["branches"], ["main"]);
    const jobs = main["jobs"] as Obj;
    assert.deepEqual(Object.keys(jobs), ["checks", "image", "e2e", "publish"]);
    assert.equal(jobs["image"]["uses"], "./.github/workflows/catalog-image.yml");
    assert.deepEqual([jobs["image"]["needs"], jobs["e2e"]["needs"], jobs["publish"]["needs"]], ["checks", "image", ["image", "e2e"]]);
    assert.match(runs(jobs["checks"]), /npm run test:unit[\s\S]*dbaas-catalog check all --base HEAD~1/);
    assert.match(runs(jobs["e2e"]), /bash scripts\/tools\/build\.sh[\s\S]*npm run e2e[\s\S]*npm run up/);
    const cache = (jobs["e2e"]["steps"] as Obj[]).find((s) => String(s["uses"]).startsWith("actions/cache@"));
    assert.equal(cache?.["with"]["path"], "~/.cache/dbaas-catalog/tools", "the e2e job keeps the Go-built tools between runs");
    assert.match(cache?.["with"]["key"], /hashFiles\('scripts\/tools\/versions\.env', 'scripts\/tools\/build\.sh'\)/);
    const publish = runs(jobs["publish"]);
    const main1 = publish.indexOf('image build catalog --repo "$IMAGE" --ref "$GITHUB_REF" --push --base "$OPM_IMAGE" |');
    const verify = publish.indexOf('= "$VALIDATED"');
    const latest = publish.indexOf('--push --base "$OPM_IMAGE" --tests-passed');
    assert.ok(main1 >= 0 && main1 < verify && verify < latest, publish);
    const image = wf["catalog-image.yml"]!;
    assert.ok(image["on"]["workflow_call"]["outputs"]["digest"]);
    assert.match(runs(image["jobs"]["build"]), /bash scripts\/registry\.sh up[\s\S]*image build catalog --repo "\$LOCAL_REPO" --ref "\$REF" --push[\s\S]*image extract "\$REFERENCE" image-catalog[\s\S]*dbaas-catalog validate image-catalog[\s\S]*check-drift --catalog image-catalog --offline/);
  });

  it("every catalog image is built on the opm image (so it serves), the same one everywhere", () => {
    const builds = Object.entries(texts).flatMap(([f, t]) => (t.match(/image build catalog[^\n|]*/g) ?? []).map((cmd) => [f, cmd] as const));
    assert.equal(builds.length, 4);
    for (const [f, cmd] of builds) assert.match(cmd, /--base "\$OPM_IMAGE"/, `${f}: ${cmd}`);
    for (const f of ["main.yml", "platform.yml", "catalog-image.yml"]) assert.equal(wf[f]!["env"]["OPM_IMAGE"], "quay.io/operator-framework/opm:v1.73.0", f);
  });

  it("platform branches and release tags get their own gates, images and tags", () => {
    const p = wf["platform.yml"]!;
    assert.deepEqual(p["on"]["push"]["branches"], ["platform*"]);
    assert.deepEqual(p["on"]["push"]["tags"], ["v*", "platform*/v*"]);
    assert.match(runs(p["jobs"]["checks"]), /check all --platform "\$stack"/);
    assert.equal(p["jobs"]["image"]["with"]["ref"], "${{ github.ref }}");
    assert.match(runs(p["jobs"]["publish"]), /image build catalog --repo "\$IMAGE" --ref "\$GITHUB_REF" --push[\s\S]*= "\$VALIDATED"/);
  });

  it("actionlint passes on every workflow (when built by scripts/tools/actionlint.sh)", function () {
    const bin = actionlintPath();
    if (!bin) {
      unavailable(this, "actionlint", "run `bash scripts/tools/actionlint.sh --build-only`");
    }
    const r = spawnSync(bin!, ["-no-color", ...Object.keys(texts).map((f) => join(".github", "workflows", f))], { cwd: REPO, encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
