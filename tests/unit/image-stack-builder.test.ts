import { strict as assert } from "node:assert";
import { buildCatalogImageForStack } from "../../src/image/catalog-builder.js";
import { RegistryClient } from "../../src/image/client.js";
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
});
