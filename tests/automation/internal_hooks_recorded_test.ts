// Our bundled handlers' output against the reference's recordings (tests/fixtures/internal_hooks/README.md).
import assert from "node:assert/strict";
import { createInternalHookEvent } from "../../src/agent/internal_hooks.ts";
import { commandLogLine } from "../../src/automation/hook_command_logger.ts";
import { saveSessionMemory } from "../../src/automation/hook_session_memory.ts";

const FIXTURES = new URL("../fixtures/internal_hooks/", import.meta.url);

Deno.test("command-logger writes the reference's recorded commands.log line", async () => {
  const recorded = await Deno.readTextFile(new URL("commands.log.txt", FIXTURES));
  const fields = JSON.parse(recorded);
  const event = createInternalHookEvent("command", "new", fields.sessionKey, {
    senderId: "cli",
    commandSource: "webchat",
  });
  event.timestamp = new Date(fields.timestamp);
  assert.equal(commandLogLine(event), recorded);
});

Deno.test("session-memory writes the reference's recorded memory file", async () => {
  const recorded = await Deno.readTextFile(new URL("memory_2026-12-02-1350.md.txt", FIXTURES));
  const workspace = await Deno.makeTempDir();
  try {
    const sessionId = /Session ID\*\*: (\S+)/.exec(recorded)![1]!;
    const event = createInternalHookEvent("command", "new", "agent:main:main", {
      agentId: "main",
      workspaceDir: workspace,
      commandSource: "webchat",
      previousSessionEntry: { sessionId },
    });
    event.timestamp = new Date("2026-12-02T13:50:55.414Z");
    const path = await saveSessionMemory(event, {
      windowMessages: () =>
        Promise.resolve([{
          role: "user",
          content: [{ type: "text", text: "remember the word pineapple" }],
          timestamp: 0,
        }]),
      workspaceOf: () => workspace,
      timeZone: () => "UTC",
      entry: () => undefined,
      home: "/nonexistent",
      log: { info: () => {}, warn: () => {}, error: () => {} } as never,
    });
    assert.equal(path, `${workspace}/memory/2026-12-02-1350.md`);
    assert.equal(await Deno.readTextFile(path!), recorded);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});
