import assert from "node:assert/strict";
import { serialSlot } from "../../src/http/serial_slot.ts";
import { pdfSaying } from "../support/pdf_fixture.ts";
import { chatApiApp } from "../support/chat_api_app.ts";

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
    const { post } = chatApiApp({ endpoints: { responses: { files: { timeoutMs: 60_000 } } } });
    const body = {
      model: "openclaw",
      input: [{
        type: "message",
        role: "user",
        content: [{
          type: "input_file",
          source: { type: "base64", media_type: "application/pdf", data: pdfSaying("Hello"), filename: "t.pdf" },
        }],
      }],
    };
    const responses = await Promise.all([1, 2, 3].map(() => post("/v1/responses", body)));
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    assert.equal(most, 1);
    assert.equal(alive, 0);
  } finally {
    globalThis.Worker = RealWorker;
  }
});
