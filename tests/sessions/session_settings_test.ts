import assert from "node:assert/strict";
import {
  effectiveResponseUsage,
  isSessionDefaultValue,
  SessionSettingError,
  settingsPatch,
} from "../../src/sessions/session_settings.ts";

Deno.test("settingsPatch() normalizes the reference's aliases of each setting", () => {
  assert.deepEqual(settingsPatch({ verboseLevel: "YES", reasoningLevel: "live", responseUsage: "on" }), {
    verboseLevel: "on",
    reasoningLevel: "stream",
    responseUsage: "tokens",
  });
  assert.deepEqual(settingsPatch({ verboseLevel: "everything", reasoningLevel: "hidden", responseUsage: "session" }), {
    verboseLevel: "full",
    reasoningLevel: "off",
    responseUsage: "full",
  });
  assert.deepEqual(settingsPatch({ sendPolicy: "deny", groupActivation: "always" }), {
    sendPolicy: "deny",
    groupActivation: "always",
  });
});

Deno.test("settingsPatch() clears a setting given null and leaves an absent one alone", () => {
  const patch = settingsPatch({ key: "agent:main:x", verboseLevel: null, sendPolicy: undefined });
  assert.deepEqual(Object.keys(patch), ["verboseLevel"]);
  assert.equal(patch.verboseLevel, undefined);
});

Deno.test("settingsPatch() refuses an unknown value with the reference's words, verbose before reasoning", () => {
  assert.throws(
    () => settingsPatch({ reasoningLevel: "maybe", verboseLevel: "loud" }),
    new SessionSettingError('invalid verboseLevel (use "on"|"off"|"full")'),
  );
  assert.throws(
    () => settingsPatch({ reasoningLevel: 5 }),
    new SessionSettingError('invalid reasoningLevel (use "on"|"off"|"stream")'),
  );
  assert.throws(
    () => settingsPatch({ responseUsage: "lots" }),
    new SessionSettingError('invalid responseUsage (use "off"|"tokens"|"full")'),
  );
  assert.throws(
    () => settingsPatch({ sendPolicy: "never" }),
    new SessionSettingError('invalid sendPolicy (use "allow"|"deny")'),
  );
  assert.throws(
    () => settingsPatch({ groupActivation: "" }),
    new SessionSettingError('invalid groupActivation (use "mention"|"always")'),
  );
});

Deno.test("effectiveResponseUsage() is the session's own footer mode, else off", () => {
  assert.equal(effectiveResponseUsage(undefined), "off");
  assert.equal(effectiveResponseUsage("tokens"), "tokens");
  assert.equal(effectiveResponseUsage("on"), "tokens");
  assert.equal(effectiveResponseUsage("full"), "full");
});

Deno.test("isSessionDefaultValue: the words that send a session's own setting back to the default", () => {
  assert.ok(isSessionDefaultValue("default") && isSessionDefaultValue(" Inherit ") && isSessionDefaultValue("unpin"));
  assert.ok(!isSessionDefaultValue("off"));
});
