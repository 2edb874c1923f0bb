// WhatsApp through the gateway's channel side (the real ChannelManager, durable queue, gates, agent runs and a
// scripted model; the account on a fake socket at Baileys' event boundary): an unknown DM gets the pairing reply
// naming the phone number; once approved it is answered; in a group only a mention of the bot is answered.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { AgentRuns } from "../../../src/agent/runs.ts";
import { CHANNEL_KINDS, defineChannelKind } from "../../../src/channels/catalog.ts";
import { ChannelManager } from "../../../src/channels/manager.ts";
import { createWhatsAppAccount } from "../../../src/channels/whatsapp/account.ts";
import type { WhatsAppAccountConfig } from "../../../src/config/resolve.ts";
import { resolveRouting } from "../../../src/config/resolve_sections.ts";
import type { RawConfig } from "../../../src/config/schema.ts";
import { getLogger } from "../../../src/log/logger.ts";
import { FileMediaStore } from "../../../src/media/file_store.ts";
import { SessionStore } from "../../../src/sessions/store.ts";
import { startFakeUpstream } from "../../support/fake_upstream.ts";
import { FakeWaNetwork, waText } from "../../support/fake_wa_socket.ts";
import { until } from "../../support/until.ts";

const BOT = "15550001111";
const ALICE = "15552223333";
const GROUP = "120363000000000001@g.us";

Deno.test("whatsapp on the gateway side: pairing reply, approved DM answered, group answered only when mentioned", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-side-" });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  await Deno.mkdir(authDir, { recursive: true });
  await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: `${BOT}:7@s.whatsapp.net` } }));
  const upstream = startFakeUpstream();
  upstream.script("wa", [{ text: "Hello Alice." }, { text: "Hello group." }]);
  const config = {
    models: { providers: { fake: { baseUrl: upstream.url, models: ["wa"] } } },
    agents: { defaults: { model: { primary: "fake/wa" } } },
    channels: { whatsapp: { dmPolicy: "pairing", groupPolicy: "open", sendReadReceipts: false } },
  } as unknown as RawConfig;
  const network = new FakeWaNetwork();
  const row = CHANNEL_KINDS.find((kind) => kind.id === "whatsapp")!;
  const kind = defineChannelKind<WhatsAppAccountConfig>({
    ...row,
    section: (channels) => channels.whatsapp,
    hasIdentity: () => false,
    create: (account, context) => createWhatsAppAccount(account, context, network.factory),
  });
  const runs = new AgentRuns({
    sessions: new SessionStore(stateDir),
    agents: () => agentsFromConfig(config, stateDir, "/home/test"),
    emit: () => {},
  });
  const routing = resolveRouting(config);
  const manager = new ChannelManager({
    stateDir,
    env: {},
    config: () => routing,
    defaultAgentId: () => "main",
    runs,
    log: getLogger("test"),
    kinds: [kind],
  });
  try {
    await manager.reconcile();
    const socket = await network.socket(1);
    socket.open(BOT);
    const alice = `${ALICE}@s.whatsapp.net`;
    const to = (jid: string) =>
      socket.sent.filter((s) => s.jid === jid).map((s) => "text" in s.content ? s.content.text : "");

    socket.emit("messages.upsert", { type: "notify", messages: [waText({ id: "D1", from: ALICE, text: "hello" })] });
    await until(() => to(alice).length === 1, "the pairing reply");
    assert.match(to(alice)[0]!, /Your WhatsApp phone number: \+15552223333\n/);
    assert.equal(upstream.requestsOf("wa").length, 0);
    const [request] = await manager.pairing.list("whatsapp", "default");
    assert.equal(request?.id, `+${ALICE}`);
    assert.ok(await manager.pairing.approve("whatsapp", request!.code, "default"));

    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waText({ id: "D2", from: ALICE, text: "what time is it?" })],
    });
    await until(() => to(alice).includes("Hello Alice."), "the answer in the DM");

    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waText({ id: "G1", from: ALICE, group: GROUP, text: "just chatting" })],
    });
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [
        waText({ id: "G2", from: ALICE, group: GROUP, text: `@${BOT} hi bot`, mentions: [`${BOT}@s.whatsapp.net`] }),
      ],
    });
    await until(() => to(GROUP).includes("Hello group."), "the answer in the group");
    assert.equal(upstream.requestsOf("wa").length, 2, "the unmentioned group message was not answered");
  } finally {
    manager.drain();
    runs.abortAll();
    await manager.stop();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

/** A photo message as Baileys delivers it (a DM, or in a group with a mention of the bot). */
function waPhoto(options: { id: string; from: string; group?: string; caption: string }) {
  const base = waText({ id: options.id, from: options.from, text: "", group: options.group });
  const contextInfo = options.group ? { contextInfo: { mentionedJid: [`${BOT}@s.whatsapp.net`] } } : {};
  return {
    ...base,
    message: {
      imageMessage: { mimetype: "image/png", caption: options.caption, mediaKey: new Uint8Array(32), ...contextInfo },
    },
  };
}

Deno.test("whatsapp on the gateway side: a stranger's file is never downloaded; an admitted sender's is", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-gate-" });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  await Deno.mkdir(authDir, { recursive: true });
  await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: `${BOT}:7@s.whatsapp.net` } }));
  const upstream = startFakeUpstream();
  upstream.script("wa", [{ text: "Group ok." }, { text: "A photo." }]);
  const config = {
    models: { providers: { fake: { baseUrl: upstream.url, models: ["wa"] } } },
    agents: { defaults: { model: { primary: "fake/wa" } } },
    channels: {
      whatsapp: {
        dmPolicy: "pairing",
        groupPolicy: "allowlist",
        groups: { [GROUP]: {} },
        groupAllowFrom: ["+15559990000"],
        sendReadReceipts: false,
      },
    },
  } as unknown as RawConfig;
  const network = new FakeWaNetwork();
  const row = CHANNEL_KINDS.find((kind) => kind.id === "whatsapp")!;
  const kind = defineChannelKind<WhatsAppAccountConfig>({
    ...row,
    section: (channels) => channels.whatsapp,
    hasIdentity: () => false,
    create: (account, context) => createWhatsAppAccount(account, context, network.factory),
  });
  const runs = new AgentRuns({
    sessions: new SessionStore(stateDir),
    agents: () => agentsFromConfig(config, stateDir, "/home/test"),
    emit: () => {},
  });
  const routing = resolveRouting(config);
  const media = new FileMediaStore({ root: `${stateDir}/media`, maxBytes: () => 1024 * 1024, ttlMs: () => undefined });
  const manager = new ChannelManager({
    stateDir,
    env: {},
    config: () => routing,
    defaultAgentId: () => "main",
    runs,
    log: getLogger("test"),
    kinds: [kind],
    media,
  });
  try {
    await manager.reconcile();
    const socket = await network.socket(1);
    socket.open(BOT);
    const alice = `${ALICE}@s.whatsapp.net`;
    const to = (jid: string) =>
      socket.sent.filter((s) => s.jid === jid).map((s) => "text" in s.content ? s.content.text : "");

    // A stranger's DM photo: the pairing reply, nothing fetched.
    socket.emit("messages.upsert", { type: "notify", messages: [waPhoto({ id: "S1", from: ALICE, caption: "hi" })] });
    await until(() => to(alice).length === 1, "the pairing reply");
    assert.match(to(alice)[0]!, /pairing code/i);
    // A group photo mentioning the bot from a sender outside groupAllowFrom: dropped, nothing fetched.
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waPhoto({ id: "S2", from: ALICE, group: GROUP, caption: "look" })],
    });
    // An allowed member's mention after it in the same chat (the queue answers a chat in order) is the sign that
    // the refused photo has been through the gate.
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [
        waText({ id: "G1", from: "15559990000", group: GROUP, text: "hey", mentions: [`${BOT}@s.whatsapp.net`] }),
      ],
    });
    await until(() => to(GROUP).includes("Group ok."), "the allowed member's answer");
    assert.equal(socket.downloads.length, 0, "no refused sender's file was downloaded");
    const [request] = await manager.pairing.list("whatsapp", "default");
    assert.ok(await manager.pairing.approve("whatsapp", request!.code, "default"));

    // Once approved, a DM photo is fetched and answered; the refused ones before it never were.
    socket.emit("messages.upsert", { type: "notify", messages: [waPhoto({ id: "A1", from: ALICE, caption: "see" })] });
    await until(() => to(alice).includes("A photo."), "the answer to the admitted photo");
    assert.deepEqual(socket.downloads.map((m) => m.key?.id), ["A1"]);
    assert.equal(upstream.requestsOf("wa").length, 2);
  } finally {
    manager.drain();
    runs.abortAll();
    await manager.stop();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("whatsapp on the gateway side: read receipts only for what the gate admits (a stranger's DM stays unread)", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-read-" });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  await Deno.mkdir(authDir, { recursive: true });
  await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: `${BOT}:7@s.whatsapp.net` } }));
  const upstream = startFakeUpstream();
  upstream.script("wa", [{ text: "Hi Bob." }]);
  const config = {
    models: { providers: { fake: { baseUrl: upstream.url, models: ["wa"] } } },
    agents: { defaults: { model: { primary: "fake/wa" } } },
    channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15559990000"] } },
  } as unknown as RawConfig;
  const network = new FakeWaNetwork();
  const row = CHANNEL_KINDS.find((kind) => kind.id === "whatsapp")!;
  const kind = defineChannelKind<WhatsAppAccountConfig>({
    ...row,
    section: (channels) => channels.whatsapp,
    hasIdentity: () => false,
    create: (account, context) => createWhatsAppAccount(account, context, network.factory),
  });
  const runs = new AgentRuns({
    sessions: new SessionStore(stateDir),
    agents: () => agentsFromConfig(config, stateDir, "/home/test"),
    emit: () => {},
  });
  const routing = resolveRouting(config);
  const manager = new ChannelManager({
    stateDir,
    env: {},
    config: () => routing,
    defaultAgentId: () => "main",
    runs,
    log: getLogger("test"),
    kinds: [kind],
  });
  try {
    await manager.reconcile();
    const socket = await network.socket(1);
    socket.open(BOT);
    const bob = "15559990000@s.whatsapp.net";
    // A stranger's DM, then the allowed sender's: once Bob is answered, the stranger's has been through the gate.
    socket.emit("messages.upsert", { type: "notify", messages: [waText({ id: "S1", from: ALICE, text: "hello?" })] });
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waText({ id: "B1", from: "15559990000", text: "hi" })],
    });
    await until(() => socket.sent.some((s) => s.jid === bob), "the answer to the allowed sender");
    await until(() => socket.read.length > 0, "the allowed sender's read receipt");
    assert.deepEqual(socket.read.map((key) => key.id), ["B1"], "the stranger's DM is not marked read");
  } finally {
    manager.drain();
    runs.abortAll();
    await manager.stop();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
