/**
 * Typed File-Based Catalog blobs, shaped like operator-registry's alpha/declcfg structs.
 * Every blob remembers where it came from so that errors can name file and line.
 */

/** Where a blob (or a value inside it) was read from. */
export interface Origin {
  file: string;
  line: number;
  column: number;
}

export interface Property {
  type: string;
  value: unknown;
}

export interface RelatedImage {
  name: string;
  image: string;
}

export interface Icon {
  base64data: string;
  mediatype: string;
}

export interface Package {
  schema: "olm.package";
  name: string;
  defaultChannel: string;
  icon?: Icon;
  description?: string;
  properties?: Property[];
  origin?: Origin;
}

export interface ChannelEntry {
  name: string;
  replaces?: string;
  skips?: string[];
  skipRange?: string;
}

export interface Channel {
  schema: "olm.channel";
  package: string;
  name: string;
  entries: ChannelEntry[];
  properties?: Property[];
  origin?: Origin;
}

export interface Bundle {
  schema: "olm.bundle";
  package: string;
  name: string;
  image: string;
  properties: Property[];
  relatedImages?: RelatedImage[];
  origin?: Origin;
}

export interface DeprecationReference {
  schema: string;
  name?: string;
}

export interface DeprecationEntry {
  reference: DeprecationReference;
  message: string;
}

export interface Deprecation {
  schema: "olm.deprecations";
  package: string;
  entries: DeprecationEntry[];
  origin?: Origin;
}

/** A blob of a schema opm does not model: kept as read, never validated. */
export interface OtherBlob {
  schema: string;
  package?: string;
  name?: string;
  blob: Record<string, unknown>;
  origin?: Origin;
}

export interface DeclarativeConfig {
  packages: Package[];
  channels: Channel[];
  bundles: Bundle[];
  deprecations: Deprecation[];
  others: OtherBlob[];
}

/** An empty catalog, the neutral element for merging loaded files. */
export function emptyConfig(): DeclarativeConfig {
  return { packages: [], channels: [], bundles: [], deprecations: [], others: [] };
}

export const SCHEMA_PACKAGE = "olm.package";
export const SCHEMA_CHANNEL = "olm.channel";
export const SCHEMA_BUNDLE = "olm.bundle";
export const SCHEMA_DEPRECATIONS = "olm.deprecations";

export const PROP_PACKAGE = "olm.package";
export const PROP_GVK = "olm.gvk";
export const PROP_GVK_REQUIRED = "olm.gvk.required";
export const PROP_PACKAGE_REQUIRED = "olm.package.required";
export const PROP_BUNDLE_OBJECT = "olm.bundle.object";
export const PROP_CSV_METADATA = "olm.csv.metadata";

export interface PackageProperty {
  packageName: string;
  version: string;
  release?: string;
}

export interface GvkProperty {
  group: string;
  kind: string;
  version: string;
}

export interface PackageRequiredProperty {
  packageName: string;
  versionRange: string;
}
