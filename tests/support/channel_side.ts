// A gateway's channel side in memory for the durable inbound queue's tests: a fake chat network account behind the
// real ChannelManager, AgentRuns and sessions, stopped in the gateway's order.
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { type ChannelKind, defineChannelKind } from "../../src/channels/catalog.ts";
import { ChannelManager } from "../../src/channels/manager.ts";
import type { AccountHost, ChannelAccount, InboundMessage } from "../../src/channels/types.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { resolveRouting } from "../../src/config/resolve_sections.ts";
import { getLogger } from "../../src/log/logger.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import type { FakeUpstream } from "./fake_upstream.ts";

/** One account of a chat network in memory: the test hands it messages, reads what it sent. */
export class FakeNetwork {
  host: AccountHost | undefined;
  sent: { target: string; text: string }[] = [];

  kind(): ChannelKind {
    return defineChannelKind({
      id: "irc",
      label: "Fake",
      section: (channels) => channels.irc,
      hasIdentity: (settings) => typeof settings.host === "string",
      create: (account, context) => {
        this.host = context.host;
        const created: ChannelAccount = {
          channel: "irc",
          accountId: account.accountId,
          textChunkLimit: 4000,
          streamBreak: "paragraph",
          start: () => {},
          stop: () => Promise.resolve(),
          probe: () => Promise.resolve({ ok: true, elapsedMs: 0 }),
          send: (target, text) => (this.sent.push({ target, text }), Promise.resolve({})),
          status: () => ({
            accountId: account.accountId,
            enabled: true,
            configured: true,
            running: true,
            connected: true,
            reconnectAttempts: 0,
            lastConnectedAt: 1,
            lastError: null,
            lastStartAt: 1,
            lastStopAt: null,
            lastInboundAt: null,
            lastOutboundAt: null,
          }),
        };
        return Promise.resolve(created);
      },
      targetPrefixes: ["fake"],
      dmTarget: (senderId) => senderId,
      normalizeAllowEntry: (entry) => entry.trim(),
    });
  }

  /** A message in `#room` addressed to the bot, stored under `eventId`; resolves once stored. */
  deliver(text: string, eventId: string): Promise<void> {
    const message: InboundMessage = {
      channel: "irc",
      accountId: "default",
      messageId: eventId,
      peerKind: "channel",
      senderId: "alice!a@host",
      senderAliases: [],
      senderName: "alice",
      groupId: "#room",
      replyTo: "#room",
      text,
      mentioned: true,
    };
    return this.host!.inbound(message, { eventId });
  }
}

/** A gateway's channel side on `stateDir`, answering with `model`; stopped as the gateway stops it. */
export async function withGatewaySide(
  stateDir: string,
  upstream: FakeUpstream,
  model: string,
  body: (network: FakeNetwork, logs: string[], chat: Record<string, unknown>[]) => Promise<void>,
) {
  const config = {
    models: { providers: { fake: { baseUrl: upstream.url, models: [model] } } },
    agents: { defaults: { model: { primary: `fake/${model}` } } },
    channels: { irc: { host: "irc.invalid", nick: "bot", groupPolicy: "open" } },
  } as unknown as RawConfig;
  const agents = agentsFromConfig(config, stateDir, "/home/test");
  const logs: string[] = [];
  const base = getLogger("test");
  const log = { ...base, info: (message: string) => logs.push(message) } as unknown as typeof base;
  // The runs' `chat` events (deltas, final): what a test waits on to know how far an answer got.
  const chat: Record<string, unknown>[] = [];
  const runs = new AgentRuns({
    sessions: new SessionStore(stateDir),
    agents: () => agents,
    emit: (event, payload) => event === "chat" && chat.push(payload),
  });
  const network = new FakeNetwork();
  const routing = resolveRouting(config);
  const manager = new ChannelManager({
    stateDir,
    env: {},
    config: () => routing,
    defaultAgentId: () => "main",
    runs,
    log,
    kinds: [network.kind()],
  });
  try {
    await manager.reconcile();
    await body(network, logs, chat);
  } finally {
    // The gateway's order: drain, abort the runs, stop the channels.
    manager.drain();
    runs.abortAll();
    await manager.stop();
  }
}

/** The queue's rows as `event_id → status`. */
export function statuses(stateDir: string): Record<string, string> {
  const db = openStateDb(stateDir);
  try {
    const rows = db.prepare("SELECT event_id, status FROM channel_ingress_events").all() as {
      "event_id": string;
      status: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.event_id, r.status]));
  } finally {
    db.close();
  }
}
