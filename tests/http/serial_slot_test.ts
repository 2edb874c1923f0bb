import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunOutcome, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { resolveHttpMedia } from "../../src/config/resolve_http_media.ts";
import { responsesRoutes } from "../../src/http/responses.ts";
import { serialSlot } from "../../src/http/serial_slot.ts";
import { pdfSaying } from "../support/pdf_fixture.ts";

const never = () => new AbortController().signal;

Deno.test("serial slot: one task at a time, in call order; a failed task frees the slot", async () => {
  const slot = serialSlot();
  const log: string[] = [];
  let running = 0;
  const task = (name: string, fail = false) => async () => {
    assert.equal(++running, 1, "never two at once");
    log.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push(`end ${name}`);
    running--;
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([
    slot(never(), task("a")),
    slot(never(), task("b", true)),
    slot(never(), task("c")),
  ]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.deepEqual(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
});

Deno.test("serial slot: a caller whose signal fires while waiting leaves at once and never runs", async () => {
  const slot = serialSlot();
  const { promise: hold, resolve: release } = Promise.withResolvers<void>();
  const first = slot(never(), () => hold);
  const waiting = new AbortController();
  let ran = false;
  const second = slot(waiting.signal, () => Promise.resolve(void (ran = true)));
  const third = slot(never(), () => Promise.resolve("third"));
  waiting.abort(new Error("client gone"));
  await assert.rejects(second, /client gone/);
  release();
  await first;
  assert.equal(await third, "third");
  assert.equal(ran, false);
});

Deno.test("/v1/responses reads concurrent PDFs one worker at a time (each can take 2 GB of WebAssembly memory)", async () => {
  const RealWorker = globalThis.Worker;
  let alive = 0;
  let most = 0;
  class CountedWorker extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      most = Math.max(most, ++alive);
    }
    override terminate() {
      alive--;
      super.terminate();
    }
  }
  globalThis.Worker = CountedWorker;
  try {
    const routes = responsesRoutes({
      enabled: () => ({ chatCompletions: false, responses: true }),
      authorize: () => ({ ok: true }),
      agents: () => agentsFromConfig({}, "/nonexistent"),
      media: () =>
        resolveHttpMedia({ gateway: { http: { endpoints: { responses: { files: { timeoutMs: 60_000 } } } } } }),
      startRun: (request: RunRequest): StartResult => ({
        kind: "accepted",
        runId: request.idempotencyKey,
        acceptedAt: 0,
        done: Promise.resolve<RunOutcome>({
          runId: request.idempotencyKey,
          status: "ok",
          text: "ok",
          stopReason: "stop",
          error: undefined,
          upstreamStatus: undefined,
          usage: { input: 1, output: 1 },
          provider: "fake",
          model: "m1",
          sessionId: null,
          startedAt: 0,
          endedAt: 0,
        }),
      }),
      abortRun: () => {},
      embed: () => Promise.reject(new Error("not used")),
    });
    const body = JSON.stringify({
      model: "openclaw",
      input: [{
        type: "message",
        role: "user",
        content: [{
          type: "input_file",
          source: { type: "base64", media_type: "application/pdf", data: pdfSaying("Hello"), filename: "t.pdf" },
        }],
      }],
    });
    const responses = await Promise.all(
      [1, 2, 3].map(() => routes.request("/v1/responses", { method: "POST", body }, { remoteAddr: "127.0.0.1" })),
    );
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    assert.equal(most, 1);
    assert.equal(alive, 0);
  } finally {
    globalThis.Worker = RealWorker;
  }
});
