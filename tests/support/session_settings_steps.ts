// The per-session settings steps tools/record_reference_session_settings.ts records against the reference and the
// integration test replays against ours, through the reference client: `sessions.patch` with each setting the
// reference TUI's slash commands and the Control UI send (valid values and their aliases, null, invalid values),
// what `sessions.list`, `sessions.describe`, `chat.history` and the stored entry then say, and the reply of a run
// with a usage footer asked for; and a Telegram DM's replies with a usage footer asked for and with sending denied.
import { DatabaseSync } from "node:sqlite";
import type { ReferenceSession } from "./reference_client.ts";
import { runEnded } from "./read_state_steps.ts";
import { until } from "./until.ts";
import type { FakeUpstream } from "./fake_upstream.ts";
import { clientTestConfig } from "./reference_gateway.ts";

/** The session the steps patch. */
export const SETTINGS_KEY = "agent:main:settings";

/** The reference answers its first list slowly on a loaded machine (its model catalog loads then). */
const SLOW = { timeoutMs: 90_000 };

/** The settings recorded, with the values patched: accepted ones (aliases too), then refused ones. */
export const SETTING_CASES: Record<string, { valid: string[]; invalid: unknown[] }> = {
  verboseLevel: { valid: ["on", "full", "off", "YES", "minimal"], invalid: ["loud", 5] },
  responseUsage: { valid: ["tokens", "full", "on", "off", "session"], invalid: ["lots", 5] },
  reasoningLevel: { valid: ["on", "stream", "off", "show", "live"], invalid: ["maybe", 5] },
  sendPolicy: { valid: ["allow", "deny", "DENY"], invalid: ["never", 5] },
  groupActivation: { valid: ["mention", "always", "Always"], invalid: ["sometimes", 5] },
};

/** The settings a session view carries, and the reference's derived one. */
const VIEW_FIELDS = [...Object.keys(SETTING_CASES), "effectiveResponseUsage"];

/** The settings fields an object carries (present ones, null kept). */
export function settingsOf(from: Record<string, unknown> | undefined): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const field of VIEW_FIELDS) if (from && field in from && from[field] !== undefined) facts[field] = from[field];
  return facts;
}

/** What a request answered: the answer's `entry` settings, or the error's message. */
async function outcome(
  client: ReferenceSession,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  try {
    const answer = await client.request<{ entry?: Record<string, unknown> }>("sessions.patch", params, SLOW);
    return { ok: true, entry: settingsOf(answer.entry) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** The text of a chat event's or history message's content. */
function textOf(message: unknown): string | undefined {
  const content = (message as { content?: unknown } | undefined)?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  return content.map((c) => (c as { text?: string }).text ?? "").join("");
}

/** The stored entry's settings fields. */
function stored(stateDir: string): Record<string, unknown> {
  const db = new DatabaseSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`, { readOnly: true });
  try {
    const row = db.prepare("SELECT entry_json FROM session_nodes WHERE session_key = ?").get(SETTINGS_KEY) as
      | { entry_json: string }
      | undefined;
    return row ? settingsOf(JSON.parse(row.entry_json)) : {};
  } finally {
    db.close();
  }
}

/** What the session's views say of its settings now. */
async function views(client: ReferenceSession): Promise<Record<string, unknown>> {
  const list = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {}, SLOW);
  const described = await client.request<{ session: Record<string, unknown> | null }>("sessions.describe", {
    key: SETTINGS_KEY,
  }, SLOW);
  const history = await client.request<{ sessionInfo?: Record<string, unknown> }>("chat.history", {
    sessionKey: SETTINGS_KEY,
    limit: 10,
  }, SLOW);
  return {
    list: settingsOf(list.sessions.find((s) => s.key === SETTINGS_KEY)),
    describe: settingsOf(described.session ?? undefined),
    history: settingsOf(history.sessionInfo),
  };
}

/** A run on the session: its final chat event's text and the transcript's last assistant text. */
async function reply(client: ReferenceSession, id: string): Promise<Record<string, unknown>> {
  try {
    await client.request(
      "chat.send",
      { sessionKey: SETTINGS_KEY, message: `say hello (${id})`, idempotencyKey: id },
      SLOW,
    );
  } catch (error) {
    return { error: (error as Error).message };
  }
  await runEnded(client, id);
  const final = client.events.find((e) =>
    e.event === "chat" && (e.payload as { runId?: string }).runId === id &&
    (e.payload as { state?: string }).state === "final"
  );
  const history = await client.request<{ messages: Record<string, unknown>[] }>("chat.history", {
    sessionKey: SETTINGS_KEY,
    limit: 10,
  }, SLOW);
  const last = history.messages.findLast((m) => m.role === "assistant");
  return {
    final: textOf((final?.payload as { message?: unknown } | undefined)?.message) ?? null,
    history: textOf(last) ?? null,
  };
}

/** Runs the steps and answers what each showed. */
export async function settingsSteps(client: ReferenceSession, stateDir: string): Promise<Record<string, unknown>> {
  const facts: Record<string, unknown> = {};
  // The session exists (a run made it) before it is patched, as a TUI's or Control UI's session does.
  facts.firstRun = await reply(client, "settings-warm");
  facts.fresh = await views(client);
  const patches: Record<string, unknown> = {};
  for (const [field, { valid, invalid }] of Object.entries(SETTING_CASES)) {
    const steps: Record<string, unknown>[] = [];
    for (const value of valid) steps.push({ value, ...await outcome(client, { key: SETTINGS_KEY, [field]: value }) });
    steps.push({ value: null, ...await outcome(client, { key: SETTINGS_KEY, [field]: null }) });
    for (const value of invalid) steps.push({ value, ...await outcome(client, { key: SETTINGS_KEY, [field]: value }) });
    patches[field] = steps;
  }
  facts.patches = patches;
  facts.refusedStill = {
    fastMode: await outcome(client, { key: SETTINGS_KEY, fastMode: true }),
    elevatedLevel: await outcome(client, { key: SETTINGS_KEY, elevatedLevel: "on" }),
  };
  // Every setting at once, as the views then report them.
  facts.allSet = await outcome(client, {
    key: SETTINGS_KEY,
    verboseLevel: "full",
    responseUsage: "tokens",
    reasoningLevel: "on",
    groupActivation: "always",
  });
  facts.viewsSet = await views(client);
  facts.storedSet = stored(stateDir);
  facts.tokensRun = await reply(client, "settings-tokens");
  await outcome(client, { key: SETTINGS_KEY, responseUsage: "full" });
  facts.fullRun = await reply(client, "settings-full");
  await outcome(client, { key: SETTINGS_KEY, responseUsage: "off", sendPolicy: "deny" });
  facts.denyRun = await reply(client, "settings-deny");
  facts.reset = await client.request("sessions.reset", { key: SETTINGS_KEY }, SLOW).then(() => true, (e) => String(e));
  facts.viewsAfterReset = await views(client);
  facts.storedAfterReset = stored(stateDir);
  await outcome(client, {
    key: SETTINGS_KEY,
    verboseLevel: null,
    responseUsage: null,
    reasoningLevel: null,
    sendPolicy: null,
    groupActivation: null,
  });
  facts.viewsCleared = await views(client);
  facts.storedCleared = stored(stateDir);
  return facts;
}

/** The Telegram DM's session (the default `dmScope`: the agent's main session). */
export const CHANNEL_KEY = "agent:main:main";

/** A Telegram chat the channel steps talk in. */
const CHAT_ID = 4242;

/** The model the DM runs on, scripted so that every turn's answer is its own ({@link CHANNEL_ANSWERS}). */
export const CHANNEL_MODEL = "m2";

/** The channel turns' answers, in order. */
export const CHANNEL_ANSWERS = ["Answer one.", "Answer two.", "Answer three.", "Answer four.", "Answer five."];

/**
 * The config both gateways run the steps with: the client tests' (tools/reference_gateway.ts), a Telegram account on
 * the fake Bot API at `telegramUrl` open to every DM, and the scripted {@link CHANNEL_MODEL} (scripted here).
 */
export function settingsConfig(
  input: { port: number; token: string; upstream: FakeUpstream; bot: string; telegramUrl: string },
): Record<string, unknown> {
  const config = clientTestConfig({ port: input.port, token: input.token, upstreamUrl: input.upstream.url });
  const fake = (config.models as { providers: { fake: { models: { id: string; name: string }[] } } }).providers.fake;
  fake.models.push({ id: CHANNEL_MODEL, name: CHANNEL_MODEL });
  input.upstream.script(CHANNEL_MODEL, CHANNEL_ANSWERS.map((text) => ({ text })));
  return {
    ...config,
    channels: {
      telegram: { botToken: input.bot, apiRoot: input.telegramUrl, dmPolicy: "open", allowFrom: ["*"] },
    },
  };
}

/**
 * The channel steps: a Telegram DM answered with no setting, with `responseUsage` "tokens" and "full", with
 * `sendPolicy` "deny", and allowed again (each turn's answer in the transcript, what reached the chat from its start
 * to the next turn's: a denied answer sent late would show). `telegram` is the fake Bot API.
 */
export async function channelSettingsSteps(
  client: ReferenceSession,
  telegram: {
    push(update: Record<string, unknown>): number;
    text(from: number, text: string): Record<string, unknown>;
  },
  sent: () => { chatId: number | string; text: string }[],
): Promise<Record<string, unknown>> {
  const assistantTexts = async () => {
    const history = await client.request<{ messages: Record<string, unknown>[] }>("chat.history", {
      sessionKey: CHANNEL_KEY,
      limit: 50,
    }, SLOW);
    return history.messages.filter((m) => m.role === "assistant").map((m) => textOf(m) ?? "");
  };
  const marks: number[] = [];
  const transcripts: (string | undefined)[] = [];
  const turn = async (text: string, replied: boolean) => {
    const before = (await assistantTexts()).length;
    marks.push(sent().length);
    telegram.push(telegram.text(CHAT_ID, text));
    await until(async () => (await assistantTexts()).length > before, `the answer to "${text}"`, 90_000);
    if (replied) await until(() => sent().length > marks.at(-1)!, `the reply to "${text}"`, 30_000);
    transcripts.push((await assistantTexts()).at(-1));
  };
  const facts: Record<string, unknown> = {};
  facts.modelPatch = await outcome(client, { key: CHANNEL_KEY, model: `fake/${CHANNEL_MODEL}` });
  await turn("hello", true);
  facts.tokensPatch = await outcome(client, { key: CHANNEL_KEY, responseUsage: "tokens" });
  await turn("again with tokens", true);
  await outcome(client, { key: CHANNEL_KEY, responseUsage: "full" });
  await turn("again in full", true);
  await outcome(client, { key: CHANNEL_KEY, responseUsage: null, sendPolicy: "deny" });
  await turn("while denied", false);
  await outcome(client, { key: CHANNEL_KEY, sendPolicy: null });
  await turn("allowed again", true);
  marks.push(sent().length);
  ["plain", "tokens", "full", "denied", "allowedAgain"].forEach((name, i) => {
    facts[name] = { transcript: transcripts[i], sent: sent().slice(marks[i], marks[i + 1]).map((m) => m.text) };
  });
  return facts;
}
