import assert from "node:assert/strict";
import type { AgentRuns } from "../../src/agent/runs.ts";
import { type ChannelKind, defineChannelKind } from "../../src/channels/catalog.ts";
import { ChannelManager, type ChannelManagerDeps } from "../../src/channels/manager.ts";
import type { AccountHost, ChannelAccount, InboundMessage } from "../../src/channels/types.ts";
import { resolveRouting } from "../../src/config/resolve_sections.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { getLogger } from "../../src/log/logger.ts";
import { LazyStateDb } from "../../src/server/state_db_handle.ts";
import { StateExternalOwnershipError } from "../../src/state/state_write_fence.ts";
import { prepareState } from "../support/database_cli_cases.ts";
import { fileDigest } from "../support/state_fence_cases.ts";

/** How many of this process's open files are under a directory (the database, its WAL and shm). */
function openFilesUnder(dir: string): number {
  let count = 0;
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      if (Deno.readLinkSync(`/proc/self/fd/${entry.name}`).startsWith(dir)) count++;
    } catch {
      // Closed while listing.
    }
  }
  return count;
}

function deps(stateDir: string, extra: Partial<ChannelManagerDeps> = {}): ChannelManagerDeps {
  return {
    stateDir,
    env: {} as ChannelManagerDeps["env"],
    config: () => ({ channels: {}, bindings: [], session: {} }) as unknown as ReturnType<ChannelManagerDeps["config"]>,
    defaultAgentId: () => "main",
    runs: {} as AgentRuns,
    log: getLogger("test/channels"),
    kinds: [],
    ...extra,
  };
}

Deno.test("ChannelManager.stop closes the DM pairing store's own connection: restarts leak none", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-channels-pairing-" });
  try {
    for (let start = 0; start < 3; start++) {
      const manager = new ChannelManager(deps(stateDir));
      assert.deepEqual(await manager.pairing.list("telegram"), []);
      assert.ok(openFilesUnder(stateDir) > 0);
      await manager.stop();
      assert.equal(openFilesUnder(stateDir), 0, `after stop ${start + 1}`);
    }
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("ChannelManager with the gateway's state database: pairing uses it, and its owner closes it", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-channels-pairing-" });
  const shared = new LazyStateDb(stateDir, "write");
  try {
    const manager = new ChannelManager(deps(stateDir, { stateDb: () => shared.get() }));
    assert.equal((await manager.pairing.upsert("irc", { id: "a", accountId: "default", meta: {} })).created, true);
    await manager.stop();
    const db = await shared.get();
    assert.equal(db.isOpen, true, "the manager does not close a connection it does not own");
    assert.equal((db.prepare("SELECT count(*) AS n FROM channel_pairing_requests").get() as { n: number }).n, 1);
    await shared.close();
    assert.equal(openFilesUnder(stateDir), 0);
  } finally {
    await shared.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

/** A channel kind (in the irc slot) whose account hands its host to the test, to deliver with a receipt. */
function hostKind(got: (host: AccountHost) => void): ChannelKind {
  return defineChannelKind({
    id: "irc",
    label: "Fake",
    section: (channels) => channels.irc,
    hasIdentity: (settings) => typeof settings.host === "string",
    create: (account, context) => {
      got(context.host);
      return Promise.resolve(
        {
          channel: "irc",
          accountId: account.accountId,
          textChunkLimit: 400,
          streamBreak: "line",
          start: () => {},
          stop: () => Promise.resolve(),
          probe: () => Promise.resolve({ ok: true, elapsedMs: 0 }),
          send: () => Promise.resolve({ messageId: "m" }),
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
        } satisfies ChannelAccount,
      );
    },
    targetPrefixes: ["fake"],
    dmTarget: (senderId) => senderId,
    normalizeAllowEntry: (entry) => entry.trim(),
  });
}

const DM: InboundMessage = {
  channel: "irc",
  accountId: "default",
  messageId: "m1",
  peerKind: "direct",
  senderId: "alice",
  senderAliases: [],
  senderName: "alice",
  groupId: undefined,
  replyTo: "alice",
  text: "hello",
  mentioned: false,
};

for (const supervisor of [undefined, "external"]) {
  Deno.test(`ChannelManager without the gateway's state database, ${supervisor ? "as the external supervisor" : "unsupervised"}: its own connections ${supervisor ? "write" : "are refused"} on a claimed database`, async () => {
    const root = await Deno.makeTempDir({ prefix: "oc-channels-fence-" });
    let host: AccountHost | undefined;
    const routing = resolveRouting(
      { channels: { irc: { host: "irc.invalid", nick: "bot", dmPolicy: "disabled" } } } as unknown as RawConfig,
    );
    const manager = new ChannelManager(deps(prepareState(root, "claimed"), {
      env: supervisor ? { OPENCLAW_SUPERVISOR_MODE: supervisor } : {},
      config: () => routing as unknown as ReturnType<ChannelManagerDeps["config"]>,
      kinds: [hostKind((given) => host = given)],
    }));
    const database = `${root}/state/state/openclaw.sqlite`;
    const before = await fileDigest(database);
    try {
      await manager.reconcile();
      assert.ok(host, "the account was created");
      if (supervisor) {
        assert.deepEqual(await manager.pairing.list("irc"), []);
        await host.inbound(DM, { eventId: "e1" });
      } else {
        await assert.rejects(manager.pairing.list("irc"), StateExternalOwnershipError);
        // The inbound queue's open is refused, so the message is not acknowledged (the network keeps it).
        await assert.rejects(host.inbound(DM, { eventId: "e1" }), StateExternalOwnershipError);
        // Refused again on the next message: a refusal is not kept as the connection.
        await assert.rejects(host.inbound(DM, { eventId: "e2" }), StateExternalOwnershipError);
      }
    } finally {
      await manager.stop();
    }
    try {
      assert.equal(before === await fileDigest(database), !supervisor, "a refused manager writes nothing");
      assert.equal(openFilesUnder(root), 0);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
