// A run caught after a tool call, on our gateway: the scripted model reads notes.txt with `read`, then streams half
// its answer and holds. `chat.history` answers its `inFlightRun` with the run's progress `events` as the reference's
// does (recorded: tests/fixtures/inflight/reference_inflight_tools.json, tools/record_reference_inflight_tools.ts),
// and the reference's own Control UI (headless Chromium) loaded then shows the tool's row and the text so far, as it
// does against the reference; once the run goes on, the answer and the one tool row, nothing twice.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { INFLIGHT_TOOL_SCRIPT, type InFlightUiCounts, inFlightUiCounts } from "../support/inflight_tools.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer, uiLink } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-ui-in-flight-tools-token-0123456789";
const KEY = "agent:main:main";

type Event = { seq: number; stream: string; data: Record<string, unknown> };
type Snapshot = { runId: string; text: string; startedAt?: number; events?: Event[] };
type Answer = { payload: { inFlightRun?: Snapshot } };
const RECORDING = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/inflight/reference_inflight_tools.json", import.meta.url)),
) as { tools: { full: Answer; small: Answer; ui: { midRun: InFlightUiCounts; after: InFlightUiCounts } } };

/**
 * The events as far as both gateways send the same: each one's stream, phase and call, and a tool event's data
 * whole. The reference's `preamble` item (the text before a call, shown as its own item) is left out: this
 * gateway keeps that text in the answer (docs/compatibility.md).
 */
function comparable(events: Event[] | undefined) {
  return (events ?? []).filter((e) => e.data.kind !== "preamble").map((e) => ({
    stream: e.stream,
    phase: e.data.phase ?? null,
    toolCallId: e.data.toolCallId ?? null,
    ...(e.stream === "tool" ? { data: { ...e.data, result: (e.data.result as { content?: unknown })?.content } } : {}),
  }));
}

Deno.test("a run caught after a tool call: inFlightRun's events as the reference's, and its Control UI shows the call once", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const script = INFLIGHT_TOOL_SCRIPT();
  upstream.script("tooldrip", script.steps);
  const server = await startReferenceUiServer();
  const port = freePort();
  const workspace = await Deno.makeTempDir({ prefix: "oc-inflight-tools-ws-" });
  await Deno.writeTextFile(`${workspace}/notes.txt`, "remember the milk\n");
  const config = clientTestConfig({
    port,
    token: TOKEN,
    upstreamUrl: upstream.url,
    uiOrigin: server.origin,
    model: "tooldrip",
  }) as { agents: { defaults: Record<string, unknown> } };
  config.agents.defaults.workspace = workspace;
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const client = await connectReference({ port, token: TOKEN });
  try {
    await client.request("chat.send", { sessionKey: KEY, message: "Read notes.txt", idempotencyKey: "run-tools" });
    const showing = (text: string) =>
      client.events.some((e) => {
        const p = e.payload as { runId?: string; state?: string; message?: { content: { text: string }[] } };
        return e.event === "chat" && p.runId === "run-tools" && p.state === "delta" &&
          (p.message?.content[0]?.text ?? "").endsWith(text);
      });
    await until(() => showing(script.heldText), "the held half of the answer");

    const full = await client.request<Answer["payload"]>("chat.history", { sessionKey: KEY });
    const recorded = RECORDING.tools.full.payload.inFlightRun!;
    const run = full.inFlightRun!;
    assert.equal(run.runId, "run-tools");
    assert.ok(run.text.endsWith(recorded.text), `the text so far: ${JSON.stringify(run.text)}`);
    assert.deepEqual(comparable(run.events), comparable(recorded.events), JSON.stringify(run.events));
    assert.deepEqual(
      Object.keys(run.events![0]!).sort(),
      Object.keys(recorded.events![0]!).sort(),
      "each event with the reference's fields",
    );
    const seqs = run.events!.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "oldest first");
    // With 1 KiB for messages and run together, the reference keeps the id, an empty events list and the start.
    const small = await client.request<Answer["payload"]>("chat.history", { sessionKey: KEY, maxBytes: 1024 });
    const recordedSmall = RECORDING.tools.small.payload.inFlightRun!;
    assert.deepEqual(Object.keys(small.inFlightRun!), Object.keys(recordedSmall));
    assert.deepEqual(small.inFlightRun!.events, recordedSmall.events);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(uiLink(server, "/chat/main", port, TOKEN));
    await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 30_000 });
    await page.getByText(script.heldText).first().waitFor({ timeout: 30_000 });
    await page.locator(".chat-tool-row").first().waitFor({ timeout: 30_000 });
    const midRun = await inFlightUiCounts(page, script);
    const expectedMid = RECORDING.tools.ui.midRun;
    // The run's usage so far reaches the page only through the snapshot's usage event: "3 output tokens".
    const seen = ({ toolRows, runningRows, outputTokens, toolRowTexts, heldText }: InFlightUiCounts) => ({
      toolRows,
      runningRows,
      outputTokens,
      toolRowTexts,
      heldText,
    });
    assert.deepEqual(
      seen(midRun),
      seen(expectedMid),
      "the tool's row, the usage and the text so far, as against the reference",
    );
    assert.ok(midRun.preamble >= 1, "the text before the call shows");

    script.release(0);
    await page.getByText(script.answer).first().waitFor({ timeout: 30_000 });
    await until(
      () => client.events.some((e) => e.event === "chat" && (e.payload as { state?: string }).state === "final"),
      "the run's end",
    );
    const after = await inFlightUiCounts(page, script);
    const expectedAfter = RECORDING.tools.ui.after;
    assert.deepEqual(
      { ...seen(after), answer: after.answer, preamble: after.preamble },
      { ...seen(expectedAfter), answer: expectedAfter.answer, preamble: expectedAfter.preamble },
      "once the run went on: one tool row, the answer and the text before the call once, as against the reference",
    );
    const done = await client.request<Answer["payload"]>("chat.history", { sessionKey: KEY });
    assert.equal(done.inFlightRun, undefined, "a finished run is not in flight");
  } finally {
    script.release(0);
    script.release(1);
    client.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
});
