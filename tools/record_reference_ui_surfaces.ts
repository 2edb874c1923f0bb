// Records what the reference's own Control UI shows and exchanges against the reference OpenClaw 2026.9.6
// gateway (or ours, `ours`) on three surfaces: a session's cron view (the session's row `hasAutomation`,
// its link, `cron.list` with `sessionKey`/`sessionAgentId`), a run that hits its deadline (the chat error,
// the row's end, the page's text), and an idle reset (the history after it, the page's text). Writes
// tests/fixtures/reference_ui_surfaces/<target>.json, and screenshots and page texts to /tmp/uicron/<target>.
//
//   deno run -A tools/record_reference_ui_surfaces.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh) and Debian's chromium.
// The idle reset needs the seeded session a minute old: the run waits for that (about 70 s in all).
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { startReferenceUiServer, uiLink } from "../tests/support/reference_ui_server.ts";
import { recordGatewayFrames } from "../tests/support/reference_ui_visit.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";
import { until } from "../tests/support/until.ts";
import { FrameLog } from "../tests/support/ws_frame_log.ts";

const target = Deno.args[0] ?? "ref";

/** A chat event's `state`. */
function stateOf(payload: unknown): string {
  return String((payload as { state?: unknown } | undefined)?.state);
}

type Frames = import("../tests/support/ws_frame_log.ts").FrameLog;

/** The facts the tests hold our gateway to, by section, from the frames and the page texts. */
async function writeFacts(name: string, frames: Frames): Promise<void> {
  const pick = (o: unknown, keys: string[]) =>
    Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown> | undefined)?.[k] ?? null]));
  const text = (file: string) => Deno.readTextFile(`${OUT}/${file}.txt`).catch(() => "");
  const listRows = frames.requests.filter((r) => r.method === "sessions.list" && r.answer?.ok).at(0);
  const rows = ((listRows?.answer?.payload as { sessions?: unknown[] } | undefined)?.sessions ?? [])
    .map((row) => pick(row, ["key", "hasAutomation"]));
  const scoped = frames.requests.find((r) =>
    r.method === "cron.list" && (r.params as { sessionKey?: string }).sessionKey
  );
  const chatError = frames.events.find((e) =>
    e.section === "deadline" && e.event === "chat" && (e.payload as { state?: string }).state === "error"
  );
  const ended = frames.events.filter((e) => e.section === "deadline" && e.event === "sessions.changed")
    .map((e) => pick(e.payload, ["phase", "reason", "status", "hasActiveRun", "abortedLastRun", "lastRunError"]));
  const resetHistory = frames.requests.filter((r) =>
    r.section === "reset" && r.method === "chat.history" && r.answer?.ok
  )
    .map((r) =>
      (r.answer!.payload as {
        messages?: {
          role?: string;
          message?: { role?: string; __openclaw?: { kind?: string } };
          __openclaw?: { kind?: string };
        }[];
      }).messages ?? []
    )
    .filter((m) => m.length > 0).at(-1);
  const facts = {
    recorded: `the reference Control UI (OpenClaw 2026.9.6 dist/control-ui) against the ${
      name === "ref" ? "reference" : "our"
    } gateway, by tools/record_reference_ui_surfaces.ts`,
    cron: {
      resolve: frames.requests.filter((r) => r.method === "sessions.resolve").map((r) => ({
        params: r.params,
        answer: r.answer?.ok ? r.answer.payload : r.answer?.error,
      })).at(0),
      rows,
      scopedList: scoped &&
        {
          params: pick(scoped.params, ["sessionKey", "sessionAgentId"]),
          names: ((scoped.answer?.payload as { jobs?: { name: string }[] })?.jobs ?? []).map((j) => j.name),
        },
      pageText: (await text("2-automations-session")).split("\n").filter((l) =>
        /Automations attached|Project X digest/.test(l)
      ),
    },
    deadline: {
      chatError: chatError && pick(chatError.payload, ["state", "errorKind", "errorMessage"]),
      sessionsChanged: ended,
      pageText: (await text("3b-deadline-after-3s")).split("\n").filter((l) => /^Error:|Interrupted|Done in/.test(l)),
    },
    reset: {
      historyKinds: (resetHistory ?? []).map((m) =>
        m.message?.__openclaw?.kind ?? m.__openclaw?.kind ?? m.message?.role ?? m.role
      ),
      pageTextAfterReload: (await text("4c-stale-reloaded")).split("\n").filter((l) =>
        /SESSION RESET|earlier conversation|old days|hello after idle/.test(l)
      ),
    },
  };
  const out = new URL(`../tests/fixtures/reference_ui_surfaces/${name}.json`, import.meta.url);
  await Deno.mkdir(new URL(".", out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
}
const OUT = `/tmp/uicron/${target}`;
await Deno.mkdir(OUT, { recursive: true });
const TOKEN = "explore-uicron-token-0123456789abcdef";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}
const upstream = startFakeUpstream();
const server = await startReferenceUiServer();
const port = freePort();
const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin });
// Model "stall" (never answers) for the deadline's session; a 4 s deadline; idle resets after a minute.
const fake = (config.models as { providers: { fake: { models: { id: string; name: string }[] } } }).providers.fake;
fake.models.push({ id: "stall", name: "stall" });
(config.agents as { defaults: Record<string, unknown> }).defaults.timeoutSeconds = 4;
config.session = { reset: { mode: "idle", idleMinutes: 1 } };
const gateway = await startRecordedGateway(target, { root: "/tmp/uicron/refgw", port, config });
say("gateway up");
const client = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
const { browser, stop } = await launchBrowser();
const log = new FrameLog();
const dump = async (page: import("playwright-core").Page, name: string) => {
  await page.screenshot({ path: `${OUT}/${name}.png` }).catch(() => {});
  await Deno.writeTextFile(`${OUT}/${name}.txt`, await page.locator("body").innerText().catch(() => ""));
};
const finalOf = (id: string) =>
  until(
    () =>
      client.events.some((e) =>
        e.event === "chat" && (e.payload as { runId?: string }).runId === id &&
        ["final", "error"].includes(stateOf(e.payload))
      ),
    id,
    60_000,
  );
try {
  const t0 = Date.now();
  await client.request("chat.send", {
    sessionKey: "agent:main:stale",
    message: "remember the old days",
    idempotencyKey: "seed-stale",
  });
  await finalOf("seed-stale");
  await client.request("chat.send", {
    sessionKey: "agent:main:project-x",
    message: "project x kickoff",
    idempotencyKey: "seed-px",
  });
  await finalOf("seed-px");
  await client.request("chat.send", { sessionKey: "agent:main:slow", message: "warm up", idempotencyKey: "seed-slow" });
  await finalOf("seed-slow");
  say(
    "patch " +
      JSON.stringify(
        await client.request("sessions.patch", { key: "agent:main:slow", model: "fake/stall" }).catch((e) => String(e)),
      ).slice(0, 300),
  );
  const added = await client.request("cron.add", {
    name: "Project X digest",
    schedule: { kind: "every", everyMs: 3600000 },
    sessionTarget: "session:agent:main:project-x",
    payload: { kind: "agentTurn", message: "digest" },
  });
  say("cron.add " + JSON.stringify(added).slice(0, 200));
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  recordGatewayFrames(page, port, log);
  await page.route((url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost", (r) => r.abort());
  log.enter("cron");
  await page.goto(uiLink(server, "/chat/main/project-x", port, TOKEN));
  await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 30_000 });
  await page.getByRole("textbox", { name: "Chat composer" }).waitFor({ timeout: 30_000 }).catch((e) =>
    say("no composer " + e.message.split("\n")[0])
  );
  await until(() => log.unanswered === 0, "settled", 30_000).catch(() => {});
  await dump(page, "1-chat-project-x");
  await Deno.writeTextFile(`${OUT}/frames-early.json`, JSON.stringify({ requests: log.requests }, null, 1));
  await Deno.writeTextFile(
    `${OUT}/sidebar.html`,
    await page.evaluate(
      `(() => { const out=[]; const walk=(r)=>{ for (const el of r.querySelectorAll('*')) { if (el.shadowRoot) walk(el.shadowRoot); if ((el.textContent||'').includes('project') && el.children.length<3) out.push(el.outerHTML.slice(0,400)); } }; walk(document); return out.join('\\n----\\n'); })()`,
    ),
  );
  const list = log.requests.filter((r) => r.method === "sessions.list");
  await Deno.writeTextFile(
    `${OUT}/sessions_list.json`,
    JSON.stringify(list.map((r) => ({ params: r.params, answer: r.answer })), null, 1),
  );
  // The hovercard link, if it is there.
  await page.evaluate(
    `history.pushState(null, "", "/automations?session=agent%3Amain%3Aproject-x&agent=main"); dispatchEvent(new PopStateEvent("popstate"));`,
  );
  await page.getByText("Project X digest").first().waitFor({ timeout: 15_000 }).catch((e) =>
    say("no job shown: " + e.message.split("\n")[0])
  );
  await until(() => log.unanswered === 0, "settled", 30_000).catch(() => {});
  await dump(page, "2-automations-session");

  log.enter("deadline");
  await page.evaluate(`history.pushState(null, "", "/chat/main/slow"); dispatchEvent(new PopStateEvent("popstate"));`);
  const composer = page.getByRole("textbox", { name: "Chat composer" });
  await composer.waitFor({ timeout: 15_000 });
  await until(() => log.unanswered === 0, "settled", 30_000).catch(() => {});
  await composer.fill("think forever");
  await composer.press("Enter");
  await until(
    () => log.events.some((e) => e.section === "deadline" && e.event === "chat" && stateOf(e.payload) === "error"),
    "chat error",
    60_000,
  ).catch((e) => say(String(e)));
  await dump(page, "3a-deadline-just-after");
  await page.waitForTimeout(3000);
  await dump(page, "3b-deadline-after-3s");
  say(
    "send button: " + await page.getByRole("button", { name: /send/i }).count() + " stop: " +
      await page.getByRole("button", { name: "Stop generating" }).count(),
  );
  say(
    "chat.send params " + JSON.stringify(
      log.requests.filter((r) => r.section === "deadline" && r.method === "chat.send").map((r) => [r.params, r.answer]),
    ),
  );

  log.enter("reset");
  const wait = t0 + 65_000 - Date.now();
  if (wait > 0) {
    say(`waiting ${wait} ms for idleness`);
    await new Promise((r) => setTimeout(r, wait));
  }
  await page.evaluate(`history.pushState(null, "", "/chat/main/stale"); dispatchEvent(new PopStateEvent("popstate"));`);
  await composer.waitFor({ timeout: 15_000 });
  await until(() => log.unanswered === 0, "settled", 30_000).catch(() => {});
  await page.waitForTimeout(1500);
  await dump(page, "4a-stale-before");
  await composer.fill("hello after idle");
  await composer.press("Enter");
  await until(
    () =>
      log.events.some((e) =>
        e.section === "reset" && e.event === "chat" && ["final", "error"].includes(stateOf(e.payload))
      ),
    "final",
    60_000,
  ).catch((e) => say(String(e)));
  await until(() => log.unanswered === 0, "settled", 30_000).catch(() => {});
  await page.waitForTimeout(2000);
  await dump(page, "4b-stale-after");
  const hist = await client.request("chat.history", { sessionKey: "agent:main:stale" });
  await Deno.writeTextFile(`${OUT}/stale_history.json`, JSON.stringify(hist, null, 1));
  await page.reload();
  await composer.waitFor({ timeout: 30_000 }).catch(() => {});
  await page.waitForTimeout(3000);
  await dump(page, "4c-stale-reloaded");
  await writeFacts(target, log);
  await Deno.writeTextFile(
    `${OUT}/frames.json`,
    JSON.stringify(
      {
        requests: log.requests,
        events: log.events.filter((e) => e.event !== "tick" && e.event !== "health"),
      },
      null,
      1,
    ),
  );
} finally {
  client.stop();
  await stop();
  await gateway.stop();
  await server.stop();
  await upstream.stop();
}
say("done");
