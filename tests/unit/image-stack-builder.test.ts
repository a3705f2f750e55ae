import { strict as assert } from "node:assert";
import { buildCatalogImageForStack } from "../../src/image/catalog-builder.js";
import { RegistryClient } from "../../src/image/client.js";
import { buildOpmBaseImage } from "../../src/image/opm-base.js";
import { pullImage } from "../../src/image/pull.js";
import { pushImage } from "../../src/image/push.js";
import { parseReference } from "../../src/image/reference.js";
import { sharedRegistry } from "../support/registry.js";
import { CATALOG } from "../support/paths.js";

describe("daemonless builder for the Pulumi program", function () {
  this.timeout(120_000);

  it("preview computes the digest a push produces; push publishes it pinned", async () => {
    const reg = await sharedRegistry();
    const repo = `${reg.address}/stack-builder-test`;
    const preview = await buildCatalogImageForStack(CATALOG, repo, "main", false);
    const pushed = await buildCatalogImageForStack(CATALOG, repo, "main", true);
    assert.equal(preview.digestRef, pushed.digestRef);
    assert.match(pushed.digestRef, /@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(pushed.tags, [`${repo}:main`]);
    const digest = pushed.digestRef.split("@")[1]!;
    const head = await new RegistryClient().headManifest(parseReference(pushed.digestRef), digest, pushed.digestRef);
    assert.equal(head.digest, digest, "the pinned digest exists in the registry");
  });

  it("a feature branch pushes under a build tag, never under :main", async () => {
    const reg = await sharedRegistry();
    const repo = `${reg.address}/stack-builder-branch`;
    const r = await buildCatalogImageForStack(CATALOG, repo, "feature/x", true);
    assert.equal(r.tags.length, 1);
    assert.match(r.tags[0]!, /:build-[0-9a-f]{12}$/);
  });

  it("builds on the stack's opmImage, pulled through DBAAS_REGISTRY_MIRRORS, also for a build tag", async () => {
    const reg = await sharedRegistry();
    const client = new RegistryClient();
    // a stand-in base (tests/unit/image-opm-base.test.ts serves a catalog from the real one)
    const base = await buildOpmBaseImage({ opm: Buffer.from("#!/bin/sh\n"), version: "v0.0.0-test" });
    await pushImage(client, base, [parseReference(`${reg.address}/operator-framework/opm-stand-in:v0`)]);
    const saved = process.env["DBAAS_REGISTRY_MIRRORS"];
    process.env["DBAAS_REGISTRY_MIRRORS"] = `quay.io=${reg.address}`;
    try {
      const repo = `${reg.address}/stack-builder-base`;
      const plain = await buildCatalogImageForStack(CATALOG, repo, "main", false);
      const onBase = await buildCatalogImageForStack(CATALOG, repo, "main", true, undefined, "quay.io/operator-framework/opm-stand-in:v0");
      assert.notEqual(onBase.digestRef, plain.digestRef);
      const pulled = await pullImage(client, parseReference(onBase.digestRef), onBase.digestRef);
      assert.equal(pulled.layers[0]!.digest, base.layers[0]!.digest, "the base layer comes first");
      assert.deepEqual(pulled.config.json.config?.Entrypoint, ["/bin/opm"]);
      const branch = await buildCatalogImageForStack(CATALOG, repo, "feature/y", true, undefined, "quay.io/operator-framework/opm-stand-in:v0");
      assert.equal(branch.digestRef, onBase.digestRef, "a build tag carries the very image built (same base, same digest)");
    } finally {
      if (saved === undefined) delete process.env["DBAAS_REGISTRY_MIRRORS"];
      else process.env["DBAAS_REGISTRY_MIRRORS"] = saved;
    }
  });
});
