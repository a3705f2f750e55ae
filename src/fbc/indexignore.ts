/**
 * `.indexignore` matching as opm does it (joelanford/ignore over go-git's gitignore patterns): every
 * `.indexignore` in the tree contributes patterns scoped to its directory, the file name `.indexignore`
 * itself is always ignored, and the last pattern that matches a path decides.
 */

export const INDEX_IGNORE = ".indexignore";

interface Pattern {
  domain: string[];
  segments: string[];
  inclusion: boolean;
  dirOnly: boolean;
  isGlob: boolean;
}

const POSIX: Record<string, string> = {
  alnum: "A-Za-z0-9",
  alpha: "A-Za-z",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "\\x21-\\x7e",
  lower: "a-z",
  print: "\\x20-\\x7e",
  punct: "!-\\/:-@\\[-`{-~",
  space: " \\t\\n\\v\\f\\r",
  upper: "A-Z",
  xdigit: "0-9A-Fa-f",
};

const wildCache = new Map<string, RegExp>();

/** Compiles one path segment of a gitignore pattern (wildmatch without WM_PATHNAME) to a RegExp. */
function wildRegex(p: string): RegExp {
  const cached = wildCache.get(p);
  if (cached) return cached;
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      i++;
      if (i >= p.length) return setCache(p, /(?!)/);
      re += escapeRe(p[i]!);
    } else if (c === "?") re += "[\\s\\S]";
    else if (c === "*") {
      while (p[i + 1] === "*") i++;
      re += "[\\s\\S]*";
    } else if (c === "[") {
      const close = classEnd(p, i);
      if (close === -1) return setCache(p, /(?!)/);
      let body = p.slice(i + 1, close);
      let neg = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        neg = true;
        body = body.slice(1);
      }
      let cls = "";
      for (let j = 0; j < body.length; j++) {
        const m = /^\[:([a-z]+):\]/.exec(body.slice(j));
        if (m) {
          const posix = POSIX[m[1]!];
          if (posix === undefined) return setCache(p, /(?!)/);
          cls += posix;
          j += m[0].length - 1;
        } else if (body[j] === "\\" && j + 1 < body.length) {
          cls += escapeRe(body[++j]!);
        } else if (body[j] === "-" && j > 0 && j + 1 < body.length) cls += "-";
        else cls += escapeRe(body[j]!);
      }
      re += `[${neg ? "^" : ""}${cls}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return setCache(p, new RegExp(`^${re}$`));
}

function setCache(p: string, r: RegExp): RegExp {
  wildCache.set(p, r);
  return r;
}

function classEnd(p: string, open: number): number {
  let j = open + 1;
  if (p[j] === "!" || p[j] === "^") j++;
  if (p[j] === "]") j++;
  for (; j < p.length; j++) {
    if (p[j] === "\\") j++;
    else if (p[j] === "[" && p[j + 1] === ":") {
      const end = p.indexOf(":]", j + 2);
      if (end !== -1) j = end + 1;
    } else if (p[j] === "]") return j;
  }
  return -1;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function wildmatch(pattern: string, text: string): boolean {
  return wildRegex(pattern).test(text);
}

/** Parses one gitignore line as go-git's ParsePattern does, scoped to `domain` (directory components). */
export function parsePattern(line: string, domain: string[]): Pattern {
  let p = line;
  let inclusion = false;
  if (p.startsWith("!")) {
    inclusion = true;
    p = p.slice(1);
  }
  if (!p.endsWith("\\ ")) p = p.replace(/ +$/, "");
  let dirOnly = false;
  if (p.endsWith("/")) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  return { domain, segments: p.split("/"), inclusion, dirOnly, isGlob: p.includes("/") };
}

function simpleNameMatch(pt: Pattern, path: string[], isDir: boolean): boolean {
  for (let i = 0; i < path.length; i++) {
    if (!wildmatch(pt.segments[0]!, path[i]!)) continue;
    if (pt.dirOnly && !isDir && i === path.length - 1) return false;
    if (i < path.length - 1 && pt.inclusion) continue;
    return true;
  }
  return false;
}

function globMatch(pt: Pattern, pathIn: string[], isDir: boolean): boolean {
  let path = pathIn;
  let matched = false;
  let canTraverse = false;
  let trailingStar = false;
  for (let i = 0; i < pt.segments.length; i++) {
    const seg = pt.segments[i]!;
    if (seg === "") {
      canTraverse = false;
      continue;
    }
    if (seg === "**") {
      if (i === pt.segments.length - 1) {
        matched = path.length > 0 || isDir;
        trailingStar = matched;
        break;
      }
      canTraverse = true;
      continue;
    }
    if (path.length === 0) return false;
    if (canTraverse) {
      canTraverse = false;
      for (;;) {
        const e = path[0]!;
        path = path.slice(1);
        if (wildmatch(seg, e)) {
          matched = true;
          break;
        }
        if (path.length === 0) return false;
      }
    } else {
      if (!wildmatch(seg, path[0]!)) return false;
      matched = true;
      path = path.slice(1);
      if (path.length === 0 && i < pt.segments.length - 1) matched = false;
    }
  }
  if (matched && (path.length === 0 || trailingStar)) {
    if (pt.dirOnly && !isDir) matched = false;
  } else if (matched && pt.inclusion) matched = false;
  return matched;
}

type Result = "none" | "exclude" | "include";

function matchPattern(pt: Pattern, path: string[], isDir: boolean): Result {
  if (path.length <= pt.domain.length) return "none";
  for (let i = 0; i < pt.domain.length; i++) if (path[i] !== pt.domain[i]) return "none";
  const rest = path.slice(pt.domain.length);
  const ok = pt.isGlob ? globMatch(pt, rest, isDir) : simpleNameMatch(pt, rest, isDir);
  if (!ok) return "none";
  return pt.inclusion ? "include" : "exclude";
}

/** A set of `.indexignore` patterns; `ignores(relPath)` says whether opm would skip that file. */
export class IndexIgnore {
  private readonly patterns: Pattern[] = [parsePattern(INDEX_IGNORE, [])];

  /** Adds the lines of one `.indexignore` found in directory `dir` (relative, "" for the root). */
  add(dir: string, content: string): void {
    const domain = dir === "" || dir === "." ? [] : dir.split("/");
    for (const raw of content.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      this.patterns.push(parsePattern(line, domain));
    }
  }

  /** True when the file at `relPath` (slash-separated, relative to the catalog root) is ignored. */
  ignores(relPath: string, isDir = false): boolean {
    const path = relPath.split("/");
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const r = matchPattern(this.patterns[i]!, path, isDir);
      if (r !== "none") return r === "exclude";
    }
    return false;
  }
}
