/**
 * Contributor authorization: a change under catalog/<operator>/ needs a login listed in that folder's
 * OWNERS as it is on the base ref (so a PR cannot add its own author); anything else needs the root
 * OWNERS. A new operator folder is allowed for a login that its new OWNERS file lists.
 */
import { parse as parseYaml } from "yaml";
import type { Finding } from "./report.js";

export interface Owners {
  approvers: string[];
  reviewers: string[];
}

/** Parses an OWNERS file; returns problems instead of throwing so sanity can report them. */
export function parseOwners(text: string): { owners?: Owners; problems: string[] } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { problems: [`OWNERS is not valid YAML: ${(e as Error).message.split("\n")[0]}`] };
  }
  const problems: string[] = [];
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { problems: ["OWNERS must be a mapping with approvers (and optional reviewers)"] };
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!["approvers", "reviewers", "labels", "emeritus_approvers"].includes(k)) problems.push(`OWNERS has an unknown key "${k}"`);
  const list = (k: string): string[] => {
    const v = d[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(x))) {
      problems.push(`OWNERS ${k} must be a list of GitHub logins`);
      return [];
    }
    return v as string[];
  };
  const owners = { approvers: list("approvers"), reviewers: list("reviewers") };
  if (owners.approvers.length === 0) problems.push("OWNERS must list at least one approver");
  return { owners, problems };
}

/** The folder that owns a path: `catalog/<op>` or the repository root. */
export function ownerScope(path: string): string {
  const m = /^catalog\/([^/]+)\//.exec(path);
  return m ? `catalog/${m[1]}` : "";
}

export interface OwnersInput {
  changed: string[];
  author: string;
  /** OWNERS text of a scope at the base ref (undefined when the folder is new). */
  baseOwners: (scope: string) => string | undefined;
  /** OWNERS text of a scope at the head. */
  headOwners: (scope: string) => string | undefined;
}

/** Decides, per owning folder, whether the author may make this change. */
export function checkOwners(input: OwnersInput): Finding[] {
  const scopes = new Map<string, string[]>();
  for (const f of input.changed) {
    const s = ownerScope(f);
    scopes.set(s, [...(scopes.get(s) ?? []), f]);
  }
  const findings: Finding[] = [];
  const login = input.author.toLowerCase();
  for (const [scope, files] of [...scopes].sort()) {
    const operator = scope ? scope.slice("catalog/".length) : undefined;
    const where = scope ? `${scope}/OWNERS` : "OWNERS";
    const base = input.baseOwners(scope);
    const isNew = base === undefined && scope !== "";
    const text = isNew ? input.headOwners(scope) : base ?? input.baseOwners("");
    const parsed = text === undefined ? undefined : parseOwners(text).owners;
    const allowed = parsed ? [...parsed.approvers, ...parsed.reviewers].map((x) => x.toLowerCase()) : [];
    if (allowed.includes(login)) {
      findings.push({ layer: "owners", rule: isNew ? "new-operator" : "owner", severity: "info", operator, message: `${input.author} may change ${scope || "the repository root"} (${files.length} file(s)); listed in ${where}${isNew ? " of the new folder" : ""}` });
    } else {
      findings.push({
        layer: "owners",
        rule: "not-an-owner",
        severity: "error",
        operator,
        message: `${input.author} is not listed in ${where}${isNew ? " (new folder)" : " at the base ref"} and changed ${files.slice(0, 3).join(", ")}${files.length > 3 ? ` and ${files.length - 3} more` : ""}`,
      });
    }
  }
  return findings;
}
