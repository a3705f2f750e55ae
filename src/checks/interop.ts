/**
 * The interoperability layer: the operators a platform installs together must coexist. For one choice of
 * bundle per operator: no two packages own the same API, every olm.gvk.required / olm.package.required is
 * met inside the platform, each namespace's one OperatorGroup fits every CSV in it, and no webhook reaches
 * into another operator's CRDs. The choices form a matrix: released × released (blocking), then each
 * candidate × released and candidate × candidate (reported; not blocking unless the caller says so).
 */
import type { Model, ModelBundle, ModelPackage } from "../fbc/model.js";
import { compareSemver, rangeIncludes } from "../fbc/version.js";
import { channelGraph } from "../graph/upgrade.js";
import { installModeOf } from "../platform/plan.js";
import { errorMessage } from "../util/errors.js";
import { bundleManifests, supportedInstallModes } from "./manifests.js";
import type { Platform, PlatformMember } from "./platforms.js";
import type { Finding, Severity } from "./report.js";

export type Role = "released" | "candidate";

export interface Pick {
  member: PlatformMember;
  bundle: ModelBundle;
  role: Role;
}

export interface SetProblem {
  rule: string;
  severity: Severity;
  message: string;
  /** The bundle (and operator) the finding is filed under. */
  pick: Pick;
  /** Bundles the problem involves (decides which matrix cell it belongs to). */
  bundles: ModelBundle[];
}

const ARCHETYPE = /^(candidate|fast|stable)(?:-|$)/;

function headOf(pkg: ModelPackage, channel: string): ModelBundle {
  return channelGraph(new Map([[pkg.name, pkg]]), pkg.name, channel).head;
}

/** The newest head of the candidate and fast channels when it is newer than `released`: what is about to ship. */
export function candidateOf(pkg: ModelPackage, released: ModelBundle): ModelBundle | undefined {
  let best: ModelBundle | undefined;
  for (const ch of pkg.channels.values()) {
    const arch = ARCHETYPE.exec(ch.name)?.[1];
    if (ch.placeholder || (arch !== "candidate" && arch !== "fast")) continue;
    let head: ModelBundle;
    try {
      head = headOf(pkg, ch.name);
    } catch {
      continue; // an invalid channel is the sanity layer's finding
    }
    if (!best || compareSemver(head.version, best.version) > 0) best = head;
  }
  return best && compareSemver(best.version, released.version) > 0 ? best : undefined;
}

/** APIs (group/Kind) a bundle owns: its olm.gvk properties and the CRDs it ships. */
export function ownedApis(b: ModelBundle): Set<string> {
  const out = new Set((b.props?.gvks ?? []).map((g) => `${g.group}/${g.kind}`));
  for (const c of bundleManifests(b).crds) out.add(`${c.group}/${c.kind}`);
  return out;
}

const label = (p: Pick): string => `${p.member.package} (${p.bundle.name})`;

function conflicts(picks: Pick[], out: SetProblem[]): void {
  for (let i = 0; i < picks.length; i++) {
    for (let j = i + 1; j < picks.length; j++) {
      const a = picks[i]!;
      const b = picks[j]!;
      if (a.member.package === b.member.package) continue;
      const mine = ownedApis(a.bundle);
      const shared = [...ownedApis(b.bundle)].filter((k) => mine.has(k)).sort();
      if (shared.length) {
        out.push({ rule: "gvk-conflict", severity: "error", pick: b, bundles: [a.bundle, b.bundle], message: `${label(a)} and ${label(b)} both own ${shared.join(", ")}: their CRDs would overwrite each other` });
      }
    }
  }
}

function webhooks(picks: Pick[], out: SetProblem[]): void {
  for (const p of picks) {
    const csv = bundleManifests(p.bundle).csv;
    for (const w of csv?.webhooks ?? []) {
      for (const q of picks) {
        if (q.member.package === p.member.package) continue;
        const crds = bundleManifests(q.bundle).crds;
        const converted = w.conversionCRDs.filter((n) => crds.some((c) => c.name === n));
        if (converted.length) {
          out.push({ rule: "webhook-conflict", severity: "error", pick: p, bundles: [p.bundle, q.bundle], message: `${label(p)} declares conversion webhook ${w.generateName} for ${converted.join(", ")}, which ${label(q)} ships` });
        }
        const foreign = crds.filter((c) => w.resources.some((r) => r === `${c.group}/${c.plural}` || r === `${c.group}/*` || r === "*/*" || r === `*/${c.plural}`));
        if (w.type !== "ConversionWebhook" && foreign.length) {
          out.push({ rule: "webhook-intercepts", severity: "warning", pick: p, bundles: [p.bundle, q.bundle], message: `${label(p)} ${w.type} ${w.generateName} intercepts ${foreign.map((c) => c.name).join(", ")} of ${label(q)}` });
        }
      }
    }
  }
}

function requirements(picks: Pick[], out: SetProblem[]): void {
  const provided = new Set(picks.flatMap((p) => (p.bundle.props?.gvks ?? []).map((g) => `${g.group}/${g.version}/${g.kind}`)));
  for (const p of picks) {
    for (const g of p.bundle.props?.gvksRequired ?? []) {
      const key = `${g.group}/${g.version}/${g.kind}`;
      if (!provided.has(key)) out.push({ rule: "gvk-required", severity: "error", pick: p, bundles: [p.bundle], message: `${label(p)} requires API ${key}, which no operator of the platform provides` });
    }
    for (const r of p.bundle.props?.packagesRequired ?? []) {
      const there = picks.filter((q) => q.member.package === r.packageName);
      if (!there.some((q) => rangeIncludes(r.versionRange, q.bundle.version))) {
        const have = there.length ? `installs ${there.map((q) => q.bundle.version).join(", ")}` : "does not install it";
        out.push({ rule: "package-required", severity: "error", pick: p, bundles: [p.bundle, ...there.map((q) => q.bundle)], message: `${label(p)} requires package ${r.packageName} ${r.versionRange}; the platform ${have}` });
      }
    }
  }
}

function installModes(picks: Pick[], out: SetProblem[]): void {
  const byNs = new Map<string, Pick[]>();
  for (const p of picks) byNs.set(p.member.namespace, [...(byNs.get(p.member.namespace) ?? []), p]);
  for (const [ns, members] of byNs) {
    const known = members.filter((p) => bundleManifests(p.bundle).csv);
    const modes = (p: Pick): string[] => supportedInstallModes(bundleManifests(p.bundle).csv);
    const explicit = members.find((p) => p.member.targetNamespaces);
    const need = explicit ? [installModeOf(ns, explicit.member.targetNamespaces!)] : ["AllNamespaces", "OwnNamespace"];
    if (need.some((m) => known.every((p) => modes(p).includes(m)))) continue;
    const bad = known.filter((p) => !need.some((m) => modes(p).includes(m)));
    const culprits = bad.length ? bad : known;
    const what = explicit ? `install mode ${need[0]} (targetNamespaces of ${explicit.member.key})` : "one OperatorGroup (AllNamespaces or OwnNamespace)";
    out.push({
      rule: "install-mode",
      severity: "error",
      pick: culprits[0]!,
      bundles: culprits.map((p) => p.bundle),
      message: `namespace ${ns} needs ${what} fitting every CSV in it: ${known.map((p) => `${label(p)} supports ${modes(p).join(", ") || "none"}`).join("; ")}`,
    });
  }
}

/** Every problem of one set of bundles installed together. */
export function checkSet(picks: Pick[]): SetProblem[] {
  const out: SetProblem[] = [];
  conflicts(picks, out);
  requirements(picks, out);
  installModes(picks, out);
  webhooks(picks, out);
  return out;
}

export interface InteropOptions {
  /** Candidate failures block too (the runner sets this when the sanity layer failed). */
  candidatesBlock?: boolean;
}

/** Resolves each member's released bundle (the head of its channel, else of the default channel). */
function releasedPicks(platform: Platform, model: Model, findings: Finding[]): Pick[] {
  const picks: Pick[] = [];
  for (const m of platform.members) {
    const pkg = model.get(m.package);
    const add = (rule: string, message: string): void =>
      void findings.push({ layer: "interoperability", rule, severity: "error", operator: m.package, message: `platform ${platform.name}: ${message}` });
    if (!pkg) {
      add("unknown-package", `operator ${m.key} installs package ${m.package}, which the catalog does not have`);
      continue;
    }
    const channel = m.channel ?? pkg.defaultChannel?.name;
    if (!channel) {
      add("unknown-channel", `operator ${m.key}: package ${m.package} has no default channel`);
      continue;
    }
    try {
      picks.push({ member: m, bundle: headOf(pkg, channel), role: "released" });
    } catch (e) {
      add("unknown-channel", `operator ${m.key}: ${errorMessage(e)}`);
    }
  }
  return picks;
}

/** Runs the matrix for one platform against the catalog model. */
export function checkPlatform(platform: Platform, model: Model, opts: InteropOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const released = releasedPicks(platform, model, findings);
  const candidates = new Map<string, Pick>();
  for (const p of released) {
    const c = candidateOf(model.get(p.member.package)!, p.bundle);
    if (c) candidates.set(p.member.key, { member: p.member, bundle: c, role: "candidate" });
  }
  const report = (problems: SetProblem[], cell: string, candidate: boolean, seen: Set<string>): void => {
    for (const pr of problems) {
      const key = `${pr.rule}\u0000${pr.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const cand = [...candidates.values()].find((c) => pr.bundles.includes(c.bundle));
      const culprit = candidate && cand ? cand : pr.pick;
      findings.push({
        layer: "interoperability",
        rule: pr.rule,
        severity: pr.severity,
        operator: culprit.member.package,
        bundle: culprit.bundle.name,
        message: `platform ${platform.name} [${cell}]: ${pr.message}`,
        ...(candidate && !opts.candidatesBlock ? { blocking: false } : {}),
      });
    }
  };
  const seen = new Set<string>();
  report(checkSet(released), "released", false, seen);
  const withCandidates = (keys: string[]): Pick[] => released.map((p) => (keys.includes(p.member.key) ? candidates.get(p.member.key)! : p));
  const keys = [...candidates.keys()].sort();
  const involves = (pr: SetProblem, ks: string[]): boolean => ks.every((k) => pr.bundles.includes(candidates.get(k)!.bundle));
  for (const k of keys) {
    const c = candidates.get(k)!;
    report(checkSet(withCandidates([k])).filter((pr) => involves(pr, [k])), `candidate ${c.bundle.name} × released`, true, seen);
  }
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const pair = [keys[i]!, keys[j]!];
      const names = pair.map((k) => candidates.get(k)!.bundle.name).join(" × ");
      report(checkSet(withCandidates(pair)).filter((pr) => involves(pr, pair)), `candidate ${names}`, true, seen);
    }
  }
  const cells = 1 + keys.length + (keys.length * (keys.length - 1)) / 2;
  findings.push({
    layer: "interoperability",
    rule: "matrix",
    severity: "info",
    message: `platform ${platform.name}: ${platform.members.length} operator(s), ${keys.length} candidate(s)${keys.length ? ` (${keys.map((k) => candidates.get(k)!.bundle.name).join(", ")})` : ""}, ${cells} combination(s) checked`,
  });
  return findings;
}
