// `sessions.resolve` with `reference` (the reference Control UI opening a session's link, `/chat/main/<rest>`):
// looked up by its exact key, answered as the reference answers it (recorded by
// tools/record_reference_ui_surfaces.ts: `{ok: true, key, agentId}`), and `allowMissing` for an unknown one.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { sessionEditMethods } from "../../../src/rpc/methods/session_edits.ts";
import { SessionStore } from "../../../src/sessions/store.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

Deno.test("sessions.resolve finds a session by the UI's reference key, and refuses it with another selector", async () => {
  const stateDir = await Deno.makeTempDir();
  const sessions = new SessionStore(stateDir);
  const agents = agentsFromConfig({} as never, stateDir, "/home/test");
  const methods = sessionEditMethods({
    sessions,
    agents: () => agents,
    view: () => Promise.reject(new Error("not read by sessions.resolve")),
    runs: { start: () => Promise.reject(new Error("no run")) } as never,
    changed: () => {},
  });
  try {
    await sessions.ensure("agent:main:project-x", "main");
    const params = { includeGlobal: true, includeUnknown: true, allowMissing: true, agentId: "main" };
    assert.deepEqual(
      await payloadOf(methods, "sessions.resolve", {
        reference: { key: "agent:main:project-x", slug: "project-x" },
        ...params,
      }),
      { ok: true, key: "agent:main:project-x", agentId: "main" },
    );
    assert.deepEqual(
      await payloadOf(methods, "sessions.resolve", { reference: { key: "agent:main:nothing" }, ...params }),
      { ok: true, missing: true },
    );
    const refused = await callMethod(methods, "sessions.resolve", { reference: { key: "agent:main:nothing" } });
    assert.deepEqual(refused.ok ? undefined : refused.error.message, "No session found: agent:main:nothing");
    const both = await callMethod(methods, "sessions.resolve", { key: "main", reference: { key: "agent:main:main" } });
    assert.deepEqual(
      both.ok ? undefined : both.error.message,
      "Provide either key, sessionId, label, shortId, or reference (not multiple)",
    );
    const bad = await callMethod(methods, "sessions.resolve", { reference: { slug: "x" } });
    assert.equal(bad.ok, false, "a reference without its key is refused");
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
