// `openclaw agent --message`: our CLI through our gateway (the `agent` method, waiting for its final
// answer) prints what the reference CLI printed against the reference gateway (recorded key paths),
// and `--local` runs the same turn in-process on the same state dir with no gateway running.
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer, runPeer } from "../support/peer.ts";
import {
  compareOutcome,
  outcomeOf,
  REFERENCE_CLI_FIXTURE,
  referenceCliConfig,
  type ReferenceCliFixture,
} from "../support/reference_cli.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "agent-cli-token-0123456789abcdef";

/** Sections of the reference's run report for features this gateway lacks (as reference_cli_test omits them). */
const OMITS = [
  "result.meta.systemPromptReport",
  "result.meta.agentMeta.contextBudgetStatus",
  "result.meta.agentMeta.agentHarnessId",
  "result.meta.agentMeta.credentialSource",
];

Deno.test("openclaw agent --message: through the gateway as the reference prints it, and --local without one", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["m1"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const cli = (args: string[]) => runOpenclaw(args, { home: home.home });
  const { proc } = await startGateway({ home: home.home, port });
  let stopped = false;
  try {
    const viaGateway = await cli(["agent", "--agent", "main", "--message", "hi", "--json"]);
    assert.equal(viaGateway.code, 0, viaGateway.stderr);
    const answer = JSON.parse(viaGateway.stdout);
    assert.equal(answer.status, "ok");
    assert.equal(answer.summary, "completed");
    assert.equal(answer.result.payloads[0].text, FAKE_ANSWER);
    const fixture = JSON.parse(await Deno.readTextFile(REFERENCE_CLI_FIXTURE)) as ReferenceCliFixture;
    const compared = compareOutcome(
      outcomeOf(viaGateway.code, viaGateway.stdout),
      fixture.outcomes["agent-turn"]!,
      OMITS,
    );
    assert.deepEqual(compared, { level: "same", missing: [] });
    assert.equal((upstream.requests.at(-1) as { model: string }).model, "m1");

    const plain = await cli(["agent", "--session-key", "work", "--message", "hello"]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout.trim(), FAKE_ANSWER);
    const history = await cli([
      "gateway",
      "call",
      "chat.history",
      "--json",
      "--params",
      '{"sessionKey":"agent:main:work"}',
    ]);
    assert.equal(JSON.parse(history.stdout).messages.length, 2, "the bare key was scoped to the default agent");

    // A bare /new resets the session without a model turn, as the reference's `agent` method does.
    const requestsBefore = upstream.requests.length;
    const reset = await cli(["agent", "--session-key", "work", "--message", "/new", "--json"]);
    assert.equal(reset.code, 0, reset.stderr);
    const resetAnswer = JSON.parse(reset.stdout);
    assert.deepEqual(resetAnswer.result.payloads, [{ text: "✅ New session started.", isStatusNotice: true }]);
    assert.equal(typeof resetAnswer.result.meta.agentMeta.sessionId, "string");
    assert.equal(upstream.requests.length, requestsBefore, "no model call for a bare /new");
    const afterReset = await cli([
      "gateway",
      "call",
      "chat.history",
      "--json",
      "--params",
      '{"sessionKey":"agent:main:work"}',
    ]);
    assert.equal(JSON.parse(afterReset.stdout).messages.length, 0, "the session window is fresh");
    // `/new <text>`: the reset, then the text runs on the fresh session.
    const followUp = await cli(["agent", "--session-key", "work", "--message", "/new hello again", "--json"]);
    assert.equal(followUp.code, 0, followUp.stderr);
    assert.equal(JSON.parse(followUp.stdout).result.payloads[0].text, FAKE_ANSWER);
    const afterFollowUp = await cli([
      "gateway",
      "call",
      "chat.history",
      "--json",
      "--params",
      '{"sessionKey":"agent:main:work"}',
    ]);
    const followed = JSON.parse(afterFollowUp.stdout).messages as { role: string; content: unknown }[];
    assert.deepEqual(followed.map((m) => m.role), ["user", "assistant"]);
    assert.equal(followed[0]!.content, "hello again");

    // The reference's refusals, in its CLI error envelope.
    const unknown = await cli(["agent", "--agent", "zzz", "--message", "hi", "--json"]);
    assert.equal(unknown.code, 1);
    assert.deepEqual(JSON.parse(unknown.stdout), {
      ok: false,
      error: {
        type: "cli_error",
        message: 'Unknown agent id "zzz". Use "openclaw agents list" to see configured agents.',
      },
    });
    const missing = await cli(["agent", "--agent", "main", "--json"]);
    assert.equal(missing.code, 1);
    assert.match(JSON.parse(missing.stdout).error.message, /^Missing message\. Use openclaw agent --message/);
    const blank = await cli(["agent", "--to", " ", "--message", "hi"]);
    assert.equal(blank.code, 1);
    assert.equal(blank.stderr.trim(), "--to must not be blank");

    // No selector and no global session scope: the reference refuses before dispatch.
    const untargeted = await cli(["agent", "--message", "hi"]);
    assert.equal(untargeted.code, 1);
    assert.match(untargeted.stderr, /^No target session selected\. Use --agent <id>, --session-key <key>/);
    // A --timeout past what a timer holds still waits for the answer (an overflowed wait gave up at once).
    const long = await cli(["agent", "--agent", "main", "--timeout", "3000000", "--message", "hi"]);
    assert.equal(long.code, 0, long.stderr);
    assert.equal(long.stdout.trim(), FAKE_ANSWER);
    // The gateway ends the turn at --timeout: the reference's timeout answer, exit 1.
    const stalled = await cli([
      "agent",
      "--agent",
      "main",
      "--model",
      "fake/stall",
      "--timeout",
      "1",
      "--message",
      "hi",
      "--json",
    ]);
    assert.equal(stalled.code, 1, stalled.stderr);
    const timedOut = JSON.parse(stalled.stdout);
    assert.deepEqual([timedOut.status, timedOut.summary, timedOut.stopReason], ["timeout", "aborted", "timeout"]);
    assert.match(timedOut.result.payloads.at(-1).text, /^Request timed out before a response was generated\./);

    // A failed run: exit 1, the envelope names the run the gateway accepted.
    const failing = await cli(["agent", "--agent", "main", "--model", "fake/fail", "--message", "hi", "--json"]);
    assert.equal(failing.code, 1);
    const failed = JSON.parse(failing.stdout);
    assert.equal(failed.ok, false);
    assert.equal(failed.origin, "gateway");
    assert.equal(typeof failed.runId, "string");

    await proc.stop();
    stopped = true;
    const before = upstream.requests.length;
    // Without a gateway: the reference's unreachable report, and its envelope with the same lines.
    const down = await cli(["agent", "--agent", "main", "--message", "hi", "--json"]);
    assert.equal(down.code, 1);
    const downAnswer = JSON.parse(down.stdout);
    assert.equal(downAnswer.ok, false);
    assert.match(
      downAnswer.error.message,
      /^Gateway not reachable at ws:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.\nStart it/,
    );
    assert.match(down.stderr, /^Gateway agent call connection closed; the Gateway may still be running this turn\./);

    // --local prints the run's result ({payloads, meta}), as the reference's embedded run does.
    const local = await cli(["agent", "--local", "--agent", "main", "--message", "offline", "--json"]);
    assert.equal(local.code, 0, local.stderr);
    const localAnswer = JSON.parse(local.stdout);
    assert.deepEqual(Object.keys(localAnswer), ["payloads", "meta"]);
    assert.equal(localAnswer.payloads[0].text, FAKE_ANSWER);
    assert.equal(localAnswer.meta.agentMeta.provider, "fake");
    assert.equal(upstream.requests.length, before + 1, "the local run called the model itself");
    // The local run wrote the same session the gateway uses: the transcript holds both turns.
    const prompt = (upstream.requests.at(-1) as { messages: { role: string; content: string }[] }).messages;
    assert.ok(prompt.some((m) => m.role === "user" && m.content === "hi"), "earlier gateway turn is in the context");
    // --local keeps the same deadline: the run ends as the reference's timed-out turn, exit 1.
    const localStall = await cli([
      "agent",
      "--local",
      "--agent",
      "main",
      "--model",
      "fake/stall",
      "--timeout",
      "1",
      "--message",
      "x",
      "--json",
    ]);
    assert.equal(localStall.code, 1, localStall.stderr);
    const stalledLocal = JSON.parse(localStall.stdout);
    assert.match(stalledLocal.payloads.at(-1).text, /^Request timed out before a response was generated\./);
    assert.equal(stalledLocal.meta.aborted, true);
  } finally {
    if (!stopped) await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("the reference's openclaw agent against our gateway prints what it prints against the reference", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(referenceCliConfig({ port, token: TOKEN, upstreamUrl: upstream.url }));
  const { proc } = await startGateway({ home: home.home, port });
  // The reference CLI reads the same config (port, token) from this home.
  const reference = (args: string[]) => runPeer(args, home, { OPENCLAW_GATEWAY_PORT: String(port) });
  try {
    const fixture = JSON.parse(await Deno.readTextFile(REFERENCE_CLI_FIXTURE)) as ReferenceCliFixture;
    const turn = await reference(["agent", "--agent", "main", "--message", "hi", "--json"]);
    assert.deepEqual(compareOutcome(outcomeOf(turn.code, turn.stdout), fixture.outcomes["agent-turn"]!, OMITS), {
      level: "same",
      missing: [],
    });
    assert.equal(JSON.parse(turn.stdout).result.payloads[0].text, FAKE_ANSWER);

    // --session-id: the reference CLI sends sessionId and agent:<id>:explicit:<id>; the run lands there.
    const explicit = await reference(["agent", "--session-id", "s-42", "--message", "hi", "--json"]);
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.equal(JSON.parse(explicit.stdout).result.meta.agentMeta.sessionFile, "agent:main:explicit:s-42");

    // A bare /new: reset without a model turn, answered as the reference's agent method answers it.
    const before = upstream.requests.length;
    const reset = await reference(["agent", "--agent", "main", "--message", "/new", "--json"]);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(JSON.parse(reset.stdout).result.payloads[0].text, "✅ New session started.");
    assert.equal(upstream.requests.length, before);
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
