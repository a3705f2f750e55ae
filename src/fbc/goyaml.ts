/**
 * A YAML emitter that writes what sigs.k8s.io/yaml (go-yaml v2 over libyaml's emitter) writes for a
 * JSON-shaped value: keys in go-yaml's natural order, indentless sequences inside mappings, go-yaml's
 * quoting decisions (quote whatever would resolve to a non-string), and libyaml's 80-column folding.
 * opm writes FBC YAML this way, so our catalogs come out byte-identical to opm's.
 */

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

/** go-yaml v2's map key order (keyList.Less): letters before other runes, digit runs compared as numbers. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

function isLetter(c: string): boolean {
  return /\p{L}/u.test(c);
}
function isDigit(c: string): boolean {
  return /\p{Nd}/u.test(c);
}

/** Sorts keys as go-yaml v2 does when marshalling a map. */
export function goYamlSortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0));
}

const BOOL_NULL = new Set([
  "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
  "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
  "null", "Null", "NULL", "~", "<<",
  ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|\s+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:\s*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

/** True when go-yaml v2 would read `s`, unquoted, as something other than a string. */
export function resolvesToNonString(s: string): boolean {
  if (s === "") return true;
  if (BOOL_NULL.has(s)) return true;
  const c = s[0]!;
  if (c === "." ) return YAML_FLOAT.test(s);
  if (!/[-+0-9]/.test(c)) return false;
  const plain = s.replace(/_/g, "");
  if (isGoInt(plain)) return true;
  if (YAML_FLOAT.test(plain)) return true;
  if (/^-?0b[01]+$/.test(plain)) return true;
  if (TIMESTAMP.test(s)) return true;
  return false;
}

function isGoInt(s: string): boolean {
  // strconv.ParseInt / ParseUint with base 0.
  return /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(s);
}

function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
const isBreak = (c: string | undefined): boolean =>
  c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isSpace = (c: string | undefined): boolean => c === " ";
const isBlankz = (c: string | undefined): boolean => c === undefined || c === " " || c === "\t" || isBreak(c);

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** libyaml's yaml_emitter_analyze_scalar, reduced to what block context needs. */
function analyze(s: string): Analysis {
  const ch = Array.from(s);
  if (ch.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = s.startsWith("---") || s.startsWith("...");
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  let lineBreaks = false, special = false;
  let precededByWs = true;
  for (let i = 0; i < ch.length; i++) {
    const c = ch[i]!;
    const followedByWs = isBlankz(ch[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      if ((c === "?" || c === ":") && followedByWs) blockIndicators = true;
      if (c === "-" && followedByWs) blockIndicators = true;
    } else {
      if (c === ":" && followedByWs) blockIndicators = true;
      if (c === "#" && precededByWs) blockIndicators = true;
    }
    if (!isPrintable(c.codePointAt(0)!)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === ch.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === ch.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWs = isBlankz(c);
  }
  let blockPlainAllowed = true, singleQuotedAllowed = true, blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** Writer state mirroring libyaml's emitter fields that affect layout. */
class Out {
  buf: string[] = [];
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;

  put(s: string): void {
    this.buf.push(s);
    this.column += s.length;
  }
  putChar(c: string): void {
    this.buf.push(c);
    this.column += 1;
  }
  putBreak(): void {
    this.buf.push("\n");
    this.column = 0;
  }
  writeIndent(): void {
    const indent = this.indent >= 0 ? this.indent : 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.putChar(" ");
    this.whitespace = true;
    this.indention = true;
  }
  indicator(ind: string, needWs: boolean, isWs: boolean, isIndention: boolean): void {
    if (needWs && !this.whitespace) this.putChar(" ");
    this.put(ind);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
  }
}

type Style = "plain" | "single" | "double" | "literal";

const SAFE_PLAIN = /^[A-Za-z0-9][A-Za-z0-9+/=._-]*$/;

function chooseStyle(s: string, simpleKey: boolean): Style {
  // Fast path for the bulk of catalog text (names, base64 payloads): nothing to quote, nothing to fold.
  if (SAFE_PLAIN.test(s) && !resolvesToNonString(s) && !BASE60.test(s)) return "plain";
  let style: Style;
  if (s.includes("\n")) style = "literal";
  else if (!resolvesToNonString(s) && !BASE60.test(s)) style = "plain";
  else style = "double";
  const a = analyze(s);
  if (style === "plain") {
    if (!a.blockPlainAllowed) style = "single";
    if (s.length === 0 && simpleKey) style = "single";
  }
  if (style === "single" && !a.singleQuotedAllowed) style = "double";
  if (style === "literal" && (!a.blockAllowed || simpleKey)) style = "double";
  return style;
}

function writePlain(o: Out, s: string, allowBreaks: boolean): void {
  if (!o.whitespace && s.length) o.putChar(" ");
  if (!s.includes(" ") && /^[\x21-\x7e]*$/.test(s)) {
    o.put(s);
    o.whitespace = false;
    o.indention = false;
    return;
  }
  const ch = Array.from(s);
  let spaces = false;
  for (let i = 0; i < ch.length; i++) {
    const c = ch[i]!;
    if (isSpace(c)) {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && !isSpace(ch[i + 1])) o.writeIndent();
      else o.putChar(c);
      spaces = true;
    } else {
      o.putChar(c);
      o.indention = false;
      spaces = false;
    }
  }
  o.whitespace = false;
  o.indention = false;
}

function writeSingle(o: Out, s: string, allowBreaks: boolean): void {
  o.indicator("'", true, false, false);
  const ch = Array.from(s);
  let spaces = false;
  let breaks = false;
  for (let i = 0; i < ch.length; i++) {
    const c = ch[i]!;
    if (isSpace(c)) {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && i !== 0 && i !== ch.length - 1 && !isSpace(ch[i + 1])) {
        o.writeIndent();
      } else o.putChar(c);
      spaces = true;
    } else if (isBreak(c)) {
      if (!breaks && c === "\n") o.putBreak();
      o.putBreak();
      o.indention = true;
      breaks = true;
    } else {
      if (breaks) o.writeIndent();
      if (c === "'") o.putChar("'");
      o.putChar(c);
      o.indention = false;
      spaces = false;
      breaks = false;
    }
  }
  if (breaks) o.writeIndent();
  o.indicator("'", false, false, false);
}

const ESCAPES: Record<string, string> = {
  "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\x0b": "v", "\f": "f", "\r": "r", "\x1b": "e",
  '"': '"', "\\": "\\", "\u0085": "N", "\u00a0": "_", "\u2028": "L", "\u2029": "P",
};

function writeDouble(o: Out, s: string, allowBreaks: boolean): void {
  o.indicator('"', true, false, false);
  const ch = Array.from(s);
  let spaces = false;
  for (let i = 0; i < ch.length; i++) {
    const c = ch[i]!;
    const cp = c.codePointAt(0)!;
    if (!isPrintable(cp) || cp === 0xfeff || isBreak(c) || c === '"' || c === "\\") {
      o.putChar("\\");
      const e = ESCAPES[c];
      if (e !== undefined) o.put(e);
      else if (cp <= 0xff) o.put("x" + cp.toString(16).toUpperCase().padStart(2, "0"));
      else if (cp <= 0xffff) o.put("u" + cp.toString(16).toUpperCase().padStart(4, "0"));
      else o.put("U" + cp.toString(16).toUpperCase().padStart(8, "0"));
      spaces = false;
    } else if (isSpace(c)) {
      if (allowBreaks && !spaces && o.column > BEST_WIDTH && i !== 0 && i !== ch.length - 1) {
        o.writeIndent();
        if (isSpace(ch[i + 1])) o.putChar("\\");
      } else o.putChar(c);
      spaces = true;
    } else {
      o.putChar(c);
      spaces = false;
    }
  }
  o.indicator('"', false, false, false);
}

function writeLiteral(o: Out, s: string): void {
  o.indicator("|", true, false, false);
  const ch = Array.from(s);
  if (isSpace(ch[0]) || isBreak(ch[0])) o.put(String(BEST_INDENT));
  const last = ch[ch.length - 1];
  if (!isBreak(last)) o.put("-");
  else if (ch.length === 1 || isBreak(ch[ch.length - 2])) o.put("+");
  o.putBreak();
  o.indention = true;
  o.whitespace = true;
  let breaks = true;
  for (const c of ch) {
    if (isBreak(c)) {
      o.putBreak();
      o.indention = true;
      breaks = true;
    } else {
      if (breaks) o.writeIndent();
      o.putChar(c);
      o.indention = false;
      breaks = false;
    }
  }
}

function scalarText(v: unknown): { text: string; isString: boolean } {
  if (v === null || v === undefined) return { text: "null", isString: false };
  if (typeof v === "boolean") return { text: String(v), isString: false };
  if (typeof v === "number") return { text: formatGoNumber(v), isString: false };
  return { text: String(v), isString: true };
}

/** Formats a number the way go-yaml writes an int or a float64 ('g' with shortest precision). */
function formatGoNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? ".nan" : n > 0 ? ".inf" : "-.inf";
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = n.toExponential().split("e");
    const sign = e!.startsWith("-") ? "-" : "+";
    return `${m}e${sign}${e!.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  return String(n);
}

function emitScalar(o: Out, v: unknown, simpleKey: boolean): void {
  const { text, isString } = scalarText(v);
  const style: Style = isString ? chooseStyle(text, simpleKey) : "plain";
  const saved = o.indent;
  o.indent = o.indent < 0 ? BEST_INDENT : o.indent + BEST_INDENT; // libyaml increase_indent(flow=1)
  const allowBreaks = !simpleKey;
  switch (style) {
    case "plain":
      writePlain(o, text, allowBreaks);
      break;
    case "single":
      writeSingle(o, text, allowBreaks);
      break;
    case "double":
      writeDouble(o, text, allowBreaks);
      break;
    case "literal":
      writeLiteral(o, text);
      break;
  }
  o.indent = saved;
}

function isCollection(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === "object" && v !== null;
}

function isEmptyCollection(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isCollection(v) && Object.keys(v).length === 0;
}

function emitNode(o: Out, v: unknown, mappingContext: boolean): void {
  if (Array.isArray(v) && v.length > 0) emitSequence(o, v, mappingContext);
  else if (isCollection(v) && !Array.isArray(v) && Object.keys(v).length > 0) emitMapping(o, v as Record<string, unknown>);
  else if (isEmptyCollection(v)) o.indicator(Array.isArray(v) ? "[]" : "{}", true, false, false);
  else emitScalar(o, v, false);
}

function emitSequence(o: Out, v: unknown[], mappingContext: boolean): void {
  const saved = o.indent;
  // increase_indent(flow=0, indentless = mapping context && !indention)
  const indentless = mappingContext && !o.indention;
  if (o.indent < 0) o.indent = 0;
  else if (!indentless) o.indent += BEST_INDENT;
  for (const item of v) {
    o.writeIndent();
    o.indicator("-", true, false, true);
    emitNode(o, item, false);
  }
  o.indent = saved;
}

function emitMapping(o: Out, m: Record<string, unknown>): void {
  const saved = o.indent;
  o.indent = o.indent < 0 ? 0 : o.indent + BEST_INDENT;
  for (const k of goYamlSortKeys(Object.keys(m))) {
    const val = m[k];
    if (val === undefined) continue;
    o.writeIndent();
    emitScalar(o, k, true);
    o.indicator(":", false, false, false);
    emitNode(o, val, true);
  }
  o.indent = saved;
}

/** Marshals a JSON-shaped value to YAML text exactly as sigs.k8s.io/yaml's JSONToYAML does. */
export function toGoYaml(value: unknown): string {
  const o = new Out();
  emitNode(o, value, false);
  return o.buf.join("") + "\n";
}
