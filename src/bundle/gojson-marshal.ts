/**
 * Go's encoding/json Marshal of decoded JSON data, which opm applies to every bundle manifest before it
 * base64-encodes it into an `olm.bundle.object`: compact, map keys sorted bytewise, `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as \u00XX / \u20XX, lone surrogates replaced by U+FFFD.
 */

/** Orders two strings by their UTF-8 bytes, as Go compares strings (JS compares UTF-16 units). */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) encode above every BMP char in UTF-8 but not in UTF-16.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy && (x >= 0xe000 || y >= 0xe000)) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const HEX = "0123456789abcdef";

/** What JSON.stringify writes otherwise than Go: HTML characters, U+2028/9 and (lone) surrogates. */
const NOT_AS_JS = /[<>&\u2028\u2029\ud800-\udfff]/;

/** A JSON string literal as Go's encoder writes it with HTML escaping on. */
export function goQuote(s: string): string {
  if (!NOT_AS_JS.test(s)) return JSON.stringify(s); // the same control-character escapes as Go's
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      switch (c) {
        case 0x22:
          esc = '\\"';
          break;
        case 0x5c:
          esc = "\\\\";
          break;
        case 0x08:
          esc = "\\b";
          break;
        case 0x0c:
          esc = "\\f";
          break;
        case 0x0a:
          esc = "\\n";
          break;
        case 0x0d:
          esc = "\\r";
          break;
        case 0x09:
          esc = "\\t";
          break;
        default:
          esc = "\\u00" + HEX[c >> 4] + HEX[c & 15];
      }
    } else if (c === 0x2028 || c === 0x2029) {
      esc = c === 0x2028 ? "\\u2028" : "\\u2029";
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      esc = "\\ufffd";
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** Serializes decoded JSON data (objects, arrays, strings, numbers, booleans, null) as Go's json.Marshal. */
export function goMarshal(v: unknown): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "string":
      return goQuote(v);
    case "number":
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${v}`);
      return JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "object": {
      if (Array.isArray(v)) return "[" + v.map(goMarshal).join(",") + "]";
      if (v instanceof Date) return goQuote(v.toISOString());
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(compareBytes);
      return "{" + keys.map((k) => goQuote(k) + ":" + goMarshal(o[k])).join(",") + "}";
    }
    default:
      throw new Error(`json: unsupported type: ${typeof v}`);
  }
}
