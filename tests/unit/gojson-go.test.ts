/**
 * Our Go-compatible JSON pieces against Go's own output (goldens written by the programs beside them in
 * tests/fixtures/gojson, compiled with Go 1.26): the base64 check of `[]byte` fields (olm.bundle.object
 * data; 3,014 valid, mutated and random strings with the byte offset Go rejects) and the string quoting
 * of json.Marshal (2,000 strings with control characters, HTML characters, U+2028/9 and non-ASCII).
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { goMarshal } from "../../src/bundle/gojson-marshal.js";
import { decodeGo, goBytes, GoJsonError } from "../../src/fbc/gojson.js";
import { REPO } from "../support/paths.js";

const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(REPO, "tests", "fixtures", "gojson", name), "utf8")) as T;
const golden = fixture<{ cases: { in: string; offset: number }[] }>("go-stdencoding.json");
const quoted = fixture<{ cases: { in: string; go: string }[] }>("go-marshal-strings.json");

/** The offset our decoder reports, or -1 when it accepts the string. */
function ourOffset(s: string): number {
  try {
    decodeGo(s, goBytes, "Bundle.data");
    return -1;
  } catch (e) {
    assert.ok(e instanceof GoJsonError, String(e));
    const m = /^illegal base64 data at input byte (\d+)$/.exec(e.message);
    assert.ok(m, e.message);
    return Number(m[1]);
  }
}

describe("gojson: []byte fields are checked as Go's encoding/base64 checks them", () => {
  it(`agrees with Go on all ${golden.cases.length} strings (verdict and offset)`, () => {
    const wrong = golden.cases.filter((c) => ourOffset(c.in) !== c.offset).map((c) => `${JSON.stringify(c.in)}: Go ${c.offset}, ours ${ourOffset(c.in)}`);
    assert.deepEqual(wrong, []);
  });

  it("accepts a megabyte-sized valid value and finds one bad byte near its end", () => {
    const data = Buffer.alloc(3 << 20, 0xa5).toString("base64");
    assert.equal(ourOffset(data), -1);
    const at = data.length - 10;
    assert.equal(ourOffset(data.slice(0, at) + "$" + data.slice(at + 1)), at);
  });
});

describe("gojson: strings are marshalled as Go's json.Marshal writes them", () => {
  it(`agrees with Go on all ${quoted.cases.length} strings`, () => {
    const wrong = quoted.cases.filter((c) => goMarshal(c.in) !== c.go).map((c) => `${JSON.stringify(c.in)}: Go ${c.go}, ours ${goMarshal(c.in)}`);
    assert.deepEqual(wrong, []);
  });
});
