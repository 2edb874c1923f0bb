import assert from "node:assert/strict";
import { expectedRevisionOf } from "../../../src/cli/commands/cron_scratch.ts";

Deno.test("cron scratch: --expected-revision is a non-negative integer, as the reference parses it", () => {
  assert.equal(expectedRevisionOf(undefined), undefined);
  assert.equal(expectedRevisionOf("0"), 0);
  assert.equal(expectedRevisionOf(" 12 "), 12);
  for (const bad of ["", "-1", "1.5", "one", "1e3", "99999999999999999999"]) {
    assert.throws(() => expectedRevisionOf(bad), /--expected-revision must be a non-negative integer/, bad);
  }
});
