import assert from "node:assert/strict";
import { createInternalHookEvent } from "../../src/agent/internal_hooks.ts";
import { saveSessionMemory, type SessionMemoryDeps } from "../../src/automation/hook_session_memory.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";

const text = (role: "user" | "assistant", value: string): TranscriptMessage => ({
  role,
  content: [{ type: "text", text: value }],
  timestamp: 0,
});

function deps(workspace: string, messages: TranscriptMessage[], logs: string[]): SessionMemoryDeps {
  return {
    windowMessages: (agentId, sessionId) =>
      Promise.resolve(agentId === "main" && sessionId === "old-1" ? messages : []),
    workspaceOf: () => workspace,
    timeZone: () => "UTC",
    entry: () => undefined,
    home: workspace,
    log: {
      info: (m: string) => void logs.push(`info ${m}`),
      warn: (m: string) => void logs.push(`warn ${m}`),
      error: (m: string) => void logs.push(`error ${m}`),
    } as never,
  };
}

Deno.test("saveSessionMemory() writes the previous window's excerpt to memory/<date>-<HHMM>.md, then -2 when taken", async () => {
  const workspace = await Deno.makeTempDir();
  try {
    const logs: string[] = [];
    const event = () => {
      const e = createInternalHookEvent("command", "new", "agent:main:main", {
        agentId: "main",
        workspaceDir: workspace,
        commandSource: "webchat",
        previousSessionEntry: { sessionId: "old-1" },
        sessionEntry: { sessionId: "new-2" },
      });
      e.timestamp = new Date("2026-01-16T14:30:09.000Z");
      return e;
    };
    const messages = [text("user", "remember pineapple"), text("user", "/status"), text("assistant", "Noted.")];
    const first = await saveSessionMemory(event(), deps(workspace, messages, logs));
    assert.equal(first, `${workspace}/memory/2026-01-16-1430.md`);
    assert.equal(
      await Deno.readTextFile(first!),
      [
        "# Session: 2026-01-16 14:30:09 UTC",
        "",
        "- **Session Key**: agent:main:main",
        "- **Session ID**: old-1",
        "- **Source**: webchat",
        "",
        "## Conversation Summary",
        "",
        'user: "remember pineapple"',
        'assistant: "Noted."',
        "",
      ].join("\n"),
    );
    assert.deepEqual(logs, ["info Session context saved to ~/memory/2026-01-16-1430.md"]);
    const second = await saveSessionMemory(event(), deps(workspace, messages, logs));
    assert.equal(second, `${workspace}/memory/2026-01-16-1430-2.md`);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("saveSessionMemory() ignores other events and logs (never throws) a missing agentId", async () => {
  const workspace = await Deno.makeTempDir();
  try {
    const logs: string[] = [];
    const stop = createInternalHookEvent("command", "stop", "k", { agentId: "main" });
    assert.equal(await saveSessionMemory(stop, deps(workspace, [], logs)), undefined);
    const noAgent = createInternalHookEvent("command", "reset", "k", {});
    assert.equal(await saveSessionMemory(noAgent, deps(workspace, [], logs)), undefined);
    assert.deepEqual(logs, ["error Failed to save session memory"]);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(workspace)), []);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("saveSessionMemory() records an unreadable transcript as the reference's unavailable note", async () => {
  const workspace = await Deno.makeTempDir();
  try {
    const logs: string[] = [];
    const failing: SessionMemoryDeps = {
      ...deps(workspace, [], logs),
      windowMessages: () => Promise.reject(new Error("database is locked")),
    };
    const event = createInternalHookEvent("command", "reset", "agent:main:main", {
      agentId: "main",
      previousSessionEntry: { sessionId: "old-1" },
    });
    const path = await saveSessionMemory(event, failing);
    const written = await Deno.readTextFile(path!);
    assert.match(written, /- \*\*Source\*\*: unknown\n/);
    assert.match(written, /> Transcript content was unavailable: "database is locked"\n/);
    assert.equal(logs[0], "warn Session transcript unavailable for memory capture");
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("saveSessionMemory() saves an automatic reset's ended window with its reason, and skips other reasons", async () => {
  const workspace = await Deno.makeTempDir();
  try {
    const logs: string[] = [];
    const event = (reason: string) => {
      const e = createInternalHookEvent("session", "auto-reset", "agent:main:main", {
        agentId: "main",
        workspaceDir: workspace,
        sessionEntry: { sessionId: "old-1" },
        reason,
        nextSessionId: "new-2",
        nextSessionKey: "agent:main:main",
      });
      e.timestamp = new Date("2026-01-16T14:30:09.000Z");
      return e;
    };
    const messages = [text("user", "remember pineapple"), text("assistant", "Noted.")];
    assert.equal(await saveSessionMemory(event("reset"), deps(workspace, messages, logs)), undefined);
    const path = await saveSessionMemory(event("idle"), deps(workspace, messages, logs));
    assert.equal(path, `${workspace}/memory/2026-01-16-1430.md`);
    const saved = await Deno.readTextFile(path!);
    assert.match(saved, /- \*\*Session ID\*\*: old-1\n- \*\*Reason\*\*: idle\n/);
    assert.match(saved, /user: "remember pineapple"/);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});
