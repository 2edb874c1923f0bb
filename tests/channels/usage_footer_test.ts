import assert from "node:assert/strict";
import { usageFooter } from "../../src/channels/usage_footer.ts";

Deno.test("usageFooter() is the reference's tokens line when the session asks for usage", () => {
  assert.equal(usageFooter("tokens", { input: 10, output: 3 }), "Usage: 10 in / 3 out");
  assert.equal(usageFooter("on", { input: 12_345, output: 1_500 }), "Usage: 12k in / 1.5k out");
  assert.equal(
    usageFooter("full", { input: 2_000_000, output: 40, cacheRead: 1_200, cacheWrite: 0 }),
    "Usage: 2.0m in / 40 out · cache 1.2k cached / 0 new",
  );
});

Deno.test("usageFooter() is nothing when usage is off, unset, or the run reported no tokens", () => {
  assert.equal(usageFooter(undefined, { input: 10, output: 3 }), undefined);
  assert.equal(usageFooter("off", { input: 10, output: 3 }), undefined);
  assert.equal(usageFooter("tokens", { input: 0, output: 0 }), undefined);
});
