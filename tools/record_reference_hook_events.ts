// Re-records tests/fixtures/hook_events/reference_events.jsonl: what a workspace hook subscribed to the
// `message`, `session` and `command` families receives from the reference OpenClaw 2026.9.6 when a Gateway
// client (client id `cli`, admin scopes) talks to `agent:main:main` over chat.send with the fake model, patches
// the session, compacts it and starts a new one. The hook (recorder_HOOK.md.txt + recorder_handler.js.txt)
// pushes a reply on every command and session event, so the chat frames show which replies are delivered.
//
// With `--scenario resets` it records the Gateway resets instead, into reference_resets_events.jsonl and
// reference_resets_steps.json: a bare `/new` through `agent`, sessions.create succeeding the session with and without
// `emitCommandHooks`, and chat.send `stop` (a spoken stop word).
//
//   deno run -A tools/record_reference_hook_events.ts [--port 19561] [--scenario resets]
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { clientTestConfig, startReferenceGateway } from "../tests/support/reference_gateway.ts";

const TOKEN = "reference-hook-events-token-0123456789";
const KEY = "agent:main:main";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19561;
  const scenarioFlag = Deno.args.indexOf("--scenario");
  const resets = scenarioFlag >= 0 && Deno.args[scenarioFlag + 1] === "resets";
  const fixtures = new URL("../tests/fixtures/hook_events/", import.meta.url);
  const root = await Deno.makeTempDir({ prefix: "oc-ref-hookevents-" });
  const upstream = startFakeUpstream();
  const workspace = `${root}/ws`;
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url });
  (config.agents as Record<string, Record<string, unknown>>).defaults!.workspace = workspace;
  config.hooks = { internal: { enabled: true, entries: { recorder: { enabled: true, env: { REC_FLAG: "on" } } } } };
  await Deno.mkdir(`${workspace}/hooks/recorder`, { recursive: true });
  await Deno.copyFile(new URL("recorder_HOOK.md.txt", fixtures), `${workspace}/hooks/recorder/HOOK.md`);
  await Deno.copyFile(new URL("recorder_handler.js.txt", fixtures), `${workspace}/hooks/recorder/handler.js`);
  const ref = await startReferenceGateway({ root: `${root}/gw`, port, config });
  const eventsPath = `${ref.where.home}/hook-events.jsonl`;
  const steps: { step: string; answer?: unknown; error?: string; chat?: unknown[] }[] = [];
  try {
    await ref.proc.waitForLine(/loaded \d+ internal hook handler/, 60_000);
    const ui = await connectReference({
      port,
      token: TOKEN,
      mode: "cli",
      clientName: "cli",
      scopes: ["operator.read", "operator.write", "operator.admin"],
    });
    const finalOf = (runId: string) =>
      ui.events.some((e) => {
        const p = e.payload as { runId?: string; state?: string };
        return e.event === "chat" && p.runId === runId && (p.state === "final" || p.state === "error");
      });
    const settle = async (runId?: string) => {
      const until = Date.now() + 60_000;
      while (runId && !finalOf(runId) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      await new Promise((resolve) => setTimeout(resolve, 1500));
    };
    const step = async (name: string, method: string, params: Record<string, unknown>) => {
      const before = ui.events.length;
      say(name);
      const runId = typeof params.idempotencyKey === "string" ? params.idempotencyKey : undefined;
      try {
        const answer = await ui.request(method, params, { timeoutMs: 120_000 });
        await settle(runId);
        steps.push({ step: name, answer: brief(answer), chat: chatTexts(ui.events.slice(before)) });
      } catch (error) {
        await settle();
        steps.push({ step: name, error: String(error), chat: chatTexts(ui.events.slice(before)) });
      }
    };
    const send = (message: string, id: string) =>
      step(`chat.send ${message}`, "chat.send", { sessionKey: KEY, message, idempotencyKey: id });
    if (resets) {
      await send("hello there", "r-1");
      await step("agent /new", "agent", { sessionKey: KEY, message: "/new", idempotencyKey: "a-1" });
      await send("second hello", "r-2");
      await step("sessions.create emitCommandHooks", "sessions.create", {
        parentSessionKey: KEY,
        emitCommandHooks: true,
      });
      await step("sessions.create parent only", "sessions.create", { parentSessionKey: KEY });
      await step("sessions.create missing parent", "sessions.create", {
        parentSessionKey: "agent:main:nobody",
        emitCommandHooks: true,
      });
      await send("stop", "r-3");
      ui.stop();
      const events = await Deno.readTextFile(eventsPath).catch(() => "");
      await Deno.writeTextFile(new URL("reference_resets_events.jsonl", fixtures), events.replaceAll(root, "<root>"));
      await Deno.writeTextFile(
        new URL("reference_resets_steps.json", fixtures),
        JSON.stringify(steps, null, 2).replaceAll(root, "<root>") + "\n",
      );
      say(`recorded ${events.split("\n").filter(Boolean).length} events`);
      return;
    }
    await send("hello there", "r-1");
    await step("sessions.patch label", "sessions.patch", { key: KEY, label: "recorded" });
    await step("sessions.patch model", "sessions.patch", { key: KEY, model: "fake/m1" });
    await send("/model fake/m1", "r-2");
    await send("/model fake/m1", "r-3");
    for (let i = 0; i < 6; i++) await send(`tell me fact number ${i} about otters ${"and more ".repeat(40)}`, `f-${i}`);
    await step("sessions.compact", "sessions.compact", { key: KEY });
    await send("/compact", "r-4");
    await send("/new", "r-5");
    await send("/reset", "r-6");
    await send("/stop", "r-7");
    await step("sessions.reset", "sessions.reset", { key: KEY });
    ui.stop();
    const events = await Deno.readTextFile(eventsPath).catch(() => "");
    await Deno.writeTextFile(new URL("reference_events.jsonl", fixtures), events.replaceAll(root, "<root>"));
    await Deno.writeTextFile(
      new URL("reference_steps.json", fixtures),
      JSON.stringify(steps, null, 2).replaceAll(root, "<root>") + "\n",
    );
    const hookLines = ref.proc.output.split("\n").filter((l) => /hook/i.test(l)).map((l) => l.replace(/^\S+\s/, ""));
    await Deno.writeTextFile(new URL("reference_hook_log_lines.txt", fixtures), hookLines.join("\n") + "\n");
    say(`recorded ${events.split("\n").filter(Boolean).length} events`);
  } catch (error) {
    say(ref.proc.output.slice(-4000));
    throw error;
  } finally {
    await ref.stop();
    await upstream.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** An RPC answer without the session entry's bulk (its keys only). */
function brief(answer: unknown): unknown {
  if (!answer || typeof answer !== "object") return answer;
  const { entry, ...rest } = answer as Record<string, unknown>;
  return entry && typeof entry === "object" ? { ...rest, entryKeys: Object.keys(entry).sort() } : rest;
}

/** The chat frames' state and text, in order. */
function chatTexts(events: { event: string; payload: unknown }[]): unknown[] {
  return events.filter((e) => e.event === "chat").map((e) => {
    const p = e.payload as { runId?: string; state?: string; message?: { content?: { text?: string }[] } };
    return { runId: p.runId, state: p.state, text: p.message?.content?.map((c) => c.text).join("") };
  });
}

if (import.meta.main) await main();
