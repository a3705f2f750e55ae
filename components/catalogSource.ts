/**
 * CatalogSource: the OLM v0 catalog of the platform (operators.coreos.com/v1alpha1, sourceType grpc),
 * served from the catalog image pinned by digest or from a running server's address, plus the pull
 * secret built from the registry credentials (a Pulumi secret end to end).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { SecurityContextConfig } from "../src/platform/config.js";
import { awaitAnnotations, catalogSourceWaitFor, customTimeouts } from "../src/platform/readiness.js";

export interface CatalogSourceArgs {
  name: string;
  namespace: string;
  /** Digest-pinned catalog image; exclusive with `address`. */
  image?: pulumi.Input<string>;
  /** `host:port` of a running catalog server. */
  address?: string;
  displayName: string;
  publisher: string;
  securityContextConfig: SecurityContextConfig;
  /** registryPoll interval (only meaningful for a tag; a digest never changes). */
  registryPoll?: string;
  /** Credentials to pull the catalog image. */
  pullSecret?: { server: string; username: string; password: pulumi.Input<string> };
  timeoutSeconds: number;
}

/** The `.dockerconfigjson` of one registry login. */
export function dockerConfigJson(server: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [server]: { username, password, auth } } });
}

/** The CatalogSource (image or address) through which OLM in the cluster reads our catalog. */
export class CatalogSource extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;
  readonly namespace: pulumi.Output<string>;
  /** The pull secret's content, a Pulumi secret; undefined without credentials. */
  readonly pullSecretConfig?: pulumi.Output<string>;

  constructor(name: string, args: CatalogSourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbaas:platform:CatalogSource", name, {}, opts);
    const secrets: pulumi.Input<string>[] = [];
    if (args.pullSecret) {
      const { server, username, password } = args.pullSecret;
      this.pullSecretConfig = pulumi.secret(pulumi.output(password).apply((pw) => dockerConfigJson(server, username, pw)));
      const secret = new k8s.core.v1.Secret(
        `${name}-pull-secret`,
        {
          metadata: { name: `${args.name}-pull`, namespace: args.namespace },
          type: "kubernetes.io/dockerconfigjson",
          stringData: { ".dockerconfigjson": this.pullSecretConfig },
        },
        { parent: this },
      );
      secrets.push(secret.metadata.name);
    }
    const spec: Record<string, pulumi.Input<unknown>> = {
      sourceType: "grpc",
      displayName: args.displayName,
      publisher: args.publisher,
    };
    if (args.address) {
      spec["address"] = args.address;
    } else {
      spec["image"] = args.image;
      spec["grpcPodConfig"] = { securityContextConfig: args.securityContextConfig };
      if (secrets.length) spec["secrets"] = secrets;
    }
    if (args.registryPoll) spec["updateStrategy"] = { registryPoll: { interval: args.registryPoll } };
    const cs = new k8s.apiextensions.CustomResource(
      `${name}-catalogsource`,
      {
        apiVersion: "operators.coreos.com/v1alpha1",
        kind: "CatalogSource",
        metadata: {
          name: args.name,
          namespace: args.namespace,
          annotations: awaitAnnotations(catalogSourceWaitFor(), args.timeoutSeconds),
        },
        spec,
      },
      { parent: this, customTimeouts: customTimeouts(args.timeoutSeconds) },
    );
    this.name = cs.metadata.name;
    this.namespace = cs.metadata.namespace.apply((ns) => ns ?? args.namespace);
    this.registerOutputs({ name: this.name, namespace: this.namespace });
  }
}
