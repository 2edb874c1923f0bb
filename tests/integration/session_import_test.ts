// A gateway started on a state dir this gateway's earlier release wrote imports its sessions once
// (decision 0012) and serves them; the earlier files stay as a renamed backup.
import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "import-token-0123456789";

Deno.test("the gateway imports the earlier session layout at start, lists it, and keeps the old files", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const dir = `${home.stateDir}/agents/main/sessions`;
  await Deno.mkdir(dir, { recursive: true });
  const index = {
    sessions: { "agent:main:main": { key: "agent:main:main", sessionId: "old-1", createdAt: 1, updatedAt: 2 } },
  };
  await Deno.writeTextFile(`${dir}/sessions.json`, JSON.stringify(index));
  const lines = [
    { type: "message", role: "user", content: [{ type: "text", text: "from before" }], timestamp: 1 },
    { type: "message", role: "assistant", content: [{ type: "text", text: "kept" }], timestamp: 2 },
  ];
  await Deno.writeTextFile(`${dir}/old-1.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await proc.waitForLine(/imported 1 sessions \(2 messages\) from the earlier layout; the old files are kept in/);
    const session = await connectReference({ port, token: TOKEN });
    try {
      const list = await session.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {});
      assert.deepEqual(list.sessions.map((s) => [s.key, s.sessionId]), [["agent:main:main", "old-1"]]);
      // As the reference shows them: a user's text as a string, an answer as content blocks.
      const history = await session.request<{ messages: { role: string; content: string | { text: string }[] }[] }>(
        "chat.history",
        { sessionKey: "agent:main:main" },
      );
      assert.deepEqual(
        history.messages.map((m) => [m.role, typeof m.content === "string" ? m.content : m.content[0]!.text]),
        [
          ["user", "from before"],
          ["assistant", "kept"],
        ],
      );
    } finally {
      session.stop();
    }
    const backups = (await Array.fromAsync(Deno.readDir(`${home.stateDir}/agents/main`))).map((e) => e.name);
    assert.ok(backups.some((name) => name.startsWith("sessions.imported-")), backups.join(", "));
    assert.ok(backups.includes("agent"), "the agent database was created");
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
