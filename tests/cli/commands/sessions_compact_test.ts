// The lines `openclaw sessions compact` prints for answers the recording does not show (read from the
// reference's dist: sessions-compact-*.mjs).
import assert from "node:assert/strict";
import { describeCompaction } from "../../../src/cli/commands/sessions_compact.ts";

Deno.test("describeCompaction(): tokens before and after, kept lines, a pending backend, nothing to do", () => {
  assert.equal(
    describeCompaction({
      ok: true,
      key: "agent:main:main",
      compacted: true,
      result: { tokensBefore: 900, tokensAfter: 120 },
    }, "k"),
    "Compacted session agent:main:main (900 → 120 tokens).",
  );
  assert.equal(
    describeCompaction({ ok: true, compacted: true, kept: 200 }, "k"),
    "Compacted session k (kept 200 lines).",
  );
  assert.equal(describeCompaction({ ok: true, compacted: true }, "k"), "Compacted session k.");
  assert.equal(
    describeCompaction({ ok: true, compacted: false, result: { details: { pending: true } } }, "k"),
    "Compaction started for session k (pending; completion is reported asynchronously by the backend).",
  );
  assert.equal(
    describeCompaction({ ok: true, compacted: false, reason: "Nothing to compact (session too small)" }, "k"),
    "No compaction needed for session k (Nothing to compact (session too small)).",
  );
  assert.equal(describeCompaction({ ok: true, compacted: false }, "k"), "No compaction needed for session k.");
});
