import assert from "node:assert/strict";
import { StepWriter } from "../../src/agent/step_writer.ts";
import type { TranscriptMessage } from "../../src/sessions/store.ts";
import { until } from "../support/until.ts";

const message = (text: string): TranscriptMessage => ({
  role: "assistant",
  content: [{ type: "text", text }],
  timestamp: 1,
});
const texts = (batch: TranscriptMessage[]) => batch.map((m) => (m.content[0] as { text: string }).text);

Deno.test("StepWriter: quick steps share a commit, the answer's commit takes the rest", async () => {
  const commits: string[][] = [];
  const writer = new StepWriter((batch) => Promise.resolve(void commits.push(texts(batch))), 60_000);
  writer.add(message("a"));
  await writer.stepEnded();
  writer.add(message("b"));
  await writer.stepEnded();
  assert.deepEqual(commits, [], "nothing written within the interval");
  assert.deepEqual(texts(await writer.take()), ["a", "b"]);
  assert.deepEqual(await writer.take(), []);
});

Deno.test("StepWriter: a step waiting for company is written within the interval (before a long tool ends)", async () => {
  const commits: string[][] = [];
  let committedAt = 0;
  const writer = new StepWriter((batch) => {
    commits.push(texts(batch));
    committedAt = Date.now();
    return Promise.resolve();
  }, 30);
  writer.add(message("a"));
  await writer.stepEnded();
  await until(() => commits.length === 1, "the deferred step's commit");
  assert.deepEqual(commits, [["a"]]);
  // Once the interval since that commit has passed, the next step's end writes at once.
  await until(() => Date.now() - committedAt >= 30, "the interval since the last commit");
  writer.add(message("b"));
  await writer.stepEnded();
  assert.deepEqual(commits, [["a"], ["b"]]);
});

Deno.test("StepWriter: flush writes what is left; a failed background write surfaces at the next step", async () => {
  let fail = true;
  const commits: string[][] = [];
  const writer = new StepWriter((batch) => {
    if (fail) return Promise.reject(new Error("disk full"));
    commits.push(texts(batch));
    return Promise.resolve();
  }, 20);
  writer.add(message("a"));
  await writer.stepEnded();
  let failed: unknown;
  await until(async () => {
    try {
      await writer.stepEnded();
      return false;
    } catch (error) {
      failed = error;
      return true;
    }
  }, "the failed write to surface");
  assert.match(String(failed), /disk full/);
  fail = false;
  writer.add(message("b"));
  await writer.flush();
  assert.deepEqual(commits, [["b"]]);
});

Deno.test("StepWriter: a step's calls are written at once, with the results still pending before them", async () => {
  const commits: string[][] = [];
  const writer = new StepWriter((batch) => Promise.resolve(void commits.push(texts(batch))), 60_000);
  await writer.writeCalls(message("call 1"));
  assert.deepEqual(commits, [["call 1"]]);
  writer.add(message("result 1"));
  await writer.stepEnded();
  await writer.writeCalls(message("call 2"));
  assert.deepEqual(commits, [["call 1"], ["result 1", "call 2"]]);
});
