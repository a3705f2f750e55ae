/**
 * Adds a bundle image to an archetype (candidate, fast, stable) of a semver template by inserting one line,
 * so the owner's formatting, key spelling (`Stable:`/`stable:`), comments and blank lines stay as written.
 * The result is re-read with the template parser and must list exactly the old images plus the new one.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { parseSemverTemplate } from "../template/semver/parse.js";
import { ARCHETYPES, ARCHETYPE_PRIORITY, type Archetype, type SemverTemplate } from "../template/semver/types.js";
import { UserError } from "../util/errors.js";

const keyOf = (p: Pair): string => String(isScalar(p.key) ? p.key.value : p.key);
const findPair = (m: YAMLMap, name: string): Pair | undefined => m.items.find((p) => keyOf(p).toLowerCase() === name.toLowerCase());
const lineStart = (text: string, pos: number): number => text.lastIndexOf("\n", pos - 1) + 1;
const nextLine = (text: string, pos: number): number => {
  const nl = text.indexOf("\n", pos);
  return nl === -1 ? text.length : nl + 1;
};
/** Where a node's own content ends (block collections also span the comments after them). */
const contentEnd = (n: Node): number => {
  if ((isMap(n) || isSeq(n)) && !n.flow && n.items.length) {
    const last = n.items[n.items.length - 1] as Node | Pair;
    return contentEnd((isMap(n) ? ((last as Pair).value ?? (last as Pair).key) : last) as Node);
  }
  return n.range![1];
};
const capitalize = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
const scalar = (image: string): string => (/^[A-Za-z0-9._\/:@+-]+$/.test(image) ? image : JSON.stringify(image));

/** The images of one archetype, in template order. */
export function archetypeImages(tpl: SemverTemplate, a: Archetype): string[] {
  return tpl.bundles[a].map((b) => b.image);
}

/** Where and what to insert for an archetype that has a block list of bundles. */
function insertIntoSeq(text: string, seq: YAMLSeq, image: string, before: (existing: string) => boolean): { at: number; line: string } {
  const items = seq.items as Node[];
  const first = items[0]! as YAMLMap;
  const prefix = text.slice(lineStart(text, first.range![0]), first.range![0]);
  const key = isMap(first) && first.items[0] ? keyOf(first.items[0]) : "image";
  const line = `${prefix}${key}: ${scalar(image)}\n`;
  const imageOf = (it: Node): string => String(isMap(it) ? (it as YAMLMap).items.find((p) => keyOf(p).toLowerCase() === "image")?.value ?? "" : "");
  const j = items.findIndex((it) => before(imageOf(it)));
  if (j >= 0) return { at: lineStart(text, items[j]!.range![0]), line };
  return { at: nextLine(text, contentEnd(items[items.length - 1]!)), line };
}

/** A whole new archetype section, in the spelling and indentation the file already uses. */
function newSection(text: string, root: YAMLMap, a: Archetype, image: string): string {
  const upper = /^[A-Z]/.test(keyOf(root.items[0] ?? ({ key: "schema" } as unknown as Pair)));
  const name = (s: string): string => (upper ? capitalize(s) : s);
  let indent = "  ";
  let prefix = "  - ";
  for (const arch of ARCHETYPES) {
    const bundles = (() => {
      const p = findPair(root, arch);
      return p && isMap(p.value) ? findPair(p.value, "bundles") : undefined;
    })();
    if (bundles && isSeq(bundles.value) && bundles.value.items.length) {
      const k = bundles.key as Node;
      indent = text.slice(lineStart(text, k.range![0]), k.range![0]);
      const it = bundles.value.items[0] as Node;
      prefix = text.slice(lineStart(text, it.range![0]), it.range![0]);
      break;
    }
  }
  return `${name(a)}:\n${indent}${name("bundles")}:\n${prefix}${name("image")}: ${scalar(image)}\n`;
}

/**
 * Returns the template text with `image` added to archetype `a`. `before(existing)` says whether the new
 * image goes before an existing one (to keep lists in version order); by default it is appended.
 */
export function addImageToVeneer(text: string, file: string, a: Archetype, image: string, before: (existing: string) => boolean = () => false): string {
  const tpl = parseSemverTemplate(text, file);
  if (archetypeImages(tpl, a).includes(image)) throw new UserError(`${file}: ${image} is already in ${a}`);
  const doc = parseDocument(text);
  const root = doc.contents;
  if (!isMap(root)) throw new UserError(`${file}: the template is not a mapping`);
  const pair = findPair(root, a);
  const bundles = pair && isMap(pair.value) ? findPair(pair.value, "bundles") : undefined;
  let out: string;
  if (bundles && isSeq(bundles.value) && bundles.value.items.length && !bundles.value.flow) {
    const { at, line } = insertIntoSeq(text, bundles.value, image, before);
    const head = text.slice(0, at);
    out = head + (head.endsWith("\n") || head === "" ? "" : "\n") + line + text.slice(at);
  } else {
    const section = newSection(text, root, a, image);
    if (pair) {
      // an empty or flow-style section (`stable:`, `bundles: []`) is rewritten as a block list
      const start = lineStart(text, (pair.key as Node).range![0]);
      const end = nextLine(text, contentEnd((pair.value as Node | null) ?? (pair.key as Node)));
      out = text.slice(0, start) + section + text.slice(end);
    } else {
      const later = root.items.find((p) => ARCHETYPES.some((x) => x === keyOf(p).toLowerCase() && ARCHETYPE_PRIORITY[x] > ARCHETYPE_PRIORITY[a]));
      const at = later ? lineStart(text, (later.key as Node).range![0]) : text.length;
      const head = text.slice(0, at);
      out = head + (head.endsWith("\n") || head === "" ? "" : "\n") + section + text.slice(at);
    }
  }
  const after = parseSemverTemplate(out, file);
  const want = [...archetypeImages(tpl, a), image].sort();
  const got = archetypeImages(after, a).slice().sort();
  const others = ARCHETYPES.filter((x) => x !== a).every((x) => JSON.stringify(archetypeImages(after, x)) === JSON.stringify(archetypeImages(tpl, x)));
  if (JSON.stringify(want) !== JSON.stringify(got) || !others) throw new UserError(`${file}: could not add ${image} to ${a} without changing anything else; edit the template by hand`);
  return out;
}
