import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunOutcome, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { type OpenAiDeps, openAiRoutes } from "../../src/http/openai.ts";
import { responsesRoutes } from "../../src/http/responses.ts";

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** One scripted run: deltas each in a turn of their own (or several in one), then its outcome. */
function scriptedRoutes(
  script: { deltas: string[][]; outcome: Partial<RunOutcome>; beforeTurn?: (turn: number) => Promise<unknown> },
) {
  const deps: OpenAiDeps = {
    enabled: () => ({ chatCompletions: true, responses: true }),
    authorize: () => ({ ok: true }),
    agents: () => agentsFromConfig({}, "/nonexistent", "/home/test"),
    startRun: (request: RunRequest): StartResult => {
      const done = (async (): Promise<RunOutcome> => {
        for (const [index, turn] of script.deltas.entries()) {
          await (script.beforeTurn?.(index) ?? nextTurn());
          for (const delta of turn) request.onDelta?.(delta);
        }
        return {
          runId: request.idempotencyKey,
          status: "ok",
          text: script.deltas.flat().join(""),
          stopReason: "stop",
          error: undefined,
          upstreamStatus: undefined,
          usage: { input: 3, output: 2 },
          provider: "fake",
          model: "m1",
          sessionId: null,
          startedAt: 0,
          endedAt: 0,
          ...script.outcome,
        };
      })();
      return { kind: "accepted", runId: request.idempotencyKey, acceptedAt: 0, done };
    },
    abortRun: () => {},
    embed: () => Promise.reject(new Error("not used")),
  };
  return { chat: openAiRoutes(deps), responses: responsesRoutes(deps) };
}

/** The body with the run id and the clock masked. */
async function streamed(app: ReturnType<typeof openAiRoutes>, path: string, body: unknown): Promise<string> {
  const response = await app.request(path, { method: "POST", body: JSON.stringify(body) }, {
    remoteAddr: "127.0.0.1",
  });
  assert.equal(response.status, 200);
  return (await response.text())
    .replaceAll(/(chatcmpl|resp|msg)_[0-9a-f-]{36}/g, "$1_ID")
    .replaceAll(/"(created|created_at)":\d+/g, '"$1":0');
}

/** Each scenario: the API, its body, the run's deltas by turn and its outcome. */
const SCENARIOS: Record<string, { path: string; body: unknown; deltas: string[][]; outcome: Partial<RunOutcome> }> = {
  "chat plain": { path: "/v1/chat/completions", body: CHAT_BODY(), deltas: [["Hel"], ["lo"]], outcome: {} },
  // A tool step's text, then the answer's: two deltas landing in one turn.
  "chat steps": {
    path: "/v1/chat/completions",
    body: CHAT_BODY(),
    deltas: [["Let me look."], ["\n\n", "Found"]],
    outcome: {},
  },
  "chat usage": {
    path: "/v1/chat/completions",
    body: { ...CHAT_BODY(), "stream_options": { "include_usage": true } },
    deltas: [["Hel"], ["lo"]],
    outcome: { stopReason: "length" },
  },
  "chat error": {
    path: "/v1/chat/completions",
    body: CHAT_BODY(),
    deltas: [["Hel"]],
    outcome: { status: "error", error: "upstream said no" },
  },
  "responses plain": { path: "/v1/responses", body: RESPONSES_BODY(), deltas: [["Hel"], ["lo"]], outcome: {} },
  "responses steps": { path: "/v1/responses", body: RESPONSES_BODY(), deltas: [["A."], ["\n\n", "B"]], outcome: {} },
  "responses error": {
    path: "/v1/responses",
    body: RESPONSES_BODY(),
    deltas: [["Hel"]],
    outcome: { status: "error", error: "upstream said no" },
  },
};

function CHAT_BODY() {
  return { stream: true, messages: [{ role: "user", content: "x" }] };
}

function RESPONSES_BODY() {
  return { stream: true, model: "openclaw", input: "x" };
}

Deno.test("chat completions and responses streams: plain, multi-step, usage and error bodies as the writer before", async () => {
  // sse_writer_bodies.json holds the bodies the one-enqueue-per-event writer (c7f6fac) gave.
  const expected = JSON.parse(await Deno.readTextFile(new URL("./sse_writer_bodies.json", import.meta.url)));
  const got: Record<string, string> = {};
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const routes = scriptedRoutes(scenario);
    got[name] = await streamed(
      scenario.path === "/v1/responses" ? routes.responses : routes.chat,
      scenario.path,
      scenario.body,
    );
  }
  assert.deepEqual(got, expected);
});

Deno.test("chat completions stream: events of one turn go out as one piece; a delta is not held for the next", async () => {
  // The run writes its next delta only once the client has read the previous one as a piece of its own.
  const decoder = new TextDecoder();
  const seen: string[] = [];
  const box: { reader?: ReadableStreamDefaultReader<Uint8Array> } = {};
  const readPiece = async () => {
    const { value, done } = await box.reader!.read();
    if (!done) seen.push(decoder.decode(value));
  };
  let opened!: () => void;
  const ready = new Promise<void>((resolve) => opened = resolve);
  let firstRead!: () => void;
  const firstDeltaRead = new Promise<void>((resolve) => firstRead = resolve);
  const { chat } = scriptedRoutes({
    deltas: [["Hel"], ["lo"]],
    outcome: {},
    beforeTurn: async (turn) => {
      if (turn === 0) return await ready;
      await readPiece(); // the first delta, alone
      firstRead();
    },
  });
  const response = await chat.request("/v1/chat/completions", { method: "POST", body: JSON.stringify(CHAT_BODY()) }, {
    remoteAddr: "127.0.0.1",
  });
  const reader = box.reader = response.body!.getReader();
  await readPiece(); // the role event
  opened();
  await firstDeltaRead;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen.push(decoder.decode(value));
  }
  assert.equal(seen.length, 4, seen.join("|"));
  assert.match(seen[0]!, /"role":"assistant"/);
  assert.match(seen[1]!, /^data: [^\n]*"content":"Hel"[^\n]*\n\n$/);
  assert.match(seen[2]!, /^data: [^\n]*"content":"lo"[^\n]*\n\n$/);
  // The finish event and [DONE], written in one turn, share one piece (one socket write).
  assert.match(seen[3]!, /^data: [^\n]*"finish_reason":"stop"[^\n]*\n\ndata: \[DONE\]\n\n$/);
});
