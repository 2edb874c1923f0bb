// The context size a run's end writes into the session entry, and how a reader takes it back: the reference's rules.
import assert from "node:assert/strict";
import { freshTotalTokens, totalTokensUpdates } from "../../src/sessions/session_total_tokens.ts";

Deno.test("an answer's usage sets totalTokens to its prompt, fresh, version 1", () => {
  assert.deepEqual(totalTokensUpdates({ input: 10, output: 8 }), [
    ["$.totalTokens", 10],
    ["$.totalTokensFresh", true],
    ["$.totalTokensVersion", 1],
  ]);
});

Deno.test("the prompt is our input alone: it already counts the cache the reference adds to its own input", () => {
  assert.deepEqual(totalTokensUpdates({ input: 120, output: 3, cacheRead: 100, cacheWrite: 0 })[0], [
    "$.totalTokens",
    120,
  ]);
});

Deno.test("usage with output but no prompt clears the size; all-zero usage only marks it stale", () => {
  assert.deepEqual(totalTokensUpdates({ input: 0, output: 5 }), [
    ["$.totalTokens", undefined],
    ["$.totalTokensFresh", false],
    ["$.totalTokensVersion", undefined],
  ]);
  assert.deepEqual(totalTokensUpdates({ input: 0, output: 0 }), [
    ["$.totalTokensFresh", false],
    ["$.totalTokensVersion", undefined],
  ]);
});

Deno.test("a reader takes totalTokens only when fresh at version 1, as resolveFreshSessionTotalTokens", () => {
  assert.equal(freshTotalTokens({ totalTokens: 10, totalTokensFresh: true, totalTokensVersion: 1 }), 10);
  assert.equal(freshTotalTokens({ totalTokens: 0, totalTokensFresh: true, totalTokensVersion: 1 }), 0);
  assert.equal(freshTotalTokens({ totalTokens: 10, totalTokensFresh: false, totalTokensVersion: 1 }), undefined);
  assert.equal(freshTotalTokens({ totalTokens: 10, totalTokensFresh: true }), undefined);
  assert.equal(freshTotalTokens({ totalTokens: -1, totalTokensFresh: true, totalTokensVersion: 1 }), undefined);
  assert.equal(freshTotalTokens({}), undefined);
});
