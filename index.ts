/**
 * The dbaas-platform Pulumi program: reads the typed `platform:` stack config, checks it against the
 * catalog (every problem reported before any resource is registered), and wires one DbaasPlatform.
 * Its return value is the stack outputs. See docs/platform.md.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { DbaasPlatform } from "./components/dbaasPlatform.js";
import type { CatalogImageBuilder } from "./components/catalogImage.js";
import { CONFIG_NAMESPACE, rawPlatformConfig } from "./src/platform/config.js";
import { loadCatalogModel } from "./src/platform/catalog.js";
import { gitRef } from "./src/platform/git.js";
import { checkPlatform, type PlatformPlan } from "./src/platform/plan.js";
import { UserError } from "./src/util/errors.js";
import { daemonlessCatalogBuilder } from "./src/image/catalog-builder.js";

const ROOT = dirname(fileURLToPath(import.meta.url));

/** The daemonless catalog image builder (src/image/): no Docker engine needed. */
const DAEMONLESS_BUILDER: CatalogImageBuilder = daemonlessCatalogBuilder;

/** What tests and benchmarks substitute; `pulumi` calls main() without arguments. */
export interface ProgramDeps {
  builder?: CatalogImageBuilder;
  gitRef?: string;
}

/** Validates the stack config against the catalog; a config problem fails the run without a stack trace. */
function platformPlan(): PlatformPlan {
  try {
    return checkPlatform(rawPlatformConfig(pulumi.runtime.allConfig()), pulumi.getStack(), (dir) => loadCatalogModel(resolve(ROOT, dir)));
  } catch (e) {
    if (e instanceof UserError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/** The program: one DbaasPlatform per stack; returns the stack outputs. */
export default async function main(deps: ProgramDeps = {}) {
  const plan = platformPlan();
  const builder = deps.builder ?? DAEMONLESS_BUILDER;
  const catalogDir = resolve(ROOT, plan.catalog.dir);
  const platform = new DbaasPlatform("dbaas", {
    plan,
    catalogDir,
    gitRef: deps.gitRef ?? gitRef(ROOT, [catalogDir]),
    builder,
    registryPassword: plan.hasRegistryPassword ? new pulumi.Config(CONFIG_NAMESPACE).requireSecret("registryPassword") : undefined,
  });
  return {
    catalogImage: platform.catalogImage,
    catalogSource: { name: platform.catalogSource.name, namespace: platform.catalogSource.namespace },
    operators: platform.operators,
  };
}
