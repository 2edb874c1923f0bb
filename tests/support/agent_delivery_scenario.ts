// Where an `agent` request with `deliver: true` sends its reply when it names no usable target, against the reference
// gateway (recorded by tools/record_reference_agent_delivery.ts) or ours (tests/integration/agent_delivery_test.ts):
// a gateway with no channel and one with Telegram (the fake Bot API), each request on a session that has no route
// yet, strict and with `bestEffortDeliver`, with an unknown or unconfigured channel and with an explicit target;
// what the request answers, whether the run's answer was kept, and what the fake Bot API received.
import { startFakeTelegram } from "./fake_telegram.ts";
import { startFakeUpstream } from "./fake_upstream.ts";
import { connectReference, type ReferenceSession } from "./reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { freePort } from "./spawn_gateway.ts";

const TOKEN = "agent-delivery-token-0123456789";
const BOT = "123456:agent-delivery";

/** One request: its session, and the delivery fields it sends. */
interface DeliveryCase {
  step: string;
  sessionKey: string;
  params: Record<string, unknown>;
}

/** The requests on the gateway with no channel. */
const NO_CHANNEL: DeliveryCase[] = [
  { step: "no channel, no target", sessionKey: "agent:main:d1", params: {} },
  { step: "no channel, no target, best effort", sessionKey: "agent:main:d2", params: { bestEffortDeliver: true } },
  { step: "an unknown channel", sessionKey: "agent:main:d3", params: { channel: "nope", to: "x" } },
  {
    step: "an unknown channel, best effort",
    sessionKey: "agent:main:d4",
    params: { channel: "nope", to: "x", bestEffortDeliver: true },
  },
  { step: "an unconfigured channel", sessionKey: "agent:main:d5", params: { channel: "telegram", to: "42" } },
  { step: "the main session, no target", sessionKey: "agent:main:main", params: {} },
  { step: "the main session, strict", sessionKey: "agent:main:main", params: { bestEffortDeliver: false } },
  { step: "webchat and a target", sessionKey: "agent:main:d6", params: { channel: "webchat", to: "x" } },
];

/** The requests on the gateway with Telegram. */
const TELEGRAM: DeliveryCase[] = [
  { step: "telegram, no target", sessionKey: "agent:main:t1", params: {} },
  { step: "telegram, no target, best effort", sessionKey: "agent:main:t2", params: { bestEffortDeliver: true } },
  { step: "telegram, an explicit target", sessionKey: "agent:main:t3", params: { to: "4242" } },
  { step: "telegram, channel and target", sessionKey: "agent:main:t4", params: { channel: "telegram", to: "4243" } },
  { step: "telegram, replyTo over to", sessionKey: "agent:main:t5", params: { to: "1", replyTo: "4244" } },
];

/** What the scenario saw. */
export interface AgentDeliveryRecording {
  steps: { step: string; outcome: Record<string, unknown>; answersKept: number; telegram?: string[] }[];
}

/** The assistant messages a session's history holds. */
async function answers(client: ReferenceSession, sessionKey: string): Promise<number> {
  const history = await client.request<{ messages?: { role?: string }[] }>("chat.history", { sessionKey, limit: 50 });
  return (history.messages ?? []).filter((m) => m.role === "assistant").length;
}

/** Runs `cases` against one gateway of `target` under `root`, with `channels` configured. */
async function runCases(
  target: string,
  root: string,
  cases: DeliveryCase[],
  withTelegram: boolean,
): Promise<AgentDeliveryRecording["steps"]> {
  const telegram = withTelegram ? startFakeTelegram(BOT) : undefined;
  const upstream = startFakeUpstream();
  const port = freePort();
  const config = {
    ...clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }),
    ...(telegram
      ? { channels: { telegram: { botToken: BOT, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } } }
      : {}),
  };
  const gateway = await startRecordedGateway(target, { root, port, config });
  let client: ReferenceSession | undefined;
  try {
    client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.write"] });
    const steps: AgentDeliveryRecording["steps"] = [];
    for (const [i, c] of cases.entries()) {
      const sentBefore = telegram?.sent.length ?? 0;
      const params = { message: `deliver ${c.step}`, sessionKey: c.sessionKey, deliver: true, ...c.params };
      let outcome: Record<string, unknown>;
      try {
        const answer = await client.request<{ status?: string; result?: { deliveryStatus?: unknown } }>(
          "agent",
          { ...params, idempotencyKey: `agent-delivery-${withTelegram ? "t" : "n"}-${i}` },
          { expectFinal: true, timeoutMs: 90_000 },
        );
        outcome = { ok: true, status: answer.status, deliveryStatus: answer.result?.deliveryStatus ?? null };
      } catch (error) {
        outcome = { ok: false, error: (error as Error).message };
      }
      const kept = await answers(client, c.sessionKey);
      const sent = telegram?.sent.slice(sentBefore).map((m) => `${m.chatId}: ${m.text}`);
      steps.push({ step: c.step, outcome, answersKept: kept, ...(sent ? { telegram: sent } : {}) });
    }
    return steps;
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    client?.stop();
    await gateway.stop();
    await telegram?.stop();
    await upstream.stop();
  }
}

/** Runs both gateways' requests against `target` ("ref": the reference; any other: ours) under `root`. */
export async function runAgentDeliveryScenario(target: string, root: string): Promise<AgentDeliveryRecording> {
  const quiet = await runCases(target, `${root}/no-channel`, NO_CHANNEL, false);
  const telegram = await runCases(target, `${root}/telegram`, TELEGRAM, true);
  return { steps: [...quiet, ...telegram] };
}
