import assert from "node:assert/strict";
import { whoamiText } from "../../src/agent/chat_whoami.ts";

Deno.test("/whoami: a channel sender's id, handle, group and thread, and the id an allowlist takes", () => {
  assert.equal(
    whoamiText({
      sender: { channel: "telegram", senderId: "42", username: "alice", groupId: "-100123", threadId: "7" },
    }),
    [
      "🧭 Identity",
      "Channel: telegram",
      "User id: 42",
      "Username: @alice",
      "Chat: telegram:group:-100123",
      "Thread: 7",
      "AllowFrom: 42",
    ].join("\n"),
  );
  assert.equal(
    whoamiText({ sender: { channel: "irc", senderId: "bob!b@host" } }),
    "🧭 Identity\nChannel: irc\nUser id: bob!b@host\nAllowFrom: bob!b@host",
  );
});

Deno.test("/whoami from a Gateway client: webchat; the client id as the sender unless it is an operator UI", () => {
  assert.equal(whoamiText({ gatewayClient: { clientId: "openclaw-control-ui" } }), "🧭 Identity\nChannel: webchat");
  assert.equal(whoamiText({ gatewayClient: { clientId: "openclaw-tui" } }), "🧭 Identity\nChannel: webchat");
  assert.equal(whoamiText({ gatewayClient: {} }), "🧭 Identity\nChannel: webchat");
  assert.equal(
    whoamiText({ gatewayClient: { clientId: "cli" } }),
    "🧭 Identity\nChannel: webchat\nUser id: cli\nAllowFrom: cli",
  );
});
