import assert from "node:assert/strict";
import { SessionStore } from "../../src/sessions/store.ts";
import { deliveryRecord, routeOfEntry } from "../../src/sessions/session_delivery.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

Deno.test("a recorded route is the entry's canonical delivery record and reads back as the last route", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const key = "agent:main:irc:channel:#ops";
    await store.ensure(key, "main");
    assert.equal(await store.lastRoute(key, "main"), undefined);
    await store.recordRoute(key, "main", { channel: "irc", to: "#ops", accountId: "default", from: "alice" });
    assert.deepEqual(await store.lastRoute(key, "main"), { channel: "irc", to: "#ops", accountId: "default" });
    await store.close();
    // The reference reads `delivery.kind/context/route/origin` from the entry as written here.
    const db = openAgentDb(stateDir, "main");
    const row = db.prepare("SELECT entry_json FROM session_nodes WHERE session_key = ?").get(key) as {
      entry_json: string;
    };
    db.close();
    const entry = JSON.parse(row.entry_json);
    assert.deepEqual(entry.delivery, {
      kind: "external",
      route: { channel: "irc", accountId: "default", target: { to: "#ops" } },
      context: { channel: "irc", to: "#ops", accountId: "default" },
      origin: { provider: "irc", surface: "irc", from: "alice", to: "#ops", accountId: "default" },
    });
    // Key for key in the reference's order (measured: a Telegram DM to the reference 2026.9.6).
    assert.deepEqual(Object.keys(entry.delivery.route), ["channel", "accountId", "target"]);
    assert.deepEqual(Object.keys(entry.delivery.origin), ["provider", "surface", "from", "to", "accountId"]);
    assert.ok(typeof entry.sessionId === "string", "the rest of the entry is kept");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("recording a route for a session that does not exist creates nothing", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    await store.ensure("agent:main:main", "main");
    await store.recordRoute("agent:main:other", "main", { channel: "irc", to: "#x" });
    assert.equal(await store.get("agent:main:other", "main"), undefined);
    assert.equal(await store.lastRoute("agent:main:other", "main"), undefined);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("routeOfEntry reads the canonical record, then the older flat fields; internal routes have none", () => {
  // As the reference 2026.9.6 wrote it for a Telegram DM.
  const reference = {
    kind: "external",
    route: { channel: "telegram", accountId: "default", target: { to: "telegram:4242" } },
    context: { channel: "telegram", to: "telegram:4242", accountId: "default" },
    origin: {
      provider: "telegram",
      surface: "telegram",
      chatType: "direct",
      from: "telegram:4242",
      to: "telegram:4242",
    },
  };
  assert.deepEqual(routeOfEntry({ delivery: reference }), {
    channel: "telegram",
    to: "telegram:4242",
    accountId: "default",
    chatType: "direct",
  });
  assert.deepEqual(routeOfEntry({ delivery: deliveryRecord({ channel: "telegram", to: "42", threadId: 7 }) }), {
    channel: "telegram",
    to: "42",
    threadId: 7,
  });
  assert.equal(routeOfEntry({ delivery: { kind: "internal" }, lastChannel: "irc", lastTo: "#a" }), undefined);
  assert.equal(routeOfEntry({ delivery: { kind: "none" } }), undefined);
  assert.deepEqual(routeOfEntry({ lastChannel: "irc", lastTo: "#a", lastAccountId: "work" }), {
    channel: "irc",
    to: "#a",
    accountId: "work",
  });
  assert.deepEqual(routeOfEntry({ deliveryContext: { channel: "irc", to: "#b" }, lastChannel: "telegram" }), {
    channel: "irc",
    to: "#b",
  });
  assert.equal(routeOfEntry({ lastChannel: "irc" }), undefined);
});

Deno.test("a channel message from the chat already recorded writes nothing (no database write per message)", async () => {
  const stateDir = await Deno.makeTempDir();
  let handle: ReturnType<typeof openAgentDb> | undefined;
  const store = new SessionStore(stateDir, { openDb: (dir, agentId) => handle = openAgentDb(dir, agentId) });
  const changes = () => (handle!.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
  try {
    const key = "agent:main:irc:dm:bob";
    await store.ensure(key, "main");
    const origin = { channel: "irc", to: "bob", accountId: "default", from: "bob", chatType: "direct" as const };
    await store.recordRoute(key, "main", origin);
    const after = changes();
    await store.recordRoute(key, "main", origin);
    assert.equal(changes(), after, "the same route again is not written");
    await store.recordRoute(key, "main", { ...origin, to: "#ops", chatType: "group" });
    assert.ok(changes() > after, "a new route is");
    assert.deepEqual(await store.lastRoute(key, "main"), {
      channel: "irc",
      to: "#ops",
      accountId: "default",
      chatType: "group",
    });
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a route's chat type reads back from the delivery record, the older flat entry or not at all", () => {
  const record = deliveryRecord({
    channel: "telegram",
    to: "telegram:-100555:topic:42",
    threadId: 42,
    chatType: "group",
  });
  assert.equal(routeOfEntry({ delivery: record })?.chatType, "group");
  assert.equal(routeOfEntry({ lastChannel: "telegram", lastTo: "4242", chatType: "direct" })?.chatType, "direct");
  assert.deepEqual(routeOfEntry({ lastChannel: "telegram", lastTo: "4242" }), { channel: "telegram", to: "4242" });
});
