import assert from "node:assert/strict";
import { Hub, type HubMember } from "../../src/protocol/hub.ts";
import { getLogger } from "../../src/log/logger.ts";

function member(connId: string, scopes = ["operator.read"]): HubMember & { got: string[] } {
  const got: string[] = [];
  return {
    connId,
    authenticated: true,
    scopes,
    got,
    sendEvent: (event) => got.push(event),
    sendEventJson: (event) => got.push(event),
    close: () => {},
  };
}

Deno.test("session events reach only subscribed connections, and stop on unsubscribe and on close", () => {
  const hub = new Hub(getLogger("test"));
  const all = member("all");
  const one = member("one");
  const none = member("none");
  const blind = member("blind", []);
  for (const m of [all, one, none, blind]) hub.add(m);
  const subs = hub.sessionSubscriptions;
  subs.subscribeSessions("all");
  subs.subscribeSessions("blind");
  subs.subscribeMessages("one", "agent:main:main");

  hub.sendTo(subs.sessionSubscribers(), "sessions.changed", {});
  hub.sendTo(subs.messageSubscribers("agent:main:main"), "session.message", {});
  hub.sendTo(subs.messageSubscribers("agent:main:other"), "session.message", {});
  assert.deepEqual(all.got, ["sessions.changed", "session.message", "session.message"]);
  assert.deepEqual(one.got, ["session.message"]);
  assert.deepEqual(none.got, []);
  assert.deepEqual(blind.got, [], "an event's scope still applies to subscribers");

  subs.unsubscribeMessages("one", "agent:main:main");
  hub.remove("all");
  hub.sendTo(subs.messageSubscribers("agent:main:main"), "session.message", {});
  assert.deepEqual(one.got, ["session.message"]);
  assert.equal(subs.sessionSubscribers().has("all"), false, "a closed connection's subscriptions are gone");
});
