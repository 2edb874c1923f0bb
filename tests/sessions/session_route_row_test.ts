// A session row carries the chat the session last talked on (`route`), read from the entry's `delivery` (or the
// older flat fields) and kept current in the cached index when a turn records a new route: the session rows of
// `sessions.list` and `sessions.describe` show it, and `openclaw mcp serve` lists conversations by it.
import assert from "node:assert/strict";
import { routeOfRaw } from "../../src/sessions/session_row.ts";
import { SessionStore } from "../../src/sessions/store.ts";

const ORIGIN = {
  channel: "telegram",
  to: "42",
  accountId: "default",
  from: "telegram:42",
  chatType: "direct" as const,
};

Deno.test("a row has the route its session was created with, and a recorded new route replaces it in the index", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    await store.ensure("agent:main:plain", "main");
    await store.ensure("agent:main:telegram:direct:42", "main", ORIGIN);
    // The whole index loaded (cached), then a route changes.
    const listed = await store.list(["main"]);
    assert.deepEqual(listed.find((r) => r.key === "agent:main:telegram:direct:42")?.route, {
      channel: "telegram",
      to: "42",
      accountId: "default",
      chatType: "direct",
    });
    assert.equal(listed.find((r) => r.key === "agent:main:plain")?.route, undefined);
    await store.recordRoute("agent:main:telegram:direct:42", "main", { ...ORIGIN, to: "43", threadId: 7 });
    assert.deepEqual((await store.get("agent:main:telegram:direct:42", "main"))?.route, {
      channel: "telegram",
      to: "43",
      accountId: "default",
      threadId: 7,
      chatType: "direct",
    });
  } finally {
    await store.close();
  }
  // Read again from the database, as a restarted gateway reads it.
  const again = new SessionStore(stateDir);
  try {
    const row = await again.get("agent:main:telegram:direct:42", "main");
    assert.deepEqual(row?.route, {
      channel: "telegram",
      to: "43",
      accountId: "default",
      threadId: 7,
      chatType: "direct",
    });
    assert.deepEqual(JSON.parse(JSON.stringify(row)).route, row?.route, "a serialized row keeps its route");
  } finally {
    await again.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("routeOfRaw() reads delivery first, then the older deliveryContext and flat last* fields", () => {
  const delivery = JSON.stringify({ kind: "external", context: { channel: "irc", to: "#ops", accountId: "a" } });
  assert.deepEqual(routeOfRaw({ delivery, lastChannel: "telegram", lastTo: "1" }), {
    channel: "irc",
    to: "#ops",
    accountId: "a",
  });
  assert.deepEqual(routeOfRaw({ lastChannel: "telegram", lastTo: "1", lastThreadId: 3 }), {
    channel: "telegram",
    to: "1",
    threadId: 3,
  });
  assert.deepEqual(routeOfRaw({ deliveryContext: JSON.stringify({ channel: "slack", to: "C1" }) }), {
    channel: "slack",
    to: "C1",
  });
  assert.equal(routeOfRaw({ delivery: null, lastChannel: null }), undefined);
  assert.equal(routeOfRaw({ lastChannel: "telegram" }), undefined, "no recipient, no route");
});
