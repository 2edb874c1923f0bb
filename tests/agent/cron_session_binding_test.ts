import assert from "node:assert/strict";
import {
  cronJobBoundSessionKeys,
  cronJobInSessionView,
  sessionHasAutomation,
} from "../../src/agent/cron_session_binding.ts";

const job = (over: Record<string, unknown>) => ({ id: "j1", sessionTarget: "isolated", ...over }) as never;

Deno.test("cronJobBoundSessionKeys() binds each sessionTarget to the session it runs in, as the store keys it", () => {
  assert.deepEqual([...cronJobBoundSessionKeys(job({ sessionTarget: "main" }), "main")], ["agent:main:main"]);
  assert.deepEqual([...cronJobBoundSessionKeys(job({ sessionTarget: "main" }), "main", "home")], ["agent:main:home"]);
  assert.deepEqual([...cronJobBoundSessionKeys(job({ sessionTarget: "isolated" }), "main")], ["agent:main:cron:j1"]);
  assert.deepEqual([...cronJobBoundSessionKeys(job({ sessionTarget: "current", agentId: "ops" }), "main")], [
    "agent:ops:cron:j1",
  ]);
  assert.deepEqual([...cronJobBoundSessionKeys(job({ sessionTarget: "session:project-z" }), "main")], [
    "agent:main:project-z",
  ]);
  assert.deepEqual([...cronJobBoundSessionKeys(job({ sessionTarget: "session:Agent:Ops:x" }), "main")], [
    "agent:ops:x",
  ]);
  assert.deepEqual([...cronJobBoundSessionKeys(job({ sessionKey: "agent:main:chat-y" }), "main")], [
    "agent:main:cron:j1",
    "agent:main:chat-y",
  ]);
});

Deno.test("cronJobInSessionView() compares the asked key as given; a bare key also needs the owner agent", () => {
  const bound = job({ sessionTarget: "session:agent:main:p" });
  const ctx = { defaultAgentId: "main" };
  assert.equal(cronJobInSessionView(bound, {}, ctx), true, "no sessionKey: every job");
  assert.equal(
    cronJobInSessionView(bound, { sessionAgentId: "other" }, ctx),
    true,
    "sessionAgentId alone filters nothing",
  );
  assert.equal(cronJobInSessionView(bound, { sessionKey: "agent:main:p" }, ctx), true);
  assert.equal(cronJobInSessionView(bound, { sessionKey: "agent:main:p", sessionAgentId: "other" }, ctx), true);
  assert.equal(cronJobInSessionView(bound, { sessionKey: "p" }, ctx), false, "a bare key is not canonicalized");
  assert.equal(cronJobInSessionView(job({ sessionTarget: "main" }), { sessionKey: "main" }, ctx), false);
});

Deno.test("sessionHasAutomation() holds for the sessions an enabled job is bound to, as the reference's row says", () => {
  const jobs = [
    job({ id: "a", enabled: true, sessionTarget: "session:agent:main:project-x" }),
    job({ id: "b", enabled: false, sessionTarget: "session:agent:main:paused" }),
    job({ id: "c", enabled: true, sessionTarget: "main" }),
  ];
  const ctx = { defaultAgentId: "main" };
  assert.equal(sessionHasAutomation(jobs, "agent:main:project-x", ctx), true);
  assert.equal(sessionHasAutomation(jobs, "agent:main:main", ctx), true, "a main-session job");
  assert.equal(sessionHasAutomation(jobs, "agent:main:cron:a", ctx), false, "not its own run session: it runs in x");
  assert.equal(sessionHasAutomation(jobs, "agent:main:paused", ctx), false, "a disabled job does not count");
  assert.equal(sessionHasAutomation(jobs, "agent:main:other", ctx), false);
  assert.equal(sessionHasAutomation([], "agent:main:main", ctx), false);
});
