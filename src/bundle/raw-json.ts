/**
 * JSON parsing that keeps each value's source text, as Go's json.RawMessage does: opm sorts and
 * de-duplicates bundle properties by their raw bytes, and writes a raw value's keys in source order.
 */

export interface RawNode {
  /** The value's exact source text. */
  raw: string;
  /** The decoded value (JSON.parse of `raw`). */
  value: unknown;
  /** Members of an object (last duplicate wins, as in Go), or items of an array. */
  fields?: Map<string, RawNode>;
  items?: RawNode[];
}

/** Parses JSON text into RawNodes; throws on invalid JSON (message from JSON.parse). */
export function parseRawJson(text: string): RawNode {
  JSON.parse(text); // validates, with the usual error message
  let i = 0;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const node = (): RawNode => {
    ws();
    const start = i;
    const c = text[i];
    let fields: Map<string, RawNode> | undefined;
    let items: RawNode[] | undefined;
    if (c === "{") {
      fields = new Map();
      i++;
      ws();
      while (text[i] !== "}") {
        ws();
        const k = str();
        ws();
        i++; // ':'
        fields.set(k, node());
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === "[") {
      items = [];
      i++;
      ws();
      while (text[i] !== "]") {
        items.push(node());
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !",]} \t\n\r".includes(text[i]!)) i++;
    }
    const raw = text.slice(start, i);
    return { raw, value: JSON.parse(raw), fields, items };
  };
  return node();
}
