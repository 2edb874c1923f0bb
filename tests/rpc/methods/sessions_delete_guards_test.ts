// `sessions.delete` keeps the reference's lifecycle guards, which `openclaw sessions delete` relies on:
// an archived-only delete of an active session and a delete of a session reset since it was listed
// are refused in the reference's words, and the session stays; so is a reset of an archived session.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { sessionMethods } from "../../../src/rpc/methods/sessions.ts";
import { SessionStore } from "../../../src/sessions/store.ts";

Deno.test("sessions.delete refuses archivedOnly on an active session and a stale expectedSessionId", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "sessions-delete-guards-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const key = "agent:main:scratch";
    const { sessionId } = await sessions.ensure(key, "main");
    const methods = sessionMethods({
      sessions,
      agents: () => agents,
      view: () => ({ agents, models: undefined, activeRunIds: () => [] }) as never,
      changed: () => {},
      abort: () => {},
    });
    const call = async (params: Record<string, unknown>): Promise<unknown> =>
      await methods["sessions.delete"]!.handler({
        params,
        caller: { scopes: ["operator.admin"] } as never,
        accept: () => {},
      });
    await assert.rejects(
      call({ key, archivedOnly: true }),
      /Session agent:main:scratch is not archived\. Archive it first, then delete it\./,
    );
    await assert.rejects(
      call({ key, expectedSessionId: "other" }),
      /Session agent:main:scratch changed before deletion\. Retry\./,
    );
    assert.ok(await sessions.get(key, "main"));

    await sessions.archive(key, "main", true);
    // Its transcript (a header alone) is archived, as the reference archives one (recorded: agent:main:empty).
    const deleted = await call({ key, archivedOnly: true, expectedSessionId: sessionId }) as { archived: string[] };
    assert.deepEqual({ ...deleted, archived: [] }, { ok: true, key, deleted: true, archived: [] });
    assert.equal(deleted.archived.length, 1);
    assert.match(
      deleted.archived[0]!,
      new RegExp(`^${stateDir}/agents/main/sessions/${sessionId}\\.jsonl\\.deleted\\.[0-9TZ.-]+\\.[0-9a-f]{32}\\.zst$`),
    );
    assert.equal(await sessions.get(key, "main"), undefined);

    // Gone since it was listed: neither archived nor the session expected, in the reference's words.
    await assert.rejects(
      call({ key, archivedOnly: true, expectedSessionId: sessionId }),
      /Session agent:main:scratch is not archived\. Archive it first, then delete it\./,
    );
    await assert.rejects(
      call({ key, expectedSessionId: sessionId }),
      /Session agent:main:scratch changed before deletion\. Retry\./,
    );
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("sessions.reset refuses an archived session as the reference does, and resets it once restored", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "sessions-reset-archived-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const key = "agent:main:scratch";
    const { sessionId } = await sessions.ensure(key, "main");
    const methods = sessionMethods({
      sessions,
      agents: () => agents,
      view: () => ({ agents, models: undefined, activeRunIds: () => [] }) as never,
      changed: () => {},
      abort: () => {},
    });
    const reset = async (): Promise<unknown> =>
      await methods["sessions.reset"]!.handler({
        params: { key },
        caller: { scopes: ["operator.admin"] } as never,
        accept: () => {},
      });
    await sessions.archive(key, "main", true);
    await assert.rejects(reset(), /Session "agent:main:scratch" is archived\. Restore it before starting new work\./);
    assert.equal((await sessions.get(key, "main"))?.sessionId, sessionId);
    await sessions.archive(key, "main", false);
    await reset();
    assert.notEqual((await sessions.get(key, "main"))?.sessionId, sessionId);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("sessions.delete whose archive file cannot be written answers the reference's words, the session gone", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "sessions-delete-pending-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const key = "agent:main:scratch";
    await sessions.ensure(key, "main");
    const changed: string[] = [];
    const methods = sessionMethods({
      sessions,
      agents: () => agents,
      view: () => ({ agents, models: undefined, activeRunIds: () => [] }) as never,
      changed: (sessionKey, _agentId, reason) => changed.push(`${reason} ${sessionKey}`),
      abort: () => {},
    });
    await Deno.writeTextFile(`${stateDir}/agents/main/sessions`, "in the way");
    await assert.rejects(
      async () =>
        await methods["sessions.delete"]!.handler({
          params: { key },
          caller: { scopes: ["operator.admin"] } as never,
          accept: () => {},
        }),
      {
        code: "UNAVAILABLE",
        message:
          "Session deletion committed, but 1 transcript archive file export(s) remain pending in SQLite; retry the operation to publish them.",
      },
    );
    assert.equal(await sessions.get(key, "main"), undefined);
    assert.deepEqual(changed, [`delete ${key}`]);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
