import assert from "node:assert/strict";
import { answerIdOf, isRequestFrame, requestFrameProblem } from "../../src/protocol/frames.ts";

const FRAMES: unknown[] = [
  { type: "req", id: "1", method: "health" },
  { type: "req", id: "1", method: "health", params: { a: 1 } },
  { type: "req", id: "", method: "health" },
  { type: "req", id: 7, method: "health" },
  { type: "req", id: "1" },
  { type: "res", id: "1", method: "health" },
  { id: "1", method: "health" },
  null,
  [],
  "req",
  42,
];

Deno.test("isRequestFrame accepts exactly the frames requestFrameProblem finds nothing wrong with", () => {
  for (const frame of FRAMES) {
    assert.equal(isRequestFrame(frame), requestFrameProblem(frame) === undefined, JSON.stringify(frame));
  }
});

Deno.test("an invalid frame is answered under its own id when it has a usable one, else under `invalid`", () => {
  assert.equal(answerIdOf({ type: "res", id: "abc" }), "abc");
  assert.equal(answerIdOf({ type: "req", id: "" }), "invalid");
  assert.equal(answerIdOf({ id: 3 }), "invalid");
  assert.equal(answerIdOf(null), "invalid");
  assert.equal(answerIdOf(["x"]), "invalid");
});
