/**
 * The base64 check of `[]byte` fields (olm.bundle.object data) against Go's own verdicts: 3,014 strings
 * (valid, mutated and random) with the byte offset encoding/json + encoding/base64 rejected, written by
 * tests/fixtures/base64/go-offsets.go.txt compiled with Go 1.26.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeGo, goBytes, GoJsonError } from "../../src/fbc/gojson.js";
import { REPO } from "../support/paths.js";

const golden = JSON.parse(readFileSync(join(REPO, "tests", "fixtures", "base64", "go-stdencoding.json"), "utf8")) as { cases: { in: string; offset: number }[] };

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
