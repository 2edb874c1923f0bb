import assert from "node:assert/strict";
import { createInternalHookEvent } from "../../src/agent/internal_hooks.ts";
import { commandLogger, commandLogLine } from "../../src/automation/hook_command_logger.ts";

Deno.test("commandLogLine() writes the reference's fields, with unknown for a missing sender and source", () => {
  const event = createInternalHookEvent("command", "new", "agent:main:main", { commandSource: "webchat" });
  event.timestamp = new Date("2026-01-16T14:30:00.000Z");
  assert.equal(
    commandLogLine(event),
    '{"timestamp":"2026-01-16T14:30:00.000Z","action":"new","sessionKey":"agent:main:main",' +
      '"senderId":"unknown","source":"webchat"}\n',
  );
});

Deno.test("commandLogger() appends one line per command event under <stateDir>/logs and ignores other families", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const handler = commandLogger({ stateDir, log: { error: () => {} } as never });
    await handler(createInternalHookEvent("command", "new", "k", { senderId: "u1", commandSource: "irc" }));
    await handler(createInternalHookEvent("session", "auto-reset", "k"));
    await handler(createInternalHookEvent("command", "stop", "k"));
    const lines = (await Deno.readTextFile(`${stateDir}/logs/commands.log`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(lines.map((l) => [l.action, l.senderId, l.source]), [["new", "u1", "irc"], [
      "stop",
      "unknown",
      "unknown",
    ]]);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("commandLogger() logs a failed write instead of throwing", async () => {
  const errors: string[] = [];
  const handler = commandLogger({
    stateDir: "/proc/no-such-dir",
    log: { error: (m: string) => void errors.push(m) } as never,
  });
  await handler(createInternalHookEvent("command", "reset", "k"));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^Failed to log command: /);
});
