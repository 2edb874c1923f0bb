import assert from "node:assert/strict";
import { messageOf, stackOf } from "../../src/log/error_text.ts";

Deno.test("messageOf and stackOf read any thrown value: an Error's own text, anything else as text", () => {
  const error = new Error("disk full");
  assert.equal(messageOf(error), "disk full");
  assert.match(stackOf(error), /^Error: disk full\n\s+at /);
  assert.equal(messageOf("plain"), "plain");
  assert.equal(stackOf(undefined), "undefined");
  assert.equal(messageOf({ code: 1 }), "[object Object]");
});
