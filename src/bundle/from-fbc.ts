/**
 * The inverse of rendering: an `olm.bundle` blob (with its `olm.bundle.object` manifests) back into bundle
 * files and bundle-image labels, so FBC-only bundles (the Percona fixtures) can be published as real
 * bundle images and rendered again through a registry.
 */
import { stringify as yamlStringify } from "yaml";
import type { Bundle, DeclarativeConfig } from "../fbc/types.js";
import type { BundleFile, BundleFiles } from "./files.js";
import { sortFiles } from "./files.js";
import { bundleObjectJson } from "../fbc/schema.js";

/** The label/annotation keys of a registry+v1 bundle (operator-registry's pkg/lib/bundle). */
export const BUNDLE_LABELS = {
  mediatype: "operators.operatorframework.io.bundle.mediatype.v1",
  manifests: "operators.operatorframework.io.bundle.manifests.v1",
  metadata: "operators.operatorframework.io.bundle.metadata.v1",
  package: "operators.operatorframework.io.bundle.package.v1",
  channels: "operators.operatorframework.io.bundle.channels.v1",
  defaultChannel: "operators.operatorframework.io.bundle.channel.default.v1",
} as const;

/** Bundle annotations (also the image labels), in the order `opm alpha bundle generate` writes them. */
export function bundleAnnotations(pkg: string, channels: string[], defaultChannel?: string): Record<string, string> {
  const a: Record<string, string> = {
    [BUNDLE_LABELS.mediatype]: "registry+v1",
    [BUNDLE_LABELS.manifests]: "manifests/",
    [BUNDLE_LABELS.metadata]: "metadata/",
    [BUNDLE_LABELS.package]: pkg,
    [BUNDLE_LABELS.channels]: channels.join(","),
  };
  if (defaultChannel) a[BUNDLE_LABELS.defaultChannel] = defaultChannel;
  return a;
}

/** `metadata/annotations.yaml` text for the given annotations. */
export function annotationsYaml(annotations: Record<string, string>): string {
  return yamlStringify({ annotations });
}

function manifestName(i: number, json: string): string {
  const o = JSON.parse(json) as { kind?: unknown; metadata?: { name?: unknown } };
  const slug = (s: unknown): string => String(s ?? "").toLowerCase().replace(/[^a-z0-9.-]+/g, "-");
  return `${String(i).padStart(3, "0")}-${slug(o.kind)}-${slug(o.metadata?.name)}.json`;
}

/** The channels of `cfg` that list bundle `name`, sorted. */
export function channelsOf(cfg: DeclarativeConfig, pkg: string, name: string): string[] {
  return cfg.channels.filter((c) => c.package === pkg && c.entries.some((e) => e.name === name)).map((c) => c.name).sort();
}

/**
 * Bundle files for an FBC bundle: one JSON manifest per `olm.bundle.object` (in property order, file names
 * keep that order), `metadata/annotations.yaml`, and `metadata/dependencies.yaml` for required packages
 * and APIs that are not derivable from the CSV.
 */
export function bundleFilesFromFbc(b: Bundle, channels: string[], defaultChannel?: string): { files: BundleFiles; labels: Record<string, string> } {
  const objects = b.properties.filter((p) => p.type === "olm.bundle.object").map((p) => bundleObjectJson(String((p.value as { data?: unknown }).data ?? "")));
  if (objects.length === 0) throw new Error(`bundle ${b.name} has no olm.bundle.object properties: its manifests are not in the catalog`);
  const manifests: BundleFile[] = objects.map((json, i) => ({ name: manifestName(i, json), data: Buffer.from(json + "\n") }));
  const labels = bundleAnnotations(b.package, channels, defaultChannel);
  const metadata: BundleFile[] = [{ name: "annotations.yaml", data: Buffer.from(annotationsYaml(labels)) }];
  const deps = b.properties
    .filter((p) => p.type === "olm.package.required")
    .map((p) => {
      const v = p.value as { packageName?: string; versionRange?: string };
      return { type: "olm.package", value: { packageName: v.packageName ?? "", version: v.versionRange ?? "" } };
    });
  if (deps.length) metadata.push({ name: "dependencies.yaml", data: Buffer.from(yamlStringify({ dependencies: deps })) });
  return { files: { manifests: sortFiles(manifests), metadata: sortFiles(metadata) }, labels };
}
