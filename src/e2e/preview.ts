/** Reading `pulumi preview --json`: which resources a change touches. Pure. */

export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  detailedDiff?: Record<string, { kind: string }> | null;
}

export interface ResourceChange {
  op: string;
  /** The resource type, e.g. `kubernetes:operators.coreos.com/v1alpha1:Subscription`. */
  type: string;
  name: string;
  /** Changed property paths (detailedDiff keys, else diffReasons). */
  paths: string[];
}

/** The type and name of a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::name`). */
export function urnTypeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return { type: types.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/**
 * The steps of a preview that change something. `ignoreProviderVersion` drops provider updates whose
 * only reason is `version`: the provider plugin on PATH reports its own version, which differs from the
 * SDK's when the two are not pinned to the same release (the update then changes nothing on the cluster).
 */
export function resourceChanges(steps: PreviewStep[], opts: { ignoreProviderVersion?: boolean } = {}): ResourceChange[] {
  return steps
    .filter((s) => s.op !== "same")
    .filter((s) => {
      const provider = urnTypeAndName(s.urn).type.startsWith("pulumi:providers:");
      return !(opts.ignoreProviderVersion && provider && s.op === "update" && JSON.stringify(s.diffReasons ?? []) === '["version"]');
    })
    .map((s) => ({ op: s.op, ...urnTypeAndName(s.urn), paths: Object.keys(s.detailedDiff ?? {}).length ? Object.keys(s.detailedDiff ?? {}).sort() : [...(s.diffReasons ?? [])].sort() }));
}
