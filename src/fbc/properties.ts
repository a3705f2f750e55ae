/**
 * Typed reading of bundle properties, as opm's property.Parse does: known types are decoded with Go's
 * json rules (wrong types fail), unknown types only have to be JSON.
 */
import { decodeGo, goBytes, goRaw, goString, goStruct, GoJsonError, type GoType } from "./gojson.js";
import type { GvkProperty, PackageProperty, PackageRequiredProperty, Property } from "./types.js";
import {
  PROP_BUNDLE_OBJECT,
  PROP_CSV_METADATA,
  PROP_GVK,
  PROP_GVK_REQUIRED,
  PROP_PACKAGE,
  PROP_PACKAGE_REQUIRED,
} from "./types.js";

export interface ParsedProperties {
  packages: PackageProperty[];
  gvks: GvkProperty[];
  gvksRequired: GvkProperty[];
  packagesRequired: PackageRequiredProperty[];
  bundleObjects: { data?: string }[];
  csvMetadatas: Record<string, unknown>[];
  others: Property[];
}

const gvk = (name: string): GoType => goStruct(name, { group: goString, kind: goString, version: goString });

const TYPED: Record<string, GoType> = {
  [PROP_PACKAGE]: goStruct("Package", { packageName: goString, version: goString, release: goString }),
  [PROP_PACKAGE_REQUIRED]: goStruct("PackageRequired", { packageName: goString, versionRange: goString }),
  [PROP_GVK]: gvk("GVK"),
  [PROP_GVK_REQUIRED]: gvk("GVKRequired"),
  [PROP_BUNDLE_OBJECT]: goStruct("BundleObject", { data: goBytes }),
  [PROP_CSV_METADATA]: goRaw,
  "olm.channel": goRaw,
};

/** Reads a bundle's properties by type; throws the `parse property[i] of type "t": ...` error of opm. */
export function parseProperties(props: Property[]): ParsedProperties {
  const out: ParsedProperties = {
    packages: [],
    gvks: [],
    gvksRequired: [],
    packagesRequired: [],
    bundleObjects: [],
    csvMetadatas: [],
    others: [],
  };
  props.forEach((p, i) => {
    try {
      if (p.value === undefined) throw new GoJsonError("unexpected end of JSON input");
      const t = TYPED[p.type];
      if (!t) {
        out.others.push(p);
        return;
      }
      const v = decodeGo(p.value, t, (t as { name?: string }).name ?? p.type) ?? {};
      switch (p.type) {
        case PROP_PACKAGE: {
          const pkg = v as Partial<PackageProperty>;
          out.packages.push({ packageName: pkg.packageName ?? "", version: pkg.version ?? "", release: pkg.release });
          break;
        }
        case PROP_PACKAGE_REQUIRED:
          out.packagesRequired.push(v as PackageRequiredProperty);
          break;
        case PROP_GVK:
          out.gvks.push(v as GvkProperty);
          break;
        case PROP_GVK_REQUIRED:
          out.gvksRequired.push(v as GvkProperty);
          break;
        case PROP_BUNDLE_OBJECT:
          out.bundleObjects.push(v as { data?: string });
          break;
        case PROP_CSV_METADATA:
          out.csvMetadatas.push(v as Record<string, unknown>);
          break;
      }
    } catch (e) {
      throw new Error(`parse property[${i}] of type "${p.type}": ${(e as Error).message}`);
    }
  });
  return out;
}

/** The single `olm.package` property of a bundle, or undefined when there is not exactly one. */
export function packageProperty(props: Property[]): PackageProperty | undefined {
  try {
    const p = parseProperties(props).packages;
    return p.length === 1 ? p[0] : undefined;
  } catch {
    return undefined;
  }
}
