/** Upgrade planning: the pure functions the CLI and the Pulumi program share. */
export { planUpgrade, defaultChannelOf, type PlanOptions, type PlanStep, type UpgradePlan } from "./plan.js";
export { planJson, planMarkdown, planText, renderPlan } from "./render.js";
export { bundleFacts, type BundleFacts } from "./bundle-facts.js";
export { declaredEdges, type DeclaredEdge } from "./declared-edges.js";
export type { CrdChange, ImageChange, StepChanges } from "./step-changes.js";
