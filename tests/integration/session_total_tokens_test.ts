// A session our gateway ran, read by the reference OpenClaw 2026.9.6's own CLI straight from the state store: its
// `sessions` table shows the context size our run's end wrote (totalTokens, fresh at version 1), not `unknown/`.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { startReferenceCliGateway } from "../support/reference_cli_gateway.ts";
import { connectReference } from "../support/reference_client.ts";

const TOKEN = "session-total-tokens-token-0123456789";

Deno.test("the reference CLI's sessions and status show the context size of a turn our gateway answered", async () => {
  // The port in the config: the reference's `status` probes the gateway the config names; models as objects, which
  // the reference CLI reads (not the string shorthand this gateway also accepts).
  const gateway = await startReferenceCliGateway(TOKEN);
  const { port, proc, where: peerHome } = gateway;
  const operator = await connectReference({ port, token: TOKEN });
  try {
    const final = await operator.request<{ status: string }>("agent", {
      message: "count my tokens",
      sessionKey: "agent:main:main",
      idempotencyKey: "tokens-1",
    }, { expectFinal: true });
    assert.equal(final.status, "ok");
    const listed = await operator.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
    const ours = listed.sessions.find((s) => s.key === "agent:main:main")!;
    assert.equal(typeof ours.totalTokens, "number");
    assert.equal(ours.totalTokensFresh, true);
    // `status` with the gateway up (stopped, it waits out its probes of it); it reads sessions from the store.
    const status = await runPeer(["status", "--timeout", "5000"], peerHome);
    assert.equal(status.code, 0, status.stderr);
    const shown = `${status.stdout}${status.stderr}`;
    assert.doesNotMatch(shown, /unknown\/200k/, shown);
    assert.match(shown, new RegExp(`\\b${ours.totalTokens}/200k \\(\\d+%\\)`), shown);
    operator.stop();
    // The gateway stopped: the reference reads what our run's end wrote, nothing held in memory.
    await proc.stop();

    const json = await runPeer(["sessions", "--json"], peerHome);
    assert.equal(json.code, 0, json.stderr);
    const theirs = (JSON.parse(json.stdout) as { sessions: Record<string, unknown>[] }).sessions
      .find((s) => s.key === "agent:main:main");
    assert.ok(theirs, json.stdout);
    assert.equal(typeof theirs.totalTokens, "number", json.stdout);
    assert.equal(theirs.totalTokensFresh, true);
    // Our sessions.list and the reference's reading of the store agree.
    assert.equal(theirs.totalTokens, ours.totalTokens);
    assert.equal(theirs.inputTokens, ours.inputTokens);

    // Without a terminal the reference prints its tables on stderr.
    const table = await runPeer(["sessions"], peerHome);
    assert.equal(table.code, 0, table.stderr);
    const line = `${table.stdout}${table.stderr}`.split("\n").find((l) => l.includes("agent:main:main"));
    assert.ok(line, table.stderr);
    assert.match(line, new RegExp(`\\b${theirs.totalTokens}/200k \\(\\d+%\\)`));
    assert.doesNotMatch(line, /unknown\//);
  } finally {
    operator.stop();
    await gateway.stop();
  }
});
