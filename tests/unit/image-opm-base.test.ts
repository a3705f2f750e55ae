/**
 * The catalog image as a cluster runs it: built on our opm base image (opm and grpc_health_probe compiled
 * from Go modules), pushed to and pulled back from the real local registry, its root filesystem written
 * out with the layers' permissions, then its own entrypoint and command started (paths under that root)
 * and probed with its own grpc_health_probe exactly as OLM's catalog pod probes do.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildOpmBaseImage, OPM_BASE_USER } from "../../src/image/opm-base.js";
import { buildCatalog } from "../../src/image/publish.js";
import { imageFilesystem, pullImage } from "../../src/image/pull.js";
import { pushImage } from "../../src/image/push.js";
import { parseReference } from "../../src/image/reference.js";
import { opmPath, toolPath } from "../support/opm.js";
import { CATALOG } from "../support/paths.js";
import { freePort, requireRegistry, startRegistry, testClient, type RunningRegistry } from "../support/registry.js";
import { unavailable } from "../support/unavailable.js";
import { cli } from "../support/cli.js";

const OPM_BASE = "quay.io/operator-framework/opm:v1.73.0";

describe("catalog image on the opm base: serves its catalog and passes OLM's probe", function () {
  this.timeout(180_000);
  let reg: RunningRegistry;
  let root: string;
  let server: ChildProcess | undefined;
  let command: string[] = [];
  let baseDigest = "";

  before(async function () {
    requireRegistry(this);
    const opm = opmPath();
    const probe = toolPath("grpc_health_probe");
    if (!opm || !probe) unavailable(this, "opm or grpc_health_probe", "run `bash scripts/tools/build.sh opm grpc-health-probe`");
    reg = await startRegistry();
    root = mkdtempSync(join(tmpdir(), "opm-base-root-"));
    const client = testClient();
    const base = await buildOpmBaseImage({ opm: readFileSync(opm!), grpcHealthProbe: readFileSync(probe!), version: "v1.73.0" });
    baseDigest = base.digest;
    // pushed where `quay.io` is mirrored to, as scripts/opm-base.sh does with the local registry
    await pushImage(client, base, [parseReference(`${reg.address}/operator-framework/opm:v1.73.0`)]);
    await buildCatalog(CATALOG, { repo: `${reg.address}/dbaas-catalog`, ref: "main", push: true, base: OPM_BASE, registryMirror: [`quay.io=${reg.address}`] }, client);
  });

  after(() => {
    server?.kill("SIGKILL");
    reg?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("pulled back, it holds opm, the probe and the catalog, with the permissions a non-root pod needs", async () => {
    const pulled = await pullImage(testClient(), parseReference(`${reg.address}/dbaas-catalog:main`), "dbaas-catalog:main");
    const cfg = pulled.config.json.config!;
    command = [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
    assert.deepEqual(cfg.Entrypoint, ["/bin/opm"]);
    assert.deepEqual(cfg.Cmd?.slice(0, 2), ["serve", "/configs"]);
    assert.equal(cfg["User"], OPM_BASE_USER);
    assert.equal(pulled.layers.length, 2, "the base layer, then the catalog layer");
    const fs = await imageFilesystem(pulled, "dbaas-catalog:main");
    for (const [path, node] of [...fs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const target = join(root, path);
      if (node.dir) mkdirSync(target, { recursive: true });
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, node.data);
      }
      if (node.mode !== undefined) chmodSync(target, node.mode & 0o7777);
    }
    assert.equal(statSync(join(root, "bin", "opm")).mode & 0o777, 0o755);
    assert.equal(statSync(join(root, "bin", "grpc_health_probe")).mode & 0o777, 0o755);
    assert.equal(statSync(join(root, "tmp")).mode & 0o7777, 0o1777, "/tmp is writable by any user (opm's serve cache)");
    assert.deepEqual(readFileSync(join(root, "configs", "percona-server-mongodb-operator", "catalog.yaml")), readFileSync(join(CATALOG, "percona-server-mongodb-operator", "catalog.yaml")));
  });

  it("its entrypoint serves /configs and its grpc_health_probe reports SERVING, as OLM's readiness probe asks", async () => {
    const port = await freePort();
    const at = (p: string): string => join(root, p.replace(/^\//, ""));
    // the image's Entrypoint + Cmd as they are, each absolute path (also after `=`) moved under the root
    const [exe, ...args] = command.map((a) => a.replace(/^(--[\w-]+=)?(\/.*)$/, (_m, flag: string | undefined, p: string) => (flag ?? "") + at(p)));
    assert.ok(exe, "the image has an entrypoint");
    server = spawn(exe, [...args, "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 120_000;
    let last = { status: -1 as number | null, out: "" };
    while (Date.now() < deadline) {
      const r = spawnSync(at("/bin/grpc_health_probe"), [`-addr=127.0.0.1:${port}`, "-rpc-timeout=5s"], { encoding: "utf8" });
      last = { status: r.status, out: r.stdout + r.stderr };
      if (r.status === 0) break;
      assert.equal(server.exitCode, null, `opm serve exited ${server.exitCode}:\n${log}`);
      await new Promise((res) => setTimeout(res, 500));
    }
    assert.equal(last.status, 0, `the probe never passed: ${last.out}\nopm serve:\n${log}`);
    assert.match(last.out, /status: SERVING/);
  });

  it("`image base` builds the same image from the same binaries; a binary that is not opm is exit 1", () => {
    const ok = cli(["image", "base", `${reg.address}/operator-framework/opm:v1.73.0`, "--opm", opmPath()!, "--grpc-health-probe", toolPath("grpc_health_probe")!]);
    assert.equal(ok.status, 0, ok.stderr);
    // built again in another process: the same binaries give the same base digest
    assert.equal(ok.stdout, `${reg.address}/operator-framework/opm:v1.73.0  (not pushed)\ndigest ${baseDigest}\n`);
    const wrong = cli(["image", "base", `${reg.address}/x:v1`, "--opm", toolPath("grpc_health_probe")!]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /grpc_health_probe: not an opm binary/);
    const missing = cli(["image", "base", `${reg.address}/x:v1`, "--opm", join(root, "no-such-opm")]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /--opm .*no-such-opm: no such file/);
  });
});
