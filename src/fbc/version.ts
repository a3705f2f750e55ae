/**
 * Strict semver 2.0 as blang/semver v4 (what opm uses) parses and orders it, and blang's range syntax
 * check for `skipRange`. Error texts follow blang's, since opm prints them unchanged.
 */
import semver from "semver";

const NUMBERS = /^[0-9]*$/;
const ALPHANUM = /^[0-9A-Za-z-]*$/;

function checkNumber(part: string, what: string): string | undefined {
  if (!NUMBERS.test(part)) return `Invalid character(s) found in ${what} number "${part}"`;
  if (part.length > 1 && part[0] === "0") return `${what[0]!.toUpperCase()}${what.slice(1)} number must not contain leading zeroes "${part}"`;
  if (part === "") return `strconv.ParseUint: parsing "": invalid syntax`;
  return undefined;
}

/** Returns blang's error for a version string that is not strict semver, or undefined when it is valid. */
export function semverError(s: string): string | undefined {
  if (s.length === 0) return "Version string empty";
  const parts = s.split(".");
  if (parts.length < 3) return "No Major.Minor.Patch elements found";
  const [major, minor] = parts as [string, string];
  const rest = parts.slice(2).join(".");
  let err = checkNumber(major, "major") ?? checkNumber(minor, "minor");
  if (err) return err;
  let patch = rest;
  let build: string[] = [];
  let pre: string[] = [];
  const plus = patch.indexOf("+");
  if (plus !== -1) {
    build = patch.slice(plus + 1).split(".");
    patch = patch.slice(0, plus);
  }
  const dash = patch.indexOf("-");
  if (dash !== -1) {
    pre = patch.slice(dash + 1).split(".");
    patch = patch.slice(0, dash);
  }
  err = checkNumber(patch, "patch");
  if (err) return err;
  for (const p of pre) {
    if (p === "") return "Prerelease is empty";
    if (!ALPHANUM.test(p)) return `Invalid character(s) found in prerelease "${p}"`;
    if (NUMBERS.test(p) && p.length > 1 && p[0] === "0") return `Numeric PreRelease version must not contain leading zeroes "${p}"`;
  }
  for (const b of build) {
    if (b === "") return "Build meta data is empty";
    if (!ALPHANUM.test(b)) return `Invalid character(s) found in build meta data "${b}"`;
  }
  return undefined;
}

/** True when `s` is strict semver. */
export function isStrictSemver(s: string): boolean {
  return semverError(s) === undefined;
}

/** Semver precedence (build metadata ignored), for sorting bundles as opm does. */
export function compareSemver(a: string, b: string): number {
  return semver.compare(a, b);
}

/** Semver precedence that also orders equal-precedence versions by build metadata text. */
export function compareSemverBuild(a: string, b: string): number {
  return semver.compareBuild(a, b);
}

/** A version without its build metadata. */
export function stripBuild(v: string): string {
  const i = v.indexOf("+");
  return i === -1 ? v : v.slice(0, i);
}

/** Major and minor numbers of a strict semver string. */
export function majorMinor(v: string): { major: number; minor: number } {
  const [ma, mi] = v.split(".");
  return { major: Number(ma), minor: Number(mi) };
}

const COMPARATORS = new Set(["", "=", "==", "!=", "!", ">", ">=", "=>", "<", "<=", "=<"]);

function splitAndTrim(s: string): string[] {
  const result: string[] = [];
  let last = 0;
  let lastChar = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === " " && !">=<".includes(lastChar || "x")) {
      if (last < i - 1) result.push(s.slice(last, i));
      last = i + 1;
    } else if (s[i] !== " ") lastChar = s[i]!;
  }
  if (last < s.length - 1) result.push(s.slice(last));
  return result.map((r) => r.replace(/ /g, ""));
}

/** Returns blang ParseRange's error for a skipRange, or undefined when the range parses. */
export function semverRangeError(s: string): string | undefined {
  const parts = splitAndTrim(s);
  const ors: string[][] = [];
  let last = 0;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === "||") {
      if (i === 0) return "First element in range is '||'";
      ors.push(parts.slice(last, i));
      last = i + 1;
    }
  }
  if (last === parts.length) return "Last element in range is '||'";
  ors.push(parts.slice(last));
  for (const and of ors) {
    for (const ap of and) {
      const i = ap.search(/[0-9]/);
      if (i === -1) return `Could not get version from string: "${ap}"`;
      const op = ap.slice(0, i).trim();
      const v = ap.slice(i);
      if (!COMPARATORS.has(op)) return `Could not parse Range "${ap}": Could not parse comparator "${op}" in "${ap}"`;
      // Wildcards (1.x, 1.2.*) are expanded by blang before parsing; validate the fixed part.
      const wild = /^(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/.exec(v);
      if (wild && /[xX*]/.test(v)) continue;
      const err = semverError(v);
      if (err) return `Could not parse Range "${ap}": Could not parse version "${v}" in "${ap}": ${err}`;
    }
  }
  return undefined;
}

/** Whether `version` satisfies a blang-style range (used for skipRange edges). */
export function rangeIncludes(range: string, version: string): boolean {
  try {
    const r = new semver.Range(range.replace(/\s*\|\|\s*/g, " || "), { includePrerelease: true });
    return r.test(version);
  } catch {
    return false;
  }
}
