import assert from "node:assert/strict";
import { hasJson5Comments, json5CommentsWarning } from "../../src/config/json5_comments.ts";

Deno.test("hasJson5Comments() finds line and block comments outside strings only", () => {
  assert.ok(hasJson5Comments('{\n  // why\n  "a": 1\n}'));
  assert.ok(hasJson5Comments('{ /* note */ "a": 1 }'));
  assert.ok(!hasJson5Comments('{ "url": "http://x/y" }'));
  assert.ok(!hasJson5Comments('{ \'p\': \'/*not*/\', "q": "a\\"//b" }'));
  assert.ok(!hasJson5Comments('{ "a": 1 }'));
});

Deno.test("json5CommentsWarning() is the reference's line, and nothing when there is no comment", () => {
  assert.equal(
    json5CommentsWarning("{ // x\n}", "/h/openclaw.json"),
    "Config write will strip JSON5 comments from /h/openclaw.json.",
  );
  assert.equal(json5CommentsWarning("{}", "/h/openclaw.json"), undefined);
});
