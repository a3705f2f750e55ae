/**
 * A small reimplementation of how Go's encoding/json fills a struct from a decoded value, so that our
 * loader accepts and rejects exactly what opm's does: field names match case-insensitively (exact match
 * first), unknown fields are ignored, null leaves the zero value, a wrong JSON type is an error.
 */

export type GoType =
  | { kind: "string" }
  | { kind: "bytes" } // []byte: a base64 string
  | { kind: "raw" } // json.RawMessage: anything
  | { kind: "array"; of: GoType; goName: string }
  | { kind: "struct"; name: string; fields: Record<string, GoType> };

export const goString: GoType = { kind: "string" };
export const goBytes: GoType = { kind: "bytes" };
export const goRaw: GoType = { kind: "raw" };
/** Declares a Go slice type for `decodeGo`. */
export function goArray(of: GoType, goName: string): GoType {
  return { kind: "array", of, goName };
}
/** Declares a Go struct type for `decodeGo`. */
export function goStruct(name: string, fields: Record<string, GoType>): GoType {
  return { kind: "struct", name, fields };
}

/** Error text of Go's json.UnmarshalTypeError. */
export class GoJsonError extends Error {}

/** The JSON kind Go names in an UnmarshalTypeError ("string", "number", "bool", "array", "object"). */
export function jsonKind(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "array";
  return "object";
}

function goTypeName(t: GoType): string {
  switch (t.kind) {
    case "string":
      return "string";
    case "bytes":
      return "[]uint8";
    case "raw":
      return "json.RawMessage";
    case "array":
      return t.goName;
    case "struct":
      return t.name;
  }
}

/**
 * The byte offset (in UTF-8, newlines included) at which Go's base64.StdEncoding, as used by
 * encoding/json for `[]byte`, rejects `s`, or -1 when it decodes. Catalogs hold megabytes of base64, so a
 * valid value takes the platform's atob (same verdict once CR/LF are dropped and no other whitespace is
 * present); only a rejected one is walked quantum by quantum as Go walks it.
 */
function base64ErrorAt(s: string): number {
  const flat = s.includes("\n") || s.includes("\r") ? s.replace(/[\r\n]/g, "") : s;
  if (flat.length % 4 === 0 && flat.indexOf(" ") === -1 && flat.indexOf("\t") === -1 && flat.indexOf("\f") === -1) {
    try {
      atob(flat);
      return -1;
    } catch {
      // rejected: find where, below
    }
  }
  return goBase64Offset(Buffer.from(s, "utf8"));
}

const isNewline = (c: number | undefined): boolean => c === 10 || c === 13;

/** Go's Decode loop (decodeQuantum, non-strict, "=" padding) reduced to where it first fails. */
function goBase64Offset(src: Buffer): number {
  let si = 0;
  while (si < src.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return -1;
        return si - j;
      }
      const c = src[si++]!;
      if (isB64(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 61 || j < 2) return si - 1;
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 61) return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? si : -1;
    }
  }
  return -1;
}

function isB64(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/**
 * Decodes `value` as Go would into a variable of type `t`; returns plain JS data with only the declared
 * fields. `path` is the Go field path used in error messages (`Bundle.properties`).
 */
export function decodeGo(value: unknown, t: GoType, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  const fail = (): never => {
    throw new GoJsonError(
      `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${path} of type ${goTypeName(t)}`,
    );
  };
  switch (t.kind) {
    case "raw":
      return value;
    case "string":
      return typeof value === "string" ? value : fail();
    case "bytes": {
      if (typeof value !== "string") return fail();
      const bad = base64ErrorAt(value);
      if (bad !== -1) throw new GoJsonError(`illegal base64 data at input byte ${bad}`);
      return value;
    }
    case "array": {
      if (!Array.isArray(value)) return fail();
      return value.map((v) => decodeGo(v, t.of, path));
    }
    case "struct": {
      if (typeof value !== "object" || Array.isArray(value)) return fail();
      const out: Record<string, unknown> = {};
      const names = Object.keys(t.fields);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const field = names.includes(k) ? k : names.find((n) => n.toLowerCase() === k.toLowerCase());
        if (field === undefined) continue;
        const decoded = decodeGo(v, t.fields[field]!, `${path}.${field}`);
        if (decoded !== undefined) out[field] = decoded;
      }
      return out;
    }
  }
}
