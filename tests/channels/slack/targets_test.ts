import assert from "node:assert/strict";
import { parseSlackTarget } from "../../../src/channels/slack/targets.ts";

Deno.test("slack targets: channel, user, mention forms, bare ids and threads", () => {
  const t = (kind: string, id: string, threadTs?: string) => ({ kind, id, threadTs });
  assert.deepEqual(parseSlackTarget("channel:C0123ABC"), t("channel", "C0123ABC"));
  assert.deepEqual(parseSlackTarget("slack:channel:c0123abc"), t("channel", "C0123ABC"));
  assert.deepEqual(parseSlackTarget("<#C0123ABC|general>"), t("channel", "C0123ABC"));
  assert.deepEqual(parseSlackTarget("D0123ABC"), t("channel", "D0123ABC"));
  assert.deepEqual(parseSlackTarget("user:U0ALICE"), t("user", "U0ALICE"));
  assert.deepEqual(parseSlackTarget("<@U0ALICE>"), t("user", "U0ALICE"));
  assert.deepEqual(parseSlackTarget("W0ENTERPRISE"), t("user", "W0ENTERPRISE"));
  assert.deepEqual(
    parseSlackTarget("channel:C0123ABC:thread:1700000000.000100"),
    t("channel", "C0123ABC", "1700000000.000100"),
  );
  assert.throws(() => parseSlackTarget("#general"), /is not a Slack target/);
  assert.throws(() => parseSlackTarget(""), /is not a Slack target/);
});
