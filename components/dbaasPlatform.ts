/**
 * DbaasPlatform: a whole platform variant (one stack) from its validated plan: the catalog image, the
 * CatalogSource, one OperatorInstall per operator; exports per operator what OLM will do (channel, head,
 * the upgrade path from startingCSV to the head) next to what it reports (installed CSV).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { PlatformPlan } from "../src/platform/plan.js";
import { subscriptionWaitFor } from "../src/platform/readiness.js";
import { CatalogImage, type CatalogImageBuilder } from "./catalogImage.js";
import { CatalogSource } from "./catalogSource.js";
import { OperatorInstall } from "./operatorInstall.js";

export interface DbaasPlatformArgs {
  /** From src/platform planPlatform: already checked against the catalog. */
  plan: PlatformPlan;
  /** Absolute path of the catalog directory. */
  catalogDir: string;
  /** Tag of the catalog image. */
  gitRef: string;
  builder?: CatalogImageBuilder;
  /** platform:registryPassword, a Pulumi secret. */
  registryPassword?: pulumi.Input<string>;
}

export interface OperatorOutputs {
  package: string;
  channel: string;
  namespace: string;
  installMode: string;
  headCSV: string;
  startingCSV: string | null;
  upgradePath: string[];
  installedCSV: pulumi.Output<string | undefined>;
}

/** A platform variant (one stack): the catalog image and source plus every operator the stack lists. */
export class DbaasPlatform extends pulumi.ComponentResource {
  /** Digest-pinned catalog image; undefined when the catalog is served from an address. */
  readonly catalogImage?: pulumi.Output<string>;
  readonly catalogSource: CatalogSource;
  readonly installs: Record<string, OperatorInstall> = {};
  readonly operators: Record<string, OperatorOutputs> = {};

  constructor(name: string, args: DbaasPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbaas:platform:DbaasPlatform", name, {}, opts);
    const { plan } = args;
    const cat = plan.catalog;
    const provider = plan.cluster
      ? new k8s.Provider(`${name}-cluster`, { context: plan.cluster.context, kubeconfig: plan.cluster.kubeconfig }, { parent: this })
      : undefined;
    const child: pulumi.ComponentResourceOptions = { parent: this, ...(provider ? { providers: [provider] } : {}) };
    const registry =
      plan.registry && args.registryPassword !== undefined ? { ...plan.registry, password: pulumi.secret(args.registryPassword) } : undefined;
    if (!cat.address) {
      const image = new CatalogImage(
        `${name}-catalog-image`,
        { dir: args.catalogDir, build: cat.build, image: cat.image!, ref: args.gitRef, push: cat.push, opmImage: cat.opmImage, builder: args.builder, registry },
        child,
      );
      this.catalogImage = image.imageRef;
    }
    this.catalogSource = new CatalogSource(
      `${name}-catalog`,
      {
        name: cat.name,
        namespace: cat.namespace,
        image: this.catalogImage,
        address: cat.address,
        displayName: cat.displayName,
        publisher: cat.publisher,
        securityContextConfig: cat.securityContextConfig,
        registryPoll: cat.registryPoll,
        pullSecret: cat.address ? undefined : registry,
        timeoutSeconds: plan.waitTimeoutSeconds,
      },
      child,
    );
    for (const ns of plan.namespaces) {
      let owner: OperatorInstall | undefined;
      for (const key of ns.operators) {
        const op = plan.operators.find((o) => o.key === key)!;
        const isOwner = key === ns.owner;
        const install = new OperatorInstall(
          `${name}-${key}`,
          {
            package: op.package,
            channel: op.channel,
            startingCSV: op.startingCSV,
            installPlanApproval: op.installPlanApproval,
            subscriptionName: op.subscriptionName,
            namespace: op.namespace,
            createNamespace: isOwner && ns.create,
            operatorGroup: isOwner ? ns.operatorGroup : undefined,
            after: owner?.operatorGroup ? [owner.operatorGroup] : [],
            source: this.catalogSource.name,
            sourceNamespace: this.catalogSource.namespace,
            config: op.config,
            waitFor: subscriptionWaitFor(op),
            timeoutSeconds: op.timeoutSeconds,
          },
          child,
        );
        owner ??= install;
        this.installs[key] = install;
        this.operators[key] = {
          package: op.package,
          channel: op.channel,
          namespace: op.namespace,
          installMode: ns.operatorGroup.mode,
          headCSV: op.headCSV,
          startingCSV: op.startingCSV ?? null,
          upgradePath: op.upgradePath,
          installedCSV: install.installedCSV,
        };
      }
    }
    this.registerOutputs({ catalogImage: this.catalogImage, operators: this.operators });
  }
}
