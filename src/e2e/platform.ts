/** A deployed platform stack as OLM reports it (shared by `npm run up` and the e2e tests). */
import { olmSnapshot, waitUntil, type ClusterInfo } from "./cluster.js";
import { leftovers, olmReport, plannedOperators, type OlmReport, type PlannedOperator } from "./olm-state.js";

export interface StackPlan {
  catalog: { name: string; namespace: string };
  operators: PlannedOperator[];
}

/** The catalog and operators a stack's outputs describe. */
export function stackPlan(outputs: Record<string, unknown>): StackPlan {
  return { catalog: outputs["catalogSource"] as StackPlan["catalog"], operators: plannedOperators(outputs) };
}

/** Polls OLM until it reports the plan (no problems) or `timeoutMs` passes; returns the last report either way. */
export async function awaitPlatformReport(cluster: ClusterInfo, plan: StackPlan, timeoutMs = 120_000): Promise<OlmReport> {
  let report: OlmReport = olmReport(olmSnapshot(cluster), plan.catalog, plan.operators);
  try {
    await waitUntil(
      "OLM to report the planned state",
      timeoutMs,
      () => {
        report = olmReport(olmSnapshot(cluster), plan.catalog, plan.operators);
        return report.problems.length ? undefined : report;
      },
      2000,
    );
  } catch {
    // the report says what is missing
  }
  return report;
}

/** OLM objects of the stack still on the cluster (its operators' namespaces and its CatalogSource). */
export function platformLeftovers(cluster: ClusterInfo, plan: StackPlan): string[] {
  return leftovers(olmSnapshot(cluster), [...new Set(plan.operators.map((o) => o.namespace))], plan.catalog);
}
