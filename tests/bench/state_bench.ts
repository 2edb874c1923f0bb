// The state store at scale (issue 19): chat.history of a 10,000-message session and sessions.list over
// 10,000 sessions, answered by a real gateway process from the agent database; and the gateway's start
// with that state against its start on an empty state dir.
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { connectRequest } from "../support/raw_socket.ts";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { untilAccepting } from "./accepting.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";
const SESSIONS = 10_000;
const MESSAGES = 10_000;
const CALLS = 40;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function message(i: number): TranscriptMessage {
  return i % 2 === 0
    ? { role: "user", content: [{ type: "text", text: `question ${i}: how does the store scale?` }], timestamp: i }
    : {
      role: "assistant",
      content: [{ type: "text", text: `answer ${i}: one indexed query per request, whatever the size.` }],
      timestamp: i,
      provider: "fake",
      model: "m1",
      stopReason: "stop",
      usage: { input: 10, output: 12 },
    };
}

/** Writes 10,000 sessions of two messages and one session of 10,000 messages into the main agent's database. */
function writeState(stateDir: string): void {
  const sessions = new AgentSessions(openAgentDb(stateDir, "main"), "main");
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const at = 1_700_000_000_000 + i * 1000;
      const entry = { key: `agent:main:bench-${i}`, sessionId: crypto.randomUUID(), createdAt: at, updatedAt: at };
      sessions.importSession(entry, [message(0), message(1)]);
    }
    const at = Date.now();
    const long = { key: "agent:main:main", sessionId: crypto.randomUUID(), createdAt: at, updatedAt: at };
    sessions.importSession(long, Array.from({ length: MESSAGES }, (_, i) => message(i)));
  } finally {
    sessions.close();
  }
}

async function rssMb(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim()) / 1024;
}

/** Starts the gateway on a home; returns the process, its port and start → accepting connections. */
async function start(home: string) {
  const port = freePort();
  const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port)], { home });
  const ms = await untilAccepting(port, proc.spawnedAt, () => `gateway did not listen:\n${proc.output}`);
  return { proc, port, ms };
}

/** A connected operator client that sends requests one at a time. */
function connect(port: number): Promise<{ call(method: string, params: unknown): Promise<unknown>; close(): void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    let pending: ((frame: { ok: boolean; payload: unknown; error: unknown }) => void) | undefined;
    let next = 0;
    ws.onerror = () => reject(new Error("socket error"));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") {
        const client = { id: "gateway-client", version: "bench", platform: "linux", mode: "backend" };
        ws.send(JSON.stringify(connectRequest({ token: TOKEN, scopes: ["operator.read"], client }, "c")));
      } else if (frame.type === "res" && frame.id === "c") {
        if (!frame.ok) return reject(new Error(JSON.stringify(frame.error)));
        resolve({
          call: (method, params) =>
            new Promise((done, fail) => {
              pending = (res) => res.ok ? done(res.payload) : fail(new Error(JSON.stringify(res.error)));
              ws.send(JSON.stringify({ type: "req", id: `r${next++}`, method, params }));
            }),
          close: () => ws.close(),
        });
      } else if (frame.type === "res") pending?.(frame);
    };
  });
}

async function timed(call: () => Promise<unknown>): Promise<{ first: number; p50: number }> {
  const times: number[] = [];
  for (let i = 0; i <= CALLS; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return { first: times[0]!, p50: percentile(times.slice(1), 50) };
}

/** Runs the state benchmarks and returns their rows. */
export async function benchState(runs = 15): Promise<BenchRow[]> {
  const config = { gateway: { mode: "local", auth: { token: TOKEN } } };
  const empty = await tempHome(config);
  const full = await tempHome(config);
  try {
    const built = performance.now();
    writeState(full.stateDir);
    const buildMs = performance.now() - built;
    // Paired starts, the order alternating within each pair: on a shared machine the load drifts
    // between runs, and the median of the paired differences cancels most of that drift.
    const emptyStarts: number[] = [];
    const fullStarts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0
        ? [[empty, emptyStarts], [full, fullStarts]] as const
        : [[full, fullStarts], [empty, emptyStarts]] as const;
      for (const [home, times] of order) {
        const { proc, ms } = await start(home.home);
        times.push(ms);
        await proc.stop();
      }
    }
    const differences = fullStarts.map((ms, i) => ms - emptyStarts[i]!);
    const { proc, port } = await start(full.home);
    // Idle as after any start: the session counts for health are read 100 ms after readiness with no client.
    await new Promise((r) => setTimeout(r, 2000));
    const idleRss = await rssMb(proc.child.pid);
    const client = await connect(port);
    let history: { first: number; p50: number };
    let list: { first: number; p50: number };
    let count = 0;
    let servedRss = 0;
    try {
      list = await timed(async () => {
        count = ((await client.call("sessions.list", {})) as { totalCount: number }).totalCount;
      });
      history = await timed(() => client.call("chat.history", { sessionKey: "agent:main:main" }));
      servedRss = await rssMb(proc.child.pid);
    } finally {
      client.close();
      await proc.stop();
    }
    if (count !== SESSIONS + 1) throw new Error(`sessions.list counted ${count}, expected ${SESSIONS + 1}`);
    const emptyP50 = percentile(emptyStarts, 50);
    const fullP50 = percentile(fullStarts, 50);
    const difference = percentile(differences, 50);
    return [
      {
        metric: `chat.history, ${MESSAGES.toLocaleString("en")}-message session (p50; first call)`,
        value: `${history.p50.toFixed(1)} ms; ${history.first.toFixed(1)} ms`,
        target: "< 20 ms",
        met: history.p50 < 20,
      },
      {
        metric: `sessions.list over ${SESSIONS.toLocaleString("en")} sessions (p50; first call)`,
        value: `${list.p50.toFixed(1)} ms; ${list.first.toFixed(1)} ms`,
        target: "< 20 ms",
        met: list.p50 < 20,
      },
      {
        metric: "start with that state − start on an empty state dir (median of paired differences)",
        value: `${difference.toFixed(0)} ms (p50 ${fullP50.toFixed(0)} vs ${emptyP50.toFixed(0)} ms)`,
        target: "< 20 ms",
        met: difference < 20,
      },
      {
        metric: "RSS 2 s after start with that state; after serving those calls",
        value: `${idleRss.toFixed(1)} MB; ${servedRss.toFixed(1)} MB`,
        target: "(reported)",
        met: true,
      },
      {
        metric: "writing that state (10,001 transactions)",
        value: `${buildMs.toFixed(0)} ms`,
        target: "(reported)",
        met: true,
      },
    ];
  } finally {
    await empty.cleanup();
    await full.cleanup();
  }
}
