// The configured send policy (`session.sendPolicy`: a default and rules matching a session's channel, chat type and
// key), against the reference gateway (recorded by tools/record_reference_send_policy.ts) or ours
// (tests/integration/send_policy_test.ts): chat.send on main before and after a Telegram DM routed to it, a Telegram
// DM and a group message (is a reply sent?), chat.send on keys each rule matches, a session's own `sendPolicy`
// over the rules, and `agent` with and without `deliver` (main's delivered to its DM).
import { startFakeTelegram } from "./fake_telegram.ts";
import { startFakeUpstream } from "./fake_upstream.ts";
import { connectReference, type ReferenceSession } from "./reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { runEnded } from "./read_state_steps.ts";
import { freePort } from "./spawn_gateway.ts";
import { until } from "./until.ts";

const TOKEN = "send-policy-token-0123456789";
const BOT = "123456:send-policy";
const DM_USER = 4242;
const GROUP = { id: -200777, type: "group" as const };
const GROUP_KEY = `agent:main:telegram:group:${GROUP.id}`;

/** The policy under test: deny unless a rule allows; a later deny rule beats an earlier allow. */
export const SEND_POLICY = {
  default: "deny",
  rules: [
    { action: "allow", match: { channel: "telegram", chatType: "direct" } },
    { action: "allow", match: { keyPrefix: "ok-" } },
    { action: "deny", match: { keyPrefix: "ok-no" } },
    { action: "allow", match: { rawKeyPrefix: "agent:main:raw-" } },
  ],
};

/** What the scenario saw, step by step. */
export interface SendPolicyRecording {
  steps: { step: string; outcome: unknown }[];
}

/** A request's outcome: ok (with the fields that say where a reply went) or the error's message. */
async function outcome(
  client: ReferenceSession,
  method: string,
  params: Record<string, unknown>,
  expectFinal = false,
): Promise<Record<string, unknown>> {
  try {
    const answer = await client.request<Record<string, unknown>>(method, params, { expectFinal, timeoutMs: 90_000 });
    const result = answer?.result as Record<string, unknown> | undefined;
    return {
      ok: true,
      ...(answer?.status !== undefined ? { status: answer.status } : {}),
      ...(result?.deliveryStatus !== undefined ? { deliveryStatus: result.deliveryStatus } : {}),
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** The assistant messages a session's history holds. */
async function answers(client: ReferenceSession, sessionKey: string): Promise<number> {
  const history = await client.request<{ messages?: { role?: string }[] }>("chat.history", { sessionKey, limit: 50 });
  return (history.messages ?? []).filter((m) => m.role === "assistant").length;
}

/** Runs the scenario against `target` ("ref": the reference under `root`; any other: ours), stopping all it started. */
export async function runSendPolicyScenario(target: string, root: string): Promise<SendPolicyRecording> {
  const telegram = startFakeTelegram(BOT);
  const upstream = startFakeUpstream();
  const port = freePort();
  const config = {
    ...clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }),
    session: { sendPolicy: SEND_POLICY },
    channels: {
      telegram: {
        botToken: BOT,
        apiRoot: telegram.url,
        dmPolicy: "open",
        allowFrom: ["*"],
        groupPolicy: "open",
        groups: { [String(GROUP.id)]: { requireMention: false } },
      },
    },
  };
  const gateway = await startRecordedGateway(target, { root, port, config });
  const steps: SendPolicyRecording["steps"] = [];
  let client: ReferenceSession | undefined;
  try {
    client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.write"] });
    const c = client;
    let n = 0;
    const chatSend = async (step: string, sessionKey: string) => {
      const idempotencyKey = `send-policy-${++n}`;
      const result = await outcome(c, "chat.send", { sessionKey, message: `hello ${step}`, idempotencyKey });
      if (result.ok) await runEnded(c, idempotencyKey);
      steps.push({ step, outcome: result });
    };

    await chatSend("chat.send main, no channel yet", "agent:main:main");

    const sentBefore = telegram.sent.length;
    telegram.push(telegram.text(DM_USER, "hello dm"));
    await until(async () => await answers(c, "agent:main:main") > 0, "the DM's answer", 90_000);
    await until(() => telegram.sent.length > sentBefore, "the DM's reply", 30_000);
    steps.push({ step: "telegram DM", outcome: { replies: telegram.sent.slice(sentBefore).map((m) => m.text) } });

    await chatSend("chat.send main, after the DM", "agent:main:main");

    const groupSentBefore = telegram.sent.length;
    telegram.push(telegram.text(7, "hello group", GROUP));
    await until(async () => await answers(c, GROUP_KEY).catch(() => 0) > 0, "the group's answer", 90_000);
    // The group's answer is in its transcript: a reply, if one were sent, would have gone out before it was kept.
    steps.push({
      step: "telegram group",
      outcome: { replies: telegram.sent.slice(groupSentBefore).map((m) => m.text) },
    });

    await chatSend("chat.send ok-1 (allow rule)", "agent:main:ok-1");
    await chatSend("chat.send ok-no (a later deny rule)", "agent:main:ok-no");
    await chatSend("chat.send raw-1 (raw key prefix)", "agent:main:raw-1");
    await chatSend("chat.send other (the default)", "agent:main:other");
    steps.push({
      step: "sessions.patch other sendPolicy allow",
      outcome: await outcome(c, "sessions.patch", { key: "agent:main:other", sendPolicy: "allow" }),
    });
    await chatSend("chat.send other, allowed by its own policy", "agent:main:other");
    steps.push({
      step: "sessions.patch ok-1 sendPolicy deny",
      outcome: await outcome(c, "sessions.patch", { key: "agent:main:ok-1", sendPolicy: "deny" }),
    });
    await chatSend("chat.send ok-1, denied by its own policy", "agent:main:ok-1");

    const agent = async (step: string, sessionKey: string, deliver: boolean) => {
      const params = { sessionKey, message: `agent ${step}`, deliver, idempotencyKey: `send-policy-${++n}` };
      steps.push({ step, outcome: await outcome(c, "agent", params, true) });
    };
    await agent("agent ok-no, deliver", "agent:main:ok-no", true);
    await agent("agent ok-no, no deliver", "agent:main:ok-no", false);
    // Main's replies go to the Telegram DM it last heard from, which the channel rule allows.
    const agentSentBefore = telegram.sent.length;
    await agent("agent main, deliver", "agent:main:main", true);
    await until(() => telegram.sent.length > agentSentBefore, "the agent's delivered reply", 30_000);
    steps.push({ step: "agent main, delivered", outcome: telegram.sent.slice(agentSentBefore).map((m) => m.text) });
    return { steps };
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    client?.stop();
    await gateway.stop();
    await telegram.stop();
    await upstream.stop();
  }
}
