import assert from "node:assert/strict";
import { heartbeatRoute } from "../../src/automation/heartbeat_route.ts";

const base = { target: "owner", directPolicy: "allow" };

Deno.test("owner: the first channel:id of ownerAllowFrom; wildcards and bare ids name no chat", () => {
  assert.deepEqual(heartbeatRoute(base, ["*", "12345", "telegram:4242", "irc:alice"]), {
    kind: "deliver",
    target: { channel: "telegram", to: "4242", accountId: undefined },
  });
  assert.deepEqual(heartbeatRoute(base, ["*", "irc:*"]), { kind: "none", reason: "no-route" });
  assert.deepEqual(heartbeatRoute({ ...base, directPolicy: "block" }, ["irc:alice"]), {
    kind: "none",
    reason: "dm-blocked",
    channel: "irc",
  });
});

Deno.test("last, none, and a channel with or without to", () => {
  assert.deepEqual(heartbeatRoute({ ...base, target: "last", accountId: "ops" }, []), {
    kind: "deliver",
    target: { channel: "last", accountId: "ops" },
  });
  assert.deepEqual(heartbeatRoute({ ...base, target: "none" }, ["irc:alice"]), { kind: "none", reason: "target-none" });
  assert.deepEqual(heartbeatRoute({ ...base, target: "irc", to: "#ops" }, []), {
    kind: "deliver",
    target: { channel: "irc", to: "#ops", accountId: undefined },
  });
  assert.deepEqual(heartbeatRoute({ ...base, target: "irc" }, []), {
    kind: "none",
    reason: "no-target",
    channel: "irc",
  });
});
