// `usage.cost` and `sessions.usage` over 1,000 sessions of 40 messages, spread over 180 days as a
// gateway used daily leaves them: the methods read only the transcripts of sessions active in the
// asked window, so a month or a day costs a fraction of a year, which reads every transcript.
import { usageMethods } from "../../src/rpc/methods/usage.ts";
import { SessionStore, type TranscriptMessage } from "../../src/sessions/store.ts";
import { payloadOf } from "../support/method_call.ts";
import type { BenchRow } from "./startup_bench.ts";

const SESSIONS = 1000;
const TURNS = 20;
const DAY_MS = 86_400_000;

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function turn(ts: number, t: number): TranscriptMessage[] {
  return [
    { role: "user", content: [{ type: "text", text: "question ".repeat(20) }], timestamp: ts },
    {
      role: "assistant",
      content: [{ type: "text", text: "answer ".repeat(60) }],
      timestamp: ts + 1000,
      provider: "fake",
      model: "m1",
      stopReason: "stop",
      usage: { input: 100 + t, output: 50 },
    },
  ];
}

/** Writes the sessions through the store, each on its own day (the store stamps rows with the clock). */
async function seed(store: SessionStore, now: number): Promise<void> {
  const realNow = Date.now;
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const start = now - (i % 180) * DAY_MS - 3_600_000;
      Date.now = () => start;
      const key = `agent:main:s${i}`;
      await store.ensure(key, "main");
      Date.now = () => start + TURNS * 60_000;
      await store.append(key, "main", Array.from({ length: TURNS }, (_, t) => turn(start + t * 60_000, t)).flat());
    }
  } finally {
    Date.now = realNow;
  }
}

/** Runs the usage benchmarks and returns their rows. */
export async function benchUsage(): Promise<BenchRow[]> {
  const dir = await Deno.makeTempDir({ prefix: "usage-bench-" });
  try {
    const now = Date.now();
    await seed(new SessionStore(dir), now);
    const store = new SessionStore(dir);
    const table = usageMethods({
      rows: async (ids) =>
        (await store.list([...ids])).map(({ agentId, key, sessionId, createdAt, updatedAt }) => ({
          agentId,
          key,
          sessionId,
          createdAt,
          updatedAt,
        })),
      messages: async (row) =>
        (await store.history(row.key, row.agentId)).messages.map((
          { role, timestamp, provider, model, stopReason, usage },
        ) => ({ role, timestamp, provider, model, stopReason, usage })),
      agents: () => ({ ids: ["main"], defaultAgentId: "main" }),
      now: Date.now,
    });
    const today = new Date(now).toISOString().slice(0, 10);
    const cases: [string, string, unknown, number][] = [
      ["usage.cost, 30 days", "usage.cost", { days: 30, mode: "utc" }, 100],
      ["sessions.usage, one day", "sessions.usage", { startDate: today, endDate: today, mode: "utc", limit: 1000 }, 20],
      ["usage.cost, 365 days (every transcript)", "usage.cost", { days: 365, mode: "utc" }, 500],
    ];
    const rows: BenchRow[] = [];
    for (const [label, method, params, targetMs] of cases) {
      await payloadOf(table, method, params);
      const times: number[] = [];
      for (let i = 0; i < 9; i++) {
        const started = performance.now();
        await payloadOf(table, method, params);
        times.push(performance.now() - started);
      }
      const value = p50(times);
      rows.push({
        metric: `${label} over ${SESSIONS} sessions, p50`,
        value: `${value.toFixed(1)} ms`,
        target: `< ${targetMs} ms`,
        met: value < targetMs,
      });
    }
    return rows;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
