// A hold from `channels.stop` (or a login) ends when the config removes or disables the account:
// added or enabled again, it starts, as the reference restarts an account whose config changed.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { type ChannelKind, defineChannelKind } from "../../src/channels/catalog.ts";
import { ChannelManager } from "../../src/channels/manager.ts";
import type { AccountHost, ChannelAccount, InboundMessage } from "../../src/channels/types.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { getLogger } from "../../src/log/logger.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { resolveRouting } from "../../src/config/resolve_sections.ts";

/** A chat network in memory: the test delivers messages through `host`, and reads what the bot sent. */
class FakeNetwork {
  host: AccountHost | undefined;
  sent: { target: string; text: string }[] = [];
  started = 0;
  stopped = 0;

  /** A channel kind whose accounts live on this network (it takes the irc slot: ids are a closed set). */
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
          textChunkLimit: 400,
          streamBreak: "line",
          start: () => void this.started++,
          stop: () => (this.stopped++, Promise.resolve()),
          probe: () => Promise.resolve({ ok: true, elapsedMs: 0 }),
          send: (target, text) => (this.sent.push({ target, text }), Promise.resolve({ messageId: "m" })),
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
      dmTarget: (senderId) => senderId.split("!")[0]!,
      normalizeAllowEntry: (entry) => entry.trim(),
    });
  }

  /** Delivers a message from `sender` (a DM, or in `group` when given). */
  deliver(text: string, options: { sender?: string; group?: string; mentioned?: boolean; id?: string } = {}) {
    const sender = options.sender ?? "alice!a@host";
    const message: InboundMessage = {
      channel: "irc",
      accountId: "default",
      messageId: options.id ?? crypto.randomUUID(),
      peerKind: options.group ? "group" : "direct",
      senderId: sender,
      senderAliases: [],
      senderName: sender.split("!")[0]!,
      groupId: options.group,
      replyTo: options.group ?? sender.split("!")[0]!,
      text,
      mentioned: options.mentioned ?? false,
    };
    this.host!.inbound(message);
  }
}

Deno.test("ChannelManager: a stopped account stays stopped until its config removes or disables it; then it starts again", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-hold-" });
  const configOf = (irc: Record<string, unknown> | undefined) =>
    ({ channels: irc ? { irc: { host: "irc.invalid", nick: "bot", ...irc } } : {} }) as unknown as RawConfig;
  let config = configOf({});
  const agents = agentsFromConfig(config, stateDir, "/home/test");
  const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
  const network = new FakeNetwork();
  const manager = new ChannelManager({
    stateDir,
    env: {},
    config: () => resolveRouting(config),
    defaultAgentId: () => "main",
    runs,
    log: getLogger("test"),
    kinds: [network.kind()],
  });
  try {
    await manager.reconcile();
    assert.equal(network.started, 1);
    await manager.stopAccount("irc", "default");
    assert.equal(network.stopped, 1);
    // A reload that keeps the account keeps the hold.
    await manager.reconcile();
    assert.equal(network.started, 1);
    // Removed from the config, then added back: it starts.
    config = configOf(undefined);
    await manager.reconcile();
    config = configOf({});
    await manager.reconcile();
    assert.equal(network.started, 2);
    // Stopped again, disabled, enabled: it starts.
    await manager.stopAccount("irc", "default");
    config = configOf({ enabled: false });
    await manager.reconcile();
    config = configOf({});
    await manager.reconcile();
    assert.equal(network.started, 3);
  } finally {
    await manager.stop();
    runs.abortAll();
    await Deno.remove(stateDir, { recursive: true });
  }
});
