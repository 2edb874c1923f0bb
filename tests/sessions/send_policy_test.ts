import assert from "node:assert/strict";
import { normalizeChatType, resolveSendPolicy, type SendPolicyConfig } from "../../src/sessions/send_policy.ts";

const POLICY: SendPolicyConfig = {
  default: "deny",
  rules: [
    { action: "allow", match: { channel: "telegram", chatType: "direct" } },
    { action: "allow", match: { keyPrefix: "ok-" } },
    { action: "deny", match: { keyPrefix: "ok-no" } },
    { action: "allow", match: { rawKeyPrefix: "agent:main:raw-" } },
  ],
};

/** Each row: what the session is, and the decision the reference makes for it under POLICY. */
const CASES: [string, Parameters<typeof resolveSendPolicy>[0], "allow" | "deny"][] = [
  ["no policy allows", { sessionKey: "agent:main:main" }, "allow"],
  ["no policy, own deny", { sessionKey: "agent:main:main", override: "deny" }, "deny"],
  ["own policy in any case", { sessionKey: "agent:main:main", override: " DENY " }, "deny"],
  ["an unknown own value is unset", { policy: POLICY, sessionKey: "agent:main:ok-1", override: "never" }, "allow"],
  ["own allow beats the default", { policy: POLICY, sessionKey: "agent:main:other", override: "allow" }, "allow"],
  ["own deny beats an allow rule", { policy: POLICY, sessionKey: "agent:main:ok-1", override: "deny" }, "deny"],
  ["main with no route: the default", { policy: POLICY, sessionKey: "agent:main:main" }, "deny"],
  [
    "main with a Telegram DM route",
    { policy: POLICY, sessionKey: "agent:main:main", channel: "telegram", chatType: "direct" },
    "allow",
  ],
  ["a channel without a chat type", { policy: POLICY, sessionKey: "agent:main:main", channel: "telegram" }, "deny"],
  [
    "legacy dm spelling",
    { policy: POLICY, sessionKey: "agent:main:main", channel: "Telegram", chatType: "dm" },
    "allow",
  ],
  ["channel and type from the key", { policy: POLICY, sessionKey: "agent:main:telegram:direct:42" }, "allow"],
  ["a group is not direct", { policy: POLICY, sessionKey: "agent:main:telegram:group:-1" }, "deny"],
  ["key prefix on the stripped key", { policy: POLICY, sessionKey: "agent:main:ok-1" }, "allow"],
  ["key prefix on the raw key", { policy: POLICY, sessionKey: "ok-2" }, "allow"],
  ["a later deny rule wins", { policy: POLICY, sessionKey: "agent:main:ok-no" }, "deny"],
  ["raw key prefix", { policy: POLICY, sessionKey: "agent:main:raw-1" }, "allow"],
  ["raw key prefix needs the raw key", { policy: POLICY, sessionKey: "raw-1" }, "deny"],
  ["an ambiguous peer shape is denied", { policy: POLICY, sessionKey: "agent:main:dm:group:x" }, "deny"],
  ["no rule matched, no default", { policy: { rules: [] }, sessionKey: "agent:main:x" }, "allow"],
  [
    "a deny rule on a channel",
    { policy: { rules: [{ action: "deny", match: { channel: "discord" } }] }, sessionKey: "x", channel: "discord" },
    "deny",
  ],
  [
    "a rule with no match applies to all",
    { policy: { default: "deny", rules: [{ action: "allow" }] }, sessionKey: "agent:main:x" },
    "allow",
  ],
  [
    "a legacy group key names its type",
    { policy: { rules: [{ action: "deny", match: { chatType: "group" } }] }, sessionKey: "agent:main:group:abc" },
    "deny",
  ],
];

for (const [name, input, expected] of CASES) {
  Deno.test(`resolveSendPolicy(): ${name}`, () => {
    assert.equal(resolveSendPolicy(input), expected);
  });
}

Deno.test("normalizeChatType() maps dm to direct and refuses other labels", () => {
  assert.equal(normalizeChatType("DM"), "direct");
  assert.equal(normalizeChatType("channel"), "channel");
  assert.equal(normalizeChatType("supergroup"), undefined);
  assert.equal(normalizeChatType(undefined), undefined);
});
