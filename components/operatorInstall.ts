/**
 * OperatorInstall: one operator from the catalog: its Namespace and OperatorGroup when this install owns
 * them (OLM allows one OperatorGroup per namespace), and the Subscription, awaited until OLM has installed
 * what it will install on its own.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { InstallPlanApproval, SubscriptionConfig } from "../src/platform/config.js";
import type { OperatorGroupPlan } from "../src/platform/plan.js";
import { awaitAnnotations, customTimeouts } from "../src/platform/readiness.js";

export interface OperatorInstallArgs {
  package: string;
  channel: string;
  startingCSV?: string;
  installPlanApproval: InstallPlanApproval;
  subscriptionName: string;
  namespace: string;
  /** Create the Namespace (only the namespace's first install does). */
  createNamespace: boolean;
  /** Create this OperatorGroup (only the namespace's first install does). */
  operatorGroup?: OperatorGroupPlan;
  /** Resources the Subscription waits for besides its own (the namespace owner's OperatorGroup). */
  after?: pulumi.Resource[];
  source: pulumi.Input<string>;
  sourceNamespace: pulumi.Input<string>;
  config?: SubscriptionConfig;
  /** pulumi.com/waitFor expressions for the Subscription. */
  waitFor: string[];
  timeoutSeconds: number;
}

/** The OperatorGroup spec OLM reads the install mode from: no targetNamespaces selects all namespaces. */
export function operatorGroupSpec(og: OperatorGroupPlan): Record<string, unknown> {
  return og.targetNamespaces ? { targetNamespaces: og.targetNamespaces } : {};
}

/** One operator from the catalog: its namespace, OperatorGroup and Subscription, and a wait until OLM reports it installed. */
export class OperatorInstall extends pulumi.ComponentResource {
  readonly namespaceResource?: k8s.core.v1.Namespace;
  readonly operatorGroup?: k8s.apiextensions.CustomResource;
  readonly subscription: k8s.apiextensions.CustomResource;
  /** The CSV OLM reports installed (status.installedCSV), known after the Subscription is awaited. */
  readonly installedCSV: pulumi.Output<string | undefined>;

  constructor(name: string, args: OperatorInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbaas:platform:OperatorInstall", name, {}, opts);
    const deps: pulumi.Resource[] = [...(args.after ?? [])];
    // Namespace and OperatorGroup are named after the namespace, not the operator, so they keep their
    // URNs whichever operator of the namespace owns them.
    if (args.createNamespace) {
      this.namespaceResource = new k8s.core.v1.Namespace(`${args.namespace}-namespace`, { metadata: { name: args.namespace } }, { parent: this });
      deps.push(this.namespaceResource);
    }
    if (args.operatorGroup) {
      this.operatorGroup = new k8s.apiextensions.CustomResource(
        `${args.namespace}-operatorgroup`,
        {
          apiVersion: "operators.coreos.com/v1",
          kind: "OperatorGroup",
          metadata: { name: args.operatorGroup.name, namespace: args.namespace },
          spec: operatorGroupSpec(args.operatorGroup),
        },
        { parent: this, dependsOn: this.namespaceResource ? [this.namespaceResource] : [] },
      );
      deps.push(this.operatorGroup);
    }
    const spec: Record<string, pulumi.Input<unknown>> = {
      name: args.package,
      channel: args.channel,
      source: args.source,
      sourceNamespace: args.sourceNamespace,
      installPlanApproval: args.installPlanApproval,
    };
    if (args.startingCSV) spec["startingCSV"] = args.startingCSV;
    if (args.config) spec["config"] = args.config;
    this.subscription = new k8s.apiextensions.CustomResource(
      `${name}-subscription`,
      {
        apiVersion: "operators.coreos.com/v1alpha1",
        kind: "Subscription",
        metadata: {
          name: args.subscriptionName,
          namespace: args.namespace,
          annotations: awaitAnnotations(args.waitFor, args.timeoutSeconds),
        },
        spec,
        // Not an input: declares `status` as an output so the live installedCSV can be read back.
        status: undefined,
      },
      { parent: this, dependsOn: deps, customTimeouts: customTimeouts(args.timeoutSeconds) },
    );
    const status = (this.subscription as unknown as { status: pulumi.Output<{ installedCSV?: string } | undefined> }).status;
    this.installedCSV = status.apply((s) => s?.installedCSV);
    this.registerOutputs({ installedCSV: this.installedCSV });
  }
}
