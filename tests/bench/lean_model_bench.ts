// The lean chat model against the SDK's, in process (docs/performance.md, "the lean chat model"):
// `deno run -A tests/bench/lean_model_bench.ts [--rounds 8] [--answers 200]`. One fake fetch (no
// network) answers with a 200-chunk stream, one chunk per read. Per model, alternating by round:
// the call → `fetch` time (request built: a 1.6 KB system prompt and 16 tools), the cost per chunk
// (the stream read whole through streamCompletion's loop, less the same loop over a body alone),
// and the end (the body's close → the `finish` part). Medians over rounds; CPU from node:process cpuUsage.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { modelPrompt, modelTools } from "../../src/agent/model_prompt.ts";
import { leanParts, modelPair, sdkParts } from "../support/lean_oracle.ts";
import { cpuUsage } from "node:process";
import { benchArgs } from "./bench_args.ts";

const { option } = benchArgs(Deno.args);
const ROUNDS = Number(option("--rounds", "8"));
const ANSWERS = Number(option("--answers", "200"));
const CHUNKS = 200;
const encoder = new TextEncoder();

const system = "You are a helpful assistant. ".repeat(55);
const tools = Array.from({ length: 16 }, (_, i) => ({
  name: `tool_${i}`,
  description: `Tool number ${i}, which does a thing with a path and some options.`,
  parameters: {
    type: "object",
    properties: { path: { type: "string", description: "A path" }, limit: { type: "number" } },
    required: ["path"],
  },
}));
const call = {
  prompt: modelPrompt([{ role: "system", text: system }, { role: "user", text: "hello" }]),
  tools: modelTools(tools),
};

const chunk = (i: number) =>
  encoder.encode(
    `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764540000,"model":"m1","choices":[{"index":0,"delta":{"content":"word${i} "},"finish_reason":null}]}\n\n`,
  );
const pieces = [
  ...Array.from({ length: CHUNKS }, (_, i) => chunk(i)),
  encoder.encode(
    'data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":200}}\n\ndata: [DONE]\n\n',
  ),
];

/** A fetch stamping when it is called and when its body ends. */
function stampingFetch(stamps: { fetched: number; closed: number }) {
  return (_input: string | URL | Request, _init?: RequestInit) => {
    stamps.fetched = performance.now();
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at < pieces.length) controller.enqueue(pieces[at++]!);
        else {
          stamps.closed = performance.now();
          controller.close();
        }
      },
    });
    return Promise.resolve(new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }));
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(which: "sdk" | "lean") {
  const stamps = { fetched: 0, closed: 0 };
  const { sdk, lean } = modelPair(
    { name: "fake", baseURL: "http://127.0.0.1:9/v1", apiKey: "k" },
    stampingFetch(stamps),
  );
  const toFetch: number[] = [];
  const ends: number[] = [];
  const cpu0 = cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < ANSWERS; i++) {
    const start = performance.now();
    const parts = which === "sdk"
      ? await sdkParts(sdk, call, new AbortController().signal)
      : await leanParts(lean, call, new AbortController().signal);
    const finished = performance.now();
    if (!parts.some((p) => (p as { type: string }).type === "finish")) throw new Error(`${which}: no finish`);
    toFetch.push(stamps.fetched - start);
    ends.push(finished - stamps.closed);
  }
  const wall = (performance.now() - t0) / ANSWERS;
  const cpu = cpuUsage();
  return {
    toFetch: median(toFetch),
    end: median(ends),
    perAnswer: wall,
    cpuPerAnswer: (cpu.user + cpu.system - cpu0.user - cpu0.system) / 1000 / ANSWERS,
  };
}

// The body alone read through a plain reader: what any parser pays for the stream itself.
async function bodyAlone() {
  const stamps = { fetched: 0, closed: 0 };
  const fetch = stampingFetch(stamps);
  const t0 = performance.now();
  for (let i = 0; i < ANSWERS; i++) {
    const reader = (await fetch("x")).body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) { /* drain */ }
  }
  return (performance.now() - t0) / ANSWERS;
}

const rows: Record<string, number[]>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order: ("sdk" | "lean")[] = round % 2 === 0 ? ["sdk", "lean"] : ["lean", "sdk"];
  const row: Record<string, number[]> = {};
  for (const which of order) {
    const m = await measure(which);
    for (const [key, value] of Object.entries(m)) (row[`${which}.${key}`] ??= []).push(value);
  }
  (row["body"] ??= []).push(await bodyAlone());
  rows.push(row);
}
const col = (key: string) => median(rows.map((r) => r[key]![0]!));
const body = col("body");
console.log(
  `load ${
    Deno.loadavg().map((x) => x.toFixed(2)).join(" ")
  }; ${ROUNDS} rounds of ${ANSWERS} answers, ${CHUNKS} chunks each`,
);
console.log(
  "| model | call → fetch (ms) | per chunk beyond the body (µs) | body end → finish (ms) | CPU per answer (ms) |",
);
console.log("| --- | --- | --- | --- | --- |");
for (const which of ["sdk", "lean"]) {
  const perChunk = ((col(`${which}.perAnswer`) - body) / CHUNKS) * 1000;
  console.log(
    `| ${which} | ${col(`${which}.toFetch`).toFixed(3)} | ${perChunk.toFixed(1)} | ${
      col(`${which}.end`).toFixed(3)
    } | ${col(`${which}.cpuPerAnswer`).toFixed(2)} |`,
  );
}
console.log(`body alone: ${(body * 1000 / CHUNKS).toFixed(1)} µs a chunk`);
