// Records what the reference OpenClaw 2026.9.6 gateway answers to `sessions.abort` (the Stop button
// of its Control UI when the page holds no run id of its own) and to `cron.list` with the 9.6 fields
// `sessionKey`/`sessionAgentId` (its cron page scoped to one session). The fake model "stall" keeps
// a chat run open until it is stopped. Writes tests/fixtures/sessions_abort/reference_sessions_abort.json
// and tests/fixtures/reference_cron/session_scoped_list.json. With `--main-key NAME` it records instead what the
// gateway answers when `session.mainKey` is NAME: `sessions.abort` by `main`, by NAME and by their agent keys, idle and
// with a run in flight, into tests/fixtures/sessions_abort/reference_main_key.json.
//
//   deno run -A tools/record_reference_sessions_abort.ts [--port 19611] [--main-key work]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~20-60 s to start.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import type { ReferenceSession } from "../tests/support/reference_client.ts";
import { clientTestConfig } from "../tests/support/reference_gateway.ts";
import { withRecordedSession } from "../tests/support/recorded_session.ts";

const TOKEN = "record-sessions-abort-token-0123456789";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** A request's answer or its error frame, as data. */
async function answer(session: ReferenceSession, method: string, params: unknown): Promise<Record<string, unknown>> {
  try {
    return { ok: true, payload: await session.request(method, params) };
  } catch (error) {
    const e = error as { message?: string; gatewayCode?: string; code?: string; details?: unknown };
    return { ok: false, error: { code: e.gatewayCode ?? e.code, message: e.message, details: e.details } };
  }
}

/**
 * The run's events since index `from`, reduced to what a stop changes: the `chat` events, the agent
 * lifecycle, and each `sessions.changed` by its key, reason or phase (its session row left out).
 */
export function eventsSince(events: readonly { event: string; payload: unknown }[], from: number) {
  const kept = [];
  for (const { event, payload } of events.slice(from)) {
    const p = payload as Record<string, unknown>;
    if (event === "chat" || (event === "agent" && p.stream === "lifecycle")) kept.push({ event, payload });
    if (event !== "sessions.changed" || !p.sessionKey) continue;
    const { sessionKey, agentId, reason, phase, runId } = p;
    kept.push({ event, payload: { sessionKey, agentId, reason, phase, runId } });
  }
  return kept;
}

/** Waits until an event matching `pick` arrived after index `from`. */
async function waitFor(
  session: ReferenceSession,
  from: number,
  pick: (e: { event: string; payload: unknown }) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!session.events.slice(from).some(pick)) {
    if (Date.now() > deadline) throw new Error("event did not arrive");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lifecycle = (phase: string) => (e: { event: string; payload: unknown }) =>
  e.event === "agent" && (e.payload as { stream?: string; data?: { phase?: string } }).stream === "lifecycle" &&
  (e.payload as { data: { phase?: string } }).data.phase === phase;

/** Starts a stalled chat run on `key`, stops it with `abortParams`, and keeps the answer and the events. */
async function stopRun(
  session: ReferenceSession,
  key: string,
  runId: string,
  abortParams: Record<string, unknown>,
  startTimeoutMs = 30_000,
) {
  const from = session.events.length;
  const sent = await answer(session, "chat.send", { sessionKey: key, message: "Talk slowly", idempotencyKey: runId });
  // A run that never starts (its chat.send refused, or queued behind another) is recorded as it went.
  const started = await waitFor(session, from, lifecycle("start"), startTimeoutMs).then(() => true, () => false);
  const stopped = await answer(session, "sessions.abort", abortParams);
  await waitFor(session, from, (e) => e.event === "chat" && (e.payload as { state?: string }).state === "aborted")
    .catch(() => {});
  await new Promise((r) => setTimeout(r, 1500));
  return { sent, started, params: abortParams, answer: stopped, events: eventsSince(session.events, from) };
}

async function recordAbort(session: ReferenceSession) {
  await answer(session, "sessions.subscribe", {});
  const idle = [
    {},
    { key: "agent:main:main" },
    { key: "main" },
    { runId: "no-such-run" },
    { key: "agent:main:main", runId: "no-such-run" },
    { key: "agent:ghost:main" },
    { key: "agent:main:main", agentId: "other" },
    { key: "agent:main:main", clearQueued: true },
    { key: "" },
    { key: "agent:main:main", extra: 1 },
  ];
  const answers = [];
  for (const params of idle) answers.push({ params, answer: await answer(session, "sessions.abort", params) });
  const running = [
    await stopRun(session, "agent:main:stop-a", "run-a", { key: "agent:main:stop-a" }),
    await stopRun(session, "agent:main:stop-b", "run-b", { key: "agent:main:stop-b", runId: "run-b" }),
    await stopRun(session, "agent:main:stop-c", "run-c", { runId: "run-c" }),
    await stopRun(session, "agent:main:main", "run-d", { key: "main", agentId: "main", clearQueued: true }),
    await stopRun(session, "agent:main:stop-e", "run-e", { key: "agent:main:stop-other", runId: "run-e" }),
  ];
  // The run of the last case, if it survived: stopped so the gateway stops cleanly.
  await answer(session, "chat.abort", { sessionKey: "agent:main:stop-e" });
  return { idle: answers, running };
}

/** `sessions.abort` by the main alias, the configured main key and their agent keys, with `session.mainKey` set. */
async function recordMainKey(session: ReferenceSession, mainKey: string) {
  await answer(session, "sessions.subscribe", {});
  const keys = ["main", mainKey, mainKey.toUpperCase(), "agent:main:main", `agent:main:${mainKey}`];
  const idle = [];
  for (const key of keys) idle.push({ params: { key }, answer: await answer(session, "sessions.abort", { key }) });
  idle.push({
    params: { key: mainKey, agentId: "main" },
    answer: await answer(session, "sessions.abort", { key: mainKey, agentId: "main" }),
  });
  // A run of the reference takes 15-30 s to start on a loaded machine (its tool catalog and lanes).
  const slow = 60_000;
  const running = [
    await stopRun(session, "main", "run-m1", { key: "main" }, slow),
    await stopRun(session, `agent:main:${mainKey}`, "run-m2", { key: "main" }, slow),
    await stopRun(session, `agent:main:${mainKey}`, "run-m3", { key: mainKey }, slow),
    await stopRun(session, "agent:main:main", "run-m4", { key: "main" }, slow),
    await stopRun(session, `agent:main:${mainKey}`, "run-m5", { key: "agent:main:main" }, slow),
    await stopRun(session, "main", "run-m6", { key: `agent:main:${mainKey}`, runId: "run-m6" }, slow),
  ];
  for (const key of ["main", `agent:main:${mainKey}`, "agent:main:main"]) {
    await answer(session, "chat.abort", { sessionKey: key });
  }
  return { mainKey, idle, running };
}

async function recordCron(session: ReferenceSession) {
  const every = { kind: "every", everyMs: 3_600_000 };
  const jobs = [
    { name: "main-job", schedule: every, sessionTarget: "main", payload: { kind: "systemEvent", text: "tick" } },
    { name: "isolated-job", schedule: every, sessionTarget: "isolated", payload: { kind: "agentTurn", message: "hi" } },
    {
      name: "bound-job",
      schedule: every,
      sessionTarget: "session:agent:main:project-x",
      payload: { kind: "agentTurn", message: "hi" },
    },
    {
      name: "keyed-job",
      schedule: every,
      sessionTarget: "isolated",
      sessionKey: "agent:main:chat-y",
      payload: { kind: "agentTurn", message: "hi" },
    },
    {
      name: "bare-bound-job",
      schedule: every,
      sessionTarget: "session:project-z",
      payload: { kind: "agentTurn", message: "hi" },
    },
  ];
  const added = [];
  for (const job of jobs) added.push({ params: job, answer: await answer(session, "cron.add", job) });
  const ids = added.map((a) => (a.answer.payload as { id?: string } | undefined)?.id);
  const lists = [
    { sessionKey: "agent:main:main" },
    { sessionKey: "main" },
    { sessionKey: "agent:main:project-x" },
    { sessionKey: "agent:main:chat-y" },
    { sessionKey: "agent:main:project-z" },
    { sessionKey: "project-z" },
    { sessionKey: "project-z", sessionAgentId: "main" },
    { sessionKey: "project-z", sessionAgentId: "other" },
    { sessionKey: "agent:main:project-x", sessionAgentId: "other" },
    { sessionKey: `agent:main:cron:${ids[1]}` },
    { sessionKey: "agent:main:nothing" },
    { sessionAgentId: "main" },
    { sessionKey: "" },
  ];
  const listed = [];
  for (const params of lists) {
    const got = await answer(session, "cron.list", { ...params, includeDeliveryPreviews: false });
    const names = got.ok ? (got.payload as { jobs: { name: string }[] }).jobs.map((j) => j.name) : undefined;
    listed.push({ params, ...(names ? { names, total: (got.payload as { total: number }).total } : { answer: got }) });
  }
  return {
    jobs: added.map((a) => ({
      params: a.params,
      ok: a.answer.ok,
      ...(a.answer.ok ? {} : { error: a.answer.error }),
      sessionTarget: (a.answer.payload as { sessionTarget?: string } | undefined)?.sessionTarget,
      sessionKey: (a.answer.payload as { sessionKey?: string } | undefined)?.sessionKey,
    })),
    lists: listed,
  };
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19611;
  const mainKeyFlag = Deno.args.indexOf("--main-key");
  const mainKey = mainKeyFlag >= 0 ? Deno.args[mainKeyFlag + 1] : undefined;
  const upstream = startFakeUpstream();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "stall" });
  if (mainKey) config.session = { mainKey };
  const root = "/tmp/record-sessions-abort";
  try {
    await withRecordedSession("ref", { root, port, config, token: TOKEN }, async (session) => {
      say("reference gateway ready");
      if (mainKey) {
        const recorded = `OpenClaw 2026.9.6 gateway with session.mainKey "${mainKey}" and the fake model 'stall', ` +
          "through @openclaw/gateway-client (cli, operator.read/write/admin), by " +
          `tools/record_reference_sessions_abort.ts --main-key ${mainKey}`;
        const out = new URL("../tests/fixtures/sessions_abort/reference_main_key.json", import.meta.url);
        // What hello-ok tells clients of the main session under this config.
        const sessionDefaults = (session.hello.snapshot as { sessionDefaults?: unknown } | undefined)?.sessionDefaults;
        const scenario = await recordMainKey(session, mainKey);
        await Deno.writeTextFile(out, JSON.stringify({ recorded, sessionDefaults, ...scenario }, null, 2) + "\n");
        say(`wrote ${out.pathname}`);
        return;
      }
      const methods = (session.hello.features as { methods?: string[] } | undefined)?.methods ?? [];
      const abort = await recordAbort(session);
      say("sessions.abort recorded");
      const cron = await recordCron(session);
      say("cron.list recorded");
      const recorded = "OpenClaw 2026.9.6 gateway with the fake model 'stall', through @openclaw/gateway-client " +
        "(cli, operator.read/write/admin), by tools/record_reference_sessions_abort.ts";
      const abortOut = new URL("../tests/fixtures/sessions_abort/reference_sessions_abort.json", import.meta.url);
      await Deno.mkdir(new URL(".", abortOut), { recursive: true });
      await Deno.writeTextFile(
        abortOut,
        JSON.stringify({ recorded, advertised: methods.includes("sessions.abort"), ...abort }, null, 2) + "\n",
      );
      const cronOut = new URL("../tests/fixtures/reference_cron/session_scoped_list.json", import.meta.url);
      await Deno.writeTextFile(cronOut, JSON.stringify({ recorded, ...cron }, null, 2) + "\n");
      say(`wrote ${abortOut.pathname} and ${cronOut.pathname}`);
    });
  } finally {
    await upstream.stop();
  }
}

if (import.meta.main) await main();
