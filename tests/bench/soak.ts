// `deno task soak [--minutes N]`: issue 23's steady mixed load (RPC, chat, HTTP streams, reconnects)
// against the gateway as the binary runs it (the bundle), with a fake model on loopback. RSS is read
// from /proc every 10 s; the verdict is whether it stayed within ±20 % of its 5-minute level, with 0
// errors. Not part of `deno task test` or CI: it runs for an hour by default.
import { startChatGateway } from "../support/chat_gateway.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";

const TOKEN = "soak-token-0123456789abcdef0123";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];
const SAMPLE_MS = 10_000;
const BASELINE_END_MS = 5 * 60_000;
const BASELINE_WINDOW_MS = 60_000;
/** Chat turns a session takes before it is reset, so a prompt (and its transcript) stays bounded. */
const TURNS_PER_SESSION = 20;

type Kind = "rpc" | "chat" | "http" | "reconnect";
const KINDS: Kind[] = ["rpc", "chat", "http", "reconnect"];
const LABELS: Record<Kind, string> = {
  rpc: "RPC rounds (health + status + sessions.list), every 250 ms",
  chat: "chat.send turns to their final event, every 1 s",
  http: "/v1/chat/completions streams, every 250 ms",
  reconnect: "connect → health → disconnect, every 500 ms",
};

interface Tally {
  done: Record<Kind, number>;
  errors: Record<Kind | "process", number>;
  firstErrors: string[];
}

function parseMinutes(args: string[]): number {
  const at = args.indexOf("--minutes");
  if (at === -1) return 60;
  const minutes = Number(args[at + 1]);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new Error(`soak: --minutes needs a positive number (got ${args[at + 1]}); e.g. --minutes 2`);
  }
  return minutes;
}

/** VmRSS of a process in MB, from /proc (no child process per sample). */
async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`soak: no VmRSS in /proc/${pid}/status (has the gateway exited?)`);
  return Number(match[1]) / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `step` every `periodMs` (measured start to start) until `running()` is false, counting outcomes. */
async function paced(
  kind: Kind,
  periodMs: number,
  running: () => boolean,
  tally: Tally,
  step: () => Promise<void>,
): Promise<void> {
  while (running()) {
    const started = performance.now();
    try {
      await step();
      tally.done[kind]++;
    } catch (error) {
      tally.errors[kind]++;
      if (tally.firstErrors.length < 10) tally.firstErrors.push(`${kind}: ${String(error)}`);
    }
    const wait = periodMs - (performance.now() - started);
    if (wait > 0 && running()) await new Promise((r) => setTimeout(r, wait));
  }
}

/** Sends one chat turn and waits for its final `chat` event (bounded). */
async function chatTurn(session: ReferenceSession, sessionKey: string, runId: string): Promise<void> {
  await session.request("chat.send", { sessionKey, message: "hello", deliver: false, idempotencyKey: runId });
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const final = session.events.find((e) => {
      const p = e.payload;
      return e.event === "chat" && typeof p === "object" && p !== null && "runId" in p && p.runId === runId &&
        "state" in p && (p.state === "final" || p.state === "error");
    });
    if (final) {
      // Drop what was read so the client's own event list stays small over an hour.
      session.events.length = 0;
      const p = final.payload;
      const state = typeof p === "object" && p !== null && "state" in p ? String(p.state) : "unknown";
      if (state !== "final") throw new Error(`chat run ${runId} ended in state ${state}`);
      return;
    }
    await session.waitForEvent("chat", Math.max(1, deadline - performance.now())).catch(() => {});
    // waitForEvent resolves on an already-seen event too; yield so new frames get in.
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no final chat event for ${runId} within 30 s`);
}

async function streamOnce(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "hi" }] }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok || !text.endsWith("data: [DONE]\n\n")) throw new Error(`stream answered ${res.status}`);
}

function printTable(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of [["figure", "value"], ["-".repeat(width), "---"], ...rows]) {
    // deno-lint-ignore no-console
    console.log(`| ${k!.padEnd(width)} | ${v} |`);
  }
}

async function main(): Promise<number> {
  const minutes = parseMinutes(Deno.args);
  const durationMs = minutes * 60_000;
  const short = durationMs < BASELINE_END_MS;
  const tally: Tally = {
    done: { rpc: 0, chat: 0, http: 0, reconnect: 0 },
    errors: { rpc: 0, chat: 0, http: 0, reconnect: 0, process: 0 },
    firstErrors: [],
  };
  const gateway = await startChatGateway(TOKEN);
  const pid = gateway.proc.child.pid;
  let stopping = false;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    stopping = true;
  };
  Deno.addSignalListener("SIGINT", onSigint);
  const samples: { atMs: number; mb: number }[] = [];
  const persistent: ReferenceSession[] = [];
  const began = performance.now();
  let ranMs = 0;
  const running = () => !stopping && performance.now() - began < durationMs;
  gateway.proc.child.status.then(() => {
    if (!stopping) {
      tally.errors.process++;
      tally.firstErrors.push(`process: the gateway exited during the run`);
      stopping = true;
    }
  });
  try {
    const rpc = await connectReference({ port: gateway.port, token: TOKEN, scopes: SCOPES });
    const chat = await connectReference({ port: gateway.port, token: TOKEN, scopes: SCOPES });
    persistent.push(rpc, chat);
    let turn = 0;
    const sampler = (async () => {
      while (running()) {
        await new Promise((r) =>
          setTimeout(r, Math.min(SAMPLE_MS, Math.max(0, durationMs - (performance.now() - began))))
        );
        if (stopping) break;
        try {
          samples.push({ atMs: performance.now() - began, mb: await rssMb(pid) });
        } catch (error) {
          // Ends the run (the workers see `stopping`) rather than leaving them racing a stopped gateway.
          tally.errors.process++;
          tally.firstErrors.push(`process: ${String(error)}`);
          stopping = true;
        }
        // The fake upstream keeps every request body; keep this process's own memory flat.
        gateway.upstream.requests.length = 0;
        gateway.upstream.streams.length = 0;
      }
    })();
    await Promise.all([
      sampler,
      paced("rpc", 250, running, tally, async () => {
        await rpc.request("health");
        await rpc.request("status");
        await rpc.request("sessions.list", {});
      }),
      paced("chat", 1_000, running, tally, async () => {
        const key = `agent:main:soak-${turn % 4}`;
        if (turn > 0 && turn % (4 * TURNS_PER_SESSION) < 4) await chat.request("sessions.reset", { key });
        await chatTurn(chat, key, `soak-${turn++}`);
      }),
      paced("http", 250, running, tally, () => streamOnce(gateway.port)),
      paced("reconnect", 500, running, tally, async () => {
        const client = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.read"] });
        try {
          await client.request("health");
        } finally {
          client.stop();
        }
      }),
    ]);
    for (const session of persistent) {
      // A persistent client closed or missing events mid-run is an error too.
      tally.errors.rpc += session.closes.length + session.gaps.length;
    }
  } catch (error) {
    tally.errors.process++;
    tally.firstErrors.push(`process: ${String(error)}`);
  } finally {
    ranMs = performance.now() - began;
    stopping = true;
    for (const session of persistent) session.stop();
    await gateway.stop();
    Deno.removeSignalListener("SIGINT", onSigint);
  }

  const windowStart = short ? 0 : BASELINE_END_MS - BASELINE_WINDOW_MS;
  const windowEnd = short ? BASELINE_WINDOW_MS : BASELINE_END_MS;
  const inWindow = samples.filter((s) => s.atMs > windowStart && s.atMs <= windowEnd).map((s) => s.mb);
  const checked = samples.filter((s) => s.atMs > windowEnd).map((s) => s.mb);
  const level = inWindow.length ? median(inWindow) : NaN;
  const all = samples.map((s) => s.mb);
  const within = checked.length > 0 && checked.every((mb) => Math.abs(mb - level) <= level * 0.2);
  const errors = Object.values(tally.errors).reduce((a, b) => a + b, 0);
  const elapsed = ranMs / 60_000;
  const mb = (v: number) => `${v.toFixed(1)} MB`;
  const rows: [string, string][] = [
    [
      "run",
      `${elapsed.toFixed(1)} of ${minutes} min${
        interrupted ? " (interrupted by Ctrl-C)" : ""
      }, ${samples.length} RSS samples every 10 s`,
    ],
    [
      short
        ? "RSS level (run < 5 min: median of the first minute's samples)"
        : "RSS 5-minute level (median of minute 4–5)",
      inWindow.length ? mb(level) : "no samples in the window",
    ],
    ["RSS min / max, whole run", all.length ? `${mb(Math.min(...all))} / ${mb(Math.max(...all))}` : "-"],
    [
      "RSS min / max after the level's window",
      checked.length ? `${mb(Math.min(...checked))} / ${mb(Math.max(...checked))}` : "-",
    ],
    ["within ±20 % of the level", checked.length ? (within ? "yes" : "no") : "no (no samples after the window)"],
    ["errors", `${errors} (${Object.entries(tally.errors).map(([k, v]) => `${k} ${v}`).join(", ")})`],
    ...KINDS.map((k): [string, string] => [`done: ${LABELS[k]}`, String(tally.done[k])]),
    ["met (within ±20 %, 0 errors)", within && errors === 0 ? "yes" : "no"],
  ];
  printTable(rows);
  // deno-lint-ignore no-console
  for (const line of tally.firstErrors) console.log(`  ${line}`);
  if (short) {
    // deno-lint-ignore no-console
    console.log("note: a run shorter than 5 minutes has no 5-minute level; the first minute's samples stand in.");
  }
  return within && errors === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
