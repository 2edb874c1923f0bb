import assert from "node:assert/strict";
import {
  channelResetEntry,
  type RawSessionResetConfig,
  resolveResetPolicy,
  type SessionResetType,
  sessionResetType,
} from "../../src/config/session_reset_policy.ts";
import { classifyPath } from "../../src/config/reload_plan.ts";
import { ignoredKeys } from "../../src/config/implemented_keys.ts";

interface Recording {
  policies: {
    name: string;
    session: RawSessionResetConfig;
    type: SessionResetType;
    channel?: string;
    resolved: Record<string, unknown>;
  }[];
  types: { sessionKey: string; type: SessionResetType }[];
}

const recording: Recording = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/session_reset/reference_policy.json", import.meta.url)),
);

Deno.test("resolveResetPolicy() decides every recorded config as the reference does", () => {
  assert.ok(recording.policies.length >= 15);
  for (const c of recording.policies) {
    assert.deepEqual(resolveResetPolicy(c.session, { type: c.type, channel: c.channel }), c.resolved, c.name);
  }
});

Deno.test("resolveResetPolicy() with no session section resets nothing, at the default hour", () => {
  assert.deepEqual(resolveResetPolicy(undefined, { type: "direct" }), { mode: "none", atHour: 4, configured: false });
});

Deno.test("sessionResetType() classifies every recorded key as the reference does", () => {
  for (const { sessionKey, type } of recording.types) assert.equal(sessionResetType(sessionKey), type, sessionKey);
  assert.equal(sessionResetType("agent:main:main", { isGroup: true }), "group");
  assert.equal(sessionResetType("agent:main:main", { isThread: true }), "thread");
  // An empty thread id is no thread.
  assert.equal(sessionResetType("agent:main:telegram:direct:1:thread: "), "direct");
});

Deno.test("channelResetEntry() matches a trimmed lower-case id and never an inherited property", () => {
  const session = { resetByChannel: { telegram: { mode: "idle" as const, idleMinutes: 5 } } };
  assert.deepEqual(channelResetEntry(session, " TELEGRAM "), { mode: "idle", idleMinutes: 5 });
  assert.equal(channelResetEntry(session, "toString"), undefined);
  assert.equal(channelResetEntry(session, undefined), undefined);
  assert.equal(channelResetEntry({}, "telegram"), undefined);
});

Deno.test("session.reset* keys are implemented and apply hot, as the reference's reload plan has them", () => {
  const config = {
    session: {
      reset: { mode: "daily", atHour: 4 },
      resetByType: { group: { mode: "idle", idleMinutes: 120 } },
      resetByChannel: { discord: { idleMinutes: 60 } },
    },
  };
  assert.deepEqual(ignoredKeys(config), []);
  for (
    const path of ["session.reset.mode", "session.resetByType.group.idleMinutes", "session.resetByChannel.discord"]
  ) {
    assert.equal(classifyPath(path), "hot", path);
  }
});
