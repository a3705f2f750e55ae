/**
 * Readiness of OLM objects expressed with pulumi-kubernetes' await annotations (provider v4.18+):
 * `pulumi.com/waitFor` takes `condition=<Type>[=<status>]`, `jsonpath={<path>}[=<value>]` (a bare
 * jsonpath waits for the field to exist), or a JSON list of those that must all hold;
 * `pulumi.com/skipAwait: "true"` turns waiting off. The timeout is the resource's customTimeouts.
 */
import type { OperatorPlan } from "./plan.js";

export const WAIT_FOR = "pulumi.com/waitFor";
export const SKIP_AWAIT = "pulumi.com/skipAwait";

/** The annotation value for one or several wait expressions. */
export function waitForValue(exprs: string[]): string {
  return exprs.length === 1 ? exprs[0]! : JSON.stringify(exprs);
}

/** Annotations that make the provider wait for `exprs`, or skip waiting when the timeout is 0. */
export function awaitAnnotations(exprs: string[], timeoutSeconds: number): Record<string, string> {
  return timeoutSeconds === 0 ? { [SKIP_AWAIT]: "true" } : { [WAIT_FOR]: waitForValue(exprs) };
}

/** A CatalogSource is usable once its registry connection reports READY. */
export function catalogSourceWaitFor(): string[] {
  return ["jsonpath={.status.connectionState.lastObservedState}=READY"];
}

/**
 * A Subscription is done when OLM has installed what it will install on its own: with Automatic approval
 * the channel head (state AtLatestKnown, installedCSV the head); with Manual approval an InstallPlan
 * waiting for approval is as far as it goes.
 */
export function subscriptionWaitFor(op: Pick<OperatorPlan, "installPlanApproval" | "headCSV">): string[] {
  if (op.installPlanApproval === "Manual") return ["jsonpath={.status.installPlanRef.name}"];
  return ["jsonpath={.status.state}=AtLatestKnown", `jsonpath={.status.installedCSV}=${op.headCSV}`];
}

/** Pulumi customTimeouts for a wait of `seconds` (Go duration strings). */
export function customTimeouts(seconds: number): { create: string; update: string } | undefined {
  return seconds > 0 ? { create: `${seconds}s`, update: `${seconds}s` } : undefined;
}
