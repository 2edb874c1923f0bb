import assert from "node:assert/strict";
import { bootSessionId, runBootTurn } from "../../src/server/boot_run.ts";

Deno.test("bootSessionId() has the reference's shape", () => {
  assert.match(bootSessionId(new Date("2026-12-02T13:50:55.414Z")), /^boot-2026-12-02_13-50-55-414-[0-9a-f]{8}$/);
});

Deno.test("runBootTurn() runs the prompt in a throwaway boot session and removes it, also when the turn fails", async () => {
  const started: { agentId: string; sessionKey: string; message: string }[] = [];
  const deleted: string[] = [];
  const deps = (status: "ok" | "error") => ({
    runs: {
      start: (request: { agentId: string; sessionKey: string; message: string }) => {
        started.push(request);
        return { kind: "done", outcome: { status, error: status === "error" ? "no model" : undefined } } as never;
      },
    },
    sessions: {
      delete: (key: string) => {
        deleted.push(key);
        return Promise.resolve([]);
      },
    },
  });
  await runBootTurn(deps("ok"), "main", "boot prompt");
  await assert.rejects(runBootTurn(deps("error"), "ops", "boot prompt"), /no model/);
  assert.deepEqual(started.map((r) => [r.agentId, r.message]), [["main", "boot prompt"], ["ops", "boot prompt"]]);
  assert.match(started[0]!.sessionKey, /^agent:main:boot:boot-\d{4}-\d{2}-\d{2}_/);
  assert.deepEqual(deleted, started.map((r) => r.sessionKey));
});
