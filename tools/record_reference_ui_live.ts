// Records what the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) tells a subscribed client on
// three surfaces its Control UI keeps live: the events a cron job bound to a session causes when it is
// added, rebound, disabled and removed (and the session rows' `hasAutomation` after each), the row of a
// run that ended without an answer (timeout, failure, abort: `status`, `lastRunError`), and `chat.history`
// after an idle reset (which messages, which markers); and what the reference's own Control UI shows for
// the ended runs' sessions opened afresh (the run's error is then read from the row). Writes
// tests/fixtures/reference_ui_live/<target>.json.
//
//   deno run -A tools/record_reference_ui_live.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh) and Debian's chromium. The idle reset needs the
// seeded session a minute old: the run waits for that (about 70 s in all).
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { openUiPage } from "../tests/support/reference_ui_page.ts";
import { startReferenceUiServer } from "../tests/support/reference_ui_server.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";
import { until } from "../tests/support/until.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-ui-live-token-0123456789abcdef";
const QUIET = new Set(["tick", "health", "presence", "heartbeat"]);

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const upstream = startFakeUpstream();
const server = await startReferenceUiServer();
const port = freePort();
const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin });
const fake = (config.models as { providers: { fake: { models: { id: string; name: string }[] } } }).providers.fake;
fake.models.push({ id: "stall", name: "stall" }, { id: "fail", name: "fail" });
(config.agents as { defaults: Record<string, unknown> }).defaults.timeoutSeconds = 4;
config.session = { reset: { mode: "idle", idleMinutes: 1 } };
const gateway = await startRecordedGateway(target, { root: "/tmp/uilive/refgw", port, config });
say("gateway up");
const client = await connectReference({
  port,
  token: TOKEN,
  mode: "cli",
  clientName: "cli",
  scopes: ["operator.read", "operator.write", "operator.admin"],
});
const stateOf = (p: unknown) => String((p as { state?: unknown } | undefined)?.state);
const endOf = (id: string) =>
  until(
    () =>
      client.events.some((e) =>
        e.event === "chat" && (e.payload as { runId?: string }).runId === id &&
        ["final", "error", "aborted"].includes(stateOf(e.payload))
      ),
    id,
    60_000,
  );
/** The fields of an event that tell what happened (the rest is the row snapshot, recorded elsewhere). */
const EVENT_FIELDS = ["sessionKey", "reason", "phase", "action", "state", "hasAutomation", "status", "lastRunError"];
/** The events (but ticks, health, agent streams and chat deltas) that arrive within `ms` of `act`, in short. */
async function eventsOf(act: () => Promise<unknown>, ms = 1500): Promise<Record<string, unknown>[]> {
  const from = client.events.length;
  await act();
  await new Promise((r) => setTimeout(r, ms));
  return client.events.slice(from).filter((e) =>
    !QUIET.has(e.event) && e.event !== "agent" && !(e.event === "chat" && stateOf(e.payload) === "delta")
  ).map((e) => {
    const p = e.payload as Record<string, unknown>;
    return { event: e.event, ...Object.fromEntries(EVENT_FIELDS.filter((k) => k in p).map((k) => [k, p[k]])) };
  });
}
/** A history message in short: its role, marker, text, and how it ended. */
function shortMessage(m: Record<string, unknown>): Record<string, unknown> {
  const content = m.content;
  const text = typeof content === "string"
    ? content
    : Array.isArray(content)
    ? content.map((c) => (c as { text?: string }).text ?? "").join("")
    : "";
  return Object.fromEntries(
    Object.entries({
      role: m.role,
      kind: (m.__openclaw as { kind?: string } | undefined)?.kind,
      text,
      stopReason: m.stopReason,
      errorMessage: m.errorMessage,
    }).filter(([, v]) => v !== undefined),
  );
}
/** `hasAutomation` of the listed rows, by key. */
async function automation(): Promise<Record<string, unknown>> {
  const list = await client.request<{ sessions: { key: string; hasAutomation?: unknown }[] }>("sessions.list", {});
  return Object.fromEntries(list.sessions.map((s) => [s.key, s.hasAutomation ?? null]));
}
/** The run fields of a listed row. */
async function rowOf(key: string): Promise<Record<string, unknown>> {
  const list = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
  const row = list.sessions.find((s) => s.key === key) ?? {};
  return Object.fromEntries(
    ["status", "lastRunError", "abortedLastRun", "hasActiveRun"].map((k) => [k, row[k] ?? null]),
  );
}
const facts: Record<string, unknown> = {
  recorded: `the ${target === "ref" ? "reference" : "our"} gateway, by tools/record_reference_ui_live.ts`,
};
try {
  const t0 = Date.now();
  for (const [key, id] of [["stale", "seed-stale"], ["project-x", "seed-px"], ["other", "seed-other"]]) {
    await client.request("chat.send", {
      sessionKey: `agent:main:${key}`,
      message: `${key} kickoff`,
      idempotencyKey: id,
    });
    await endOf(id!);
  }
  await client.request("sessions.subscribe", {});
  await until(async () => (await client.request<{ enabled: boolean }>("cron.status", {})).enabled, "cron", 30_000);
  let jobId = "";
  const added = await eventsOf(async () => {
    const job = await client.request<{ id: string }>("cron.add", {
      name: "Project X digest",
      schedule: { kind: "every", everyMs: 3600000 },
      sessionTarget: "session:agent:main:project-x",
      payload: { kind: "agentTurn", message: "digest" },
    });
    jobId = job.id;
  });
  const afterAdd = await automation();
  const rebound = await eventsOf(() =>
    client.request("cron.update", { id: jobId, patch: { sessionTarget: "session:agent:main:other" } })
  );
  const afterRebind = await automation();
  const disabled = await eventsOf(() => client.request("cron.update", { id: jobId, patch: { enabled: false } }));
  const afterDisable = await automation();
  const enabled = await eventsOf(() => client.request("cron.update", { id: jobId, patch: { enabled: true } }));
  const removed = await eventsOf(() => client.request("cron.remove", { id: jobId }));
  const afterRemove = await automation();
  facts.cron = {
    added,
    afterAdd,
    rebound,
    afterRebind,
    disabled,
    afterDisable,
    enabled,
    removed,
    afterRemove,
  };
  say("cron done");

  const runs: Record<string, unknown> = {};
  for (const [name, model] of [["timeout", "stall"], ["failed", "fail"], ["killed", "stall"]] as const) {
    const key = `agent:main:${name}`;
    await client.request("sessions.patch", { key, model: `fake/${model}` }).catch(async () => {
      await client.request("chat.send", { sessionKey: key, message: "warm up", idempotencyKey: `warm-${name}` });
      await endOf(`warm-${name}`);
      await client.request("sessions.patch", { key, model: `fake/${model}` });
    });
    const id = `run-${name}`;
    const events = await eventsOf(async () => {
      await client.request("chat.send", { sessionKey: key, message: `go ${name}`, idempotencyKey: id });
      if (name === "killed") {
        await new Promise((r) => setTimeout(r, 800));
        await client.request("chat.abort", { sessionKey: key, runId: id });
      }
      await endOf(id);
    }, 1000);
    runs[name] = {
      chat: events.filter((e) => e.event === "chat" && e.sessionKey === key && e.state !== "status").at(-1),
      sessionsChanged: events.filter((e) => e.event === "sessions.changed" && e.sessionKey === key),
      row: await rowOf(key),
      history: (await client.request<{ messages: Record<string, unknown>[] }>("chat.history", { sessionKey: key }))
        .messages.slice(-2).map(shortMessage),
    };
  }
  facts.runs = runs;
  say("runs done");
  // Each ended run's session opened afresh in the reference UI: what the page says of the run.
  const { browser, stop } = await launchBrowser();
  try {
    const pages: Record<string, string[]> = {};
    for (const name of ["timeout", "failed", "killed"]) {
      const opened = await openUiPage(browser, {
        server,
        gatewayPort: port,
        token: TOKEN,
        route: `/chat/main/${name}`,
      });
      await opened.page.getByText(`go ${name}`).first().waitFor({ timeout: 30_000 }).catch(() => {});
      await opened.settled().catch(() => {});
      await opened.page.waitForTimeout(2000);
      const text = await opened.page.locator("body").innerText();
      pages[name] = text.split("\n").filter((l) => /error|timed out|failed|interrupted|stopped|aborted/i.test(l));
      await opened.page.close();
    }
    facts.reopened = pages;
  } finally {
    await stop();
  }

  const wait = t0 + 65_000 - Date.now();
  if (wait > 0) {
    say(`waiting ${wait} ms for idleness`);
    await new Promise((r) => setTimeout(r, wait));
  }
  const before = await client.request<Record<string, unknown>>("chat.history", { sessionKey: "agent:main:stale" });
  const reset = await eventsOf(async () => {
    await client.request("chat.send", {
      sessionKey: "agent:main:stale",
      message: "hello after idle",
      idempotencyKey: "after-idle",
    });
    await endOf("after-idle");
  });
  const after = await client.request<Record<string, unknown>>("chat.history", { sessionKey: "agent:main:stale" });
  const startup = await client.request<Record<string, unknown>>("chat.startup", { sessionKey: "agent:main:stale" })
    .catch((e) => String(e));
  facts.reset = {
    sessionIdBefore: before.sessionId ?? null,
    sessionIdAfter: after.sessionId ?? null,
    events: reset.filter((e) => e.state !== "status"),
    history: (after.messages as Record<string, unknown>[]).map(shortMessage),
    resetMarker: (after.messages as Record<string, unknown>[]).find((m) =>
      (m.__openclaw as { kind?: string } | undefined)?.kind === "reset"
    ),
    startupMessages: typeof startup === "string"
      ? startup
      : (startup.messages as Record<string, unknown>[] | undefined)?.map(shortMessage) ?? Object.keys(startup),
  };
  const out = new URL(`../tests/fixtures/reference_ui_live/${target}.json`, import.meta.url);
  await Deno.mkdir(new URL(".", out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
} finally {
  client.stop();
  await gateway.stop();
  await server.stop();
  await upstream.stop();
}
say("done");
