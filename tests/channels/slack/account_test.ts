import assert from "node:assert/strict";
import { join } from "node:path";
import { decideAccess } from "../../../src/channels/access.ts";
import { accessPolicy } from "../../../src/channels/accounts.ts";
import { createSlackAccount } from "../../../src/channels/slack/account.ts";
import { slackAccessSettings } from "../../../src/channels/slack_access.ts";
import { slackSignature } from "../../../src/channels/slack/signature.ts";
import type { AccountHost, ChannelAccount, InboundMessage, InboundReceipt } from "../../../src/channels/types.ts";
import type { SlackAccountConfig } from "../../../src/config/resolve.ts";
import { FileMediaStore } from "../../../src/media/file_store.ts";
import { FAKE_SLACK, type FakeSlack, startFakeSlack } from "../../support/fake_slack.ts";
import { until } from "../../support/until.ts";

const BOT = "xoxb-test-bot-token";
const APP = "xapp-test-app-token";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const ALICE = "U0ALICE01";
/** A PNG's first bytes: enough for the store to know the type from the bytes. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

interface Harness {
  slack: FakeSlack;
  account: ChannelAccount;
  inbound: InboundMessage[];
  receipts: InboundReceipt[];
  /** The handler HTTP mode mounted, by path. */
  mounted: Map<string, (request: Request) => Promise<Response>>;
  /** Makes the next store fail, as a full disk would. */
  failNextStore(): void;
  media: FileMediaStore;
  /** The files fetched when each admitted message left the account's own gate (before `hydrate`). */
  fetchedAtAdmit: number[];
}

/** An account on the fake Slack, started and ready, torn down after `body`. */
async function withAccount(settings: SlackAccountConfig, body: (h: Harness) => Promise<void>): Promise<void> {
  const slack = startFakeSlack(BOT, APP);
  const dir = await Deno.makeTempDir({ prefix: "slack-account-" });
  const media = new FileMediaStore({ root: join(dir, "media"), maxBytes: () => 5_000_000, ttlMs: () => undefined });
  const inbound: InboundMessage[] = [];
  const receipts: InboundReceipt[] = [];
  const fetchedAtAdmit: number[] = [];
  const mounted = new Map<string, (request: Request) => Promise<Response>>();
  let failStore = false;
  let ready = false;
  // As the gateway does: the message is stored with its receipt, then the account's own gate decides on it.
  const host: AccountHost = {
    inbound: async (message, receipt) => {
      if (failStore) {
        failStore = false;
        throw new Error("disk full");
      }
      if (receipt && receipts.some((r) => r.eventId === receipt.eventId)) return;
      if (receipt) receipts.push(receipt);
      const admitted = await account.admit!(message, receipt?.raw);
      if (!admitted) return;
      // The shared access gate would decide here; only then are the files fetched.
      fetchedAtAdmit.push(slack.downloads.length);
      inbound.push(await account.hydrate!(admitted, receipt?.raw));
    },
    ready: () => {
      ready = true;
    },
    mountWebhook: (path, handler) => {
      mounted.set(path, handler);
      return () => mounted.delete(path);
    },
    media,
  };
  const account = createSlackAccount(
    { accountId: "default", settings: { botToken: BOT, appToken: APP, ...settings } },
    {
      env: { SLACK_API_URL: slack.apiUrl },
      host,
    },
  );
  account.start();
  try {
    await until(() => ready, "the account is ready");
    await body({
      slack,
      account,
      inbound,
      receipts,
      mounted,
      media,
      fetchedAtAdmit,
      failNextStore: () => (failStore = true),
    });
  } finally {
    await account.stop();
    await slack.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("slack account: socket mode connects, a DM arrives normalized and is acked only once stored", async () => {
  await withAccount({}, async ({ slack, account, inbound, receipts }) => {
    assert.deepEqual(slack.calls.slice(0, 2), ["auth.test", "apps.connections.open"]);
    const status = account.status();
    assert.equal(status.connected, true);
    assert.equal(status.mode, "socket");
    assert.equal(status.bot?.username, FAKE_SLACK.botName);

    const { event, ts } = slack.dm(ALICE, "hello bot");
    const envelope = slack.sendEvent(event, { eventId: "Ev0DM00001" });
    await slack.waitFor("the envelope is acked", () => slack.acked.includes(envelope));
    assert.deepEqual(inbound, [{
      channel: "slack",
      accountId: "default",
      messageId: `${slack.dmChannel(ALICE)}:${ts}`,
      peerKind: "direct",
      senderId: ALICE,
      senderAliases: [],
      senderName: "Alice",
      groupId: undefined,
      replyTo: `channel:${slack.dmChannel(ALICE)}`,
      text: "hello bot",
      mentioned: true,
    }], "no thread session in a DM");
    // The queue row as the reference keys it.
    assert.equal(receipts[0]!.eventId, "Ev0DM00001");
    assert.equal(receipts[0]!.laneKey, `team:${FAKE_SLACK.team}:conversation:${slack.dmChannel(ALICE)}`);
    assert.equal(receipts[0]!.raw?.kind, "events-api");
    assert.equal(receipts[0]!.raw?.version, 1);
  });
});

Deno.test("slack account: an event the store refuses is never acknowledged", async () => {
  await withAccount({}, async ({ slack, inbound, failNextStore }) => {
    failNextStore();
    const refused = slack.sendEvent(slack.dm(ALICE, "one").event);
    const kept = slack.sendEvent(slack.dm(ALICE, "two").event);
    await slack.waitFor("the second envelope is acked", () => slack.acked.includes(kept));
    assert.ok(!slack.acked.includes(refused));
    assert.deepEqual(inbound.map((m) => m.text), ["two"]);
  });
});

Deno.test("slack account: channel mentions, thread replies and the mention twin; own and bot messages dropped", async () => {
  await withAccount({ replyToMode: "all" }, async ({ slack, account, inbound }) => {
    const plain = slack.channelMessage(ALICE, FAKE_SLACK.general, "just chatting");
    slack.sendEvent(plain.event);
    const mention = slack.channelMessage(ALICE, FAKE_SLACK.general, "what's up?", { mention: true });
    slack.sendEvent(mention.event);
    // Slack sends an app_mention for the same message too: answered once.
    slack.sendEvent({ ...mention.event, type: "app_mention", channel_type: undefined });
    slack.sendEvent(slack.channelMessage(FAKE_SLACK.botUserId, FAKE_SLACK.general, "my own").event);
    slack.sendEvent({ ...slack.channelMessage("U0OTHERBOT", FAKE_SLACK.general, "beep").event, bot_id: "B0OTHER" });
    await slack.waitFor("five envelopes acked", () => slack.acked.length === 5);
    // Once the bot answered in the thread, a follow-up there addresses it (implicitMentions.threadParticipation);
    // in a thread it did not answer, it does not.
    await account.send(inbound[1]!.replyTo, "an answer");
    slack.sendEvent(slack.channelMessage(ALICE, FAKE_SLACK.general, "and more", { threadTs: mention.ts }).event);
    slack.sendEvent(slack.channelMessage(ALICE, FAKE_SLACK.general, "unrelated", { threadTs: plain.ts }).event);
    await slack.waitFor("seven envelopes acked", () => slack.acked.length === 7);
    // Each thread is its own session (the thread the message is in, or the one the answer starts).
    assert.deepEqual(inbound.map((m) => m.threadId), [plain.ts, mention.ts, mention.ts, plain.ts]);
    assert.deepEqual(
      inbound.map((m) => [m.text, m.peerKind, m.groupId, m.mentioned, m.replyTo]),
      [
        ["just chatting", "channel", FAKE_SLACK.general, false, `channel:${FAKE_SLACK.general}:thread:${plain.ts}`],
        ["what's up?", "channel", FAKE_SLACK.general, true, `channel:${FAKE_SLACK.general}:thread:${mention.ts}`],
        ["and more", "channel", FAKE_SLACK.general, true, `channel:${FAKE_SLACK.general}:thread:${mention.ts}`],
        ["unrelated", "channel", FAKE_SLACK.general, false, `channel:${FAKE_SLACK.general}:thread:${plain.ts}`],
      ],
    );
  });
});

Deno.test("slack account: an app_mention is answered only in a channel, never in a group DM or an unknown conversation", async () => {
  // Slack's app_mention carries no channel_type. The reference answers it only once it knows the conversation is a
  // channel (from a message event seen there, or conversations.info); in a DM or group DM the message event is the
  // one gated (dm.groupEnabled, allowFrom), and one whose type cannot be told is dropped.
  await withAccount({ groupPolicy: "open" }, async ({ slack, inbound }) => {
    const mention = (channel: string, text: string) => {
      const { event } = slack.channelMessage(ALICE, channel, text, { mention: true });
      return { ...event, type: "app_mention", channel_type: undefined };
    };
    slack.sendEvent(mention(FAKE_SLACK.groupDm, "in a group dm"));
    slack.sendEvent(mention("G0UNKNOWN", "somewhere unknown"));
    slack.sendEvent(mention(FAKE_SLACK.other, "in a channel"));
    await slack.waitFor("three envelopes acked", () => slack.acked.length === 3);
    // A group DM whose message event was seen: no lookup needed, still not answered by its app_mention.
    const seen = slack.channelMessage(ALICE, "G0MPIM002", "hi all", { mention: true });
    slack.sendEvent({ ...seen.event, channel_type: "mpim" });
    slack.sendEvent({ ...seen.event, type: "app_mention", channel_type: undefined });
    await slack.waitFor("five envelopes acked", () => slack.acked.length === 5);
    assert.deepEqual(inbound.map((m) => [m.text, m.peerKind]), [["in a channel", "channel"]]);
    assert.equal(slack.calls.filter((c) => c === "conversations.info").length, 3, "G0MPIM002 was known");
  });
});

Deno.test("slack account: a group DM is answered for allowFrom senders only, and without a mention", async () => {
  // The reference: a group DM (MPIM) is allowed by dm.groupEnabled and dm.groupChannels (none listed: all), its
  // senders must be in allowFrom (never the pairing store), and no mention is needed; groupPolicy is about channels.
  const OWNER = "U0BOB0001";
  await withAccount(
    { groupPolicy: "open", allowFrom: [`slack:${OWNER}`], dm: { groupEnabled: true } },
    async ({ slack, inbound }) => {
      const inGroupDm = (user: string, text: string, mention = false) => {
        const { event } = slack.channelMessage(user, FAKE_SLACK.groupDm, text, { mention });
        return { ...event, channel_type: "mpim" };
      };
      slack.sendEvent(inGroupDm(ALICE, "not an owner", true));
      slack.sendEvent(inGroupDm(OWNER, "owner, no mention"));
      await slack.waitFor("two envelopes acked", () => slack.acked.length === 2);
      assert.deepEqual(inbound.map((m) => [m.text, m.peerKind, m.mentioned]), [["owner, no mention", "group", true]]);
      // What the shared gate then decides under groupPolicy open: the owner's message runs.
      const policy = accessPolicy(slackAccessSettings({ groupPolicy: "open", allowFrom: [`slack:${OWNER}`] }), {});
      assert.deepEqual(decideAccess(policy, inbound[0]!, []), { action: "run" });
    },
  );
});

Deno.test("slack account: replies go to the channel, the thread or a DM opened for user:<id>", async () => {
  await withAccount({}, async ({ slack, account }) => {
    await account.send(`channel:${FAKE_SLACK.general}`, "top level");
    await account.send(`channel:${FAKE_SLACK.general}:thread:1700000000.000100`, "in thread");
    await account.send(`user:${ALICE}`, "a dm");
    await account.send(`<@${ALICE}>`, "again");
    assert.deepEqual(slack.posts.map((p) => [p.channel, p.text, p.threadTs]), [
      [FAKE_SLACK.general, "top level", undefined],
      [FAKE_SLACK.general, "in thread", "1700000000.000100"],
      [slack.dmChannel(ALICE), "a dm", undefined],
      [slack.dmChannel(ALICE), "again", undefined],
    ]);
    // The DM channel is opened once.
    assert.equal(slack.calls.filter((c) => c === "conversations.open").length, 1);
    await assert.rejects(account.send("general", "x"), /is not a Slack target: use channel:<id>/);
    // Markdown goes out as mrkdwn, links unfurled only when asked.
    await account.send(`channel:${FAKE_SLACK.general}`, "**done**: see [this](https://example.com)");
    assert.equal(slack.posts.at(-1)!.text, "*done*: see <https://example.com|this>");
    assert.equal(slack.callParams.at(-1)!.unfurl_links, "false");
  });
});

Deno.test("slack account: a dropped socket reconnects and events flow again", async () => {
  await withAccount({}, async ({ slack, account, inbound }) => {
    slack.drop();
    await slack.waitFor("a second connection", () => slack.connections() === 2 && slack.openSockets() === 1);
    await until(() => account.status().connected, "connected again");
    slack.sendEvent(slack.dm(ALICE, "after the drop").event);
    await until(() => inbound.length === 1, "the DM after the drop");
    // Slack's own refresh (`disconnect`) is a reconnect too.
    slack.refresh();
    await slack.waitFor("a third connection", () => slack.connections() === 3 && slack.openSockets() === 1);
    assert.equal(account.status().lastError, null);
  });
});

Deno.test("slack account: stopped while apps.connections.open is answered, it neither connects nor says it is ready", async () => {
  const slack = startFakeSlack(BOT, APP);
  let readies = 0;
  const account = createSlackAccount({ accountId: "default", settings: { botToken: BOT, appToken: APP } }, {
    env: { SLACK_API_URL: slack.apiUrl },
    host: { inbound: () => Promise.resolve(), ready: () => void readies++, mountWebhook: () => () => {} },
  });
  try {
    const release = slack.holdConnectionsOpen();
    account.start();
    await slack.waitFor("apps.connections.open asked", () => slack.calls.includes("apps.connections.open"));
    const stopping = account.stop();
    release();
    await stopping;
    // The library opened the socket the late answer named; the stop closed it, and nothing said it was connected.
    await slack.waitFor("no socket left open", () => slack.openSockets() === 0);
    assert.equal(readies, 0, "no ready after the stop");
    assert.equal(account.status().lastConnectedAt, null);
    assert.equal(account.status().connected, false);
  } finally {
    await account.stop();
    await slack.stop();
  }
});

Deno.test("slack account: a stop does not wait for an apps.connections.open that does not answer", async () => {
  const slack = startFakeSlack(BOT, APP);
  const account = createSlackAccount({ accountId: "default", settings: { botToken: BOT, appToken: APP } }, {
    env: { SLACK_API_URL: slack.apiUrl },
    host: { inbound: () => Promise.resolve(), ready: () => {}, mountWebhook: () => () => {} },
  });
  const release = slack.holdConnectionsOpen();
  try {
    account.start();
    await slack.waitFor("apps.connections.open asked", () => slack.calls.includes("apps.connections.open"));
    // A gateway stop or a config reload waits for this: it must not hang on Slack's answer.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("still stopping after 5 s"), 5_000);
    });
    const stopped = await Promise.race([account.stop().then(() => "stopped"), deadline]);
    clearTimeout(timer);
    assert.equal(stopped, "stopped");
    assert.equal(account.status().running, false);
  } finally {
    // The late answer names a socket: the stopped account closes it.
    release();
    await slack.waitFor("the late socket closed", () => slack.openSockets() === 0);
    await account.stop();
    await slack.stop();
  }
});

Deno.test("slack account: inbound files are kept in the media store; sendMedia uploads through the external flow", async () => {
  await withAccount({}, async ({ slack, account, inbound, media }) => {
    const file = slack.hostFile("diagram.png", "image/png", PNG);
    slack.sendEvent(
      slack.channelMessage(ALICE, FAKE_SLACK.general, "see this", { mention: true, files: [file] }).event,
    );
    await until(() => inbound.length === 1, "the message with its file");
    assert.deepEqual(slack.downloads, [file.id]);
    const kept = inbound[0]!.media ?? [];
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.mimeType, "image/png");
    assert.equal(kept[0]!.kind, "image");
    assert.deepEqual(await Deno.readFile(kept[0]!.path), PNG);

    const out = await media.save(PNG, { direction: "outbound", mimeType: "image/png", fileName: "chart.png" });
    const sent = await account.sendMedia!(`channel:${FAKE_SLACK.general}:thread:1700000000.000200`, {
      ...out,
      caption: "here it is",
    });
    assert.ok(sent.messageId?.startsWith("F"));
    assert.deepEqual(slack.calls.filter((c) => c.startsWith("files.")), [
      "files.getUploadURLExternal",
      "files.completeUploadExternal",
    ]);
    const upload = slack.uploads[0]!;
    assert.deepEqual(upload.bytes, PNG);
    assert.equal(upload.channel, FAKE_SLACK.general);
    assert.equal(upload.threadTs, "1700000000.000200");
    assert.equal(upload.initialComment, "here it is");
  });
});

async function signed(body: string, options: { secret?: string; at?: number } = {}): Promise<Request> {
  const timestamp = String(options.at ?? Math.floor(Date.now() / 1000));
  return new Request("http://127.0.0.1/slack/events", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": await slackSignature(options.secret ?? SECRET, timestamp, body),
    },
    body,
  });
}

Deno.test("slack account: HTTP mode checks signatures, answers url_verification and stores events", async () => {
  await withAccount({ mode: "http", signingSecret: SECRET, appToken: undefined }, async (h) => {
    const handler = h.mounted.get("/slack/events");
    assert.ok(handler, "the default webhook path is mounted");
    assert.equal(h.account.status().mode, "http");
    assert.equal(h.account.status().webhookPath, "/slack/events");
    assert.ok(!h.slack.calls.includes("apps.connections.open"));

    const challenge = JSON.stringify({
      token: "t",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const verified = await handler(await signed(challenge));
    assert.equal(verified.status, 200);
    assert.deepEqual(await verified.json(), { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });

    // Refusals: no signature, a wrong secret, a stale timestamp, a tampered body: an empty 401, nothing stored.
    const event = JSON.stringify(h.slack.eventBody(h.slack.dm(ALICE, "over http").event, "Ev0HTTP001"));
    const unsigned = new Request("http://127.0.0.1/slack/events", { method: "POST", body: event });
    for (
      const request of [
        unsigned,
        await signed(event, { secret: "not-the-secret" }),
        await signed(event, { at: Math.floor(Date.now() / 1000) - 6 * 60 }),
        await signed(event, { at: Math.floor(Date.now() / 1000) + 6 * 60 }),
      ]
    ) {
      const refused = await handler(request);
      assert.equal(refused.status, 401);
      assert.equal(await refused.text(), "");
    }
    const tampered = await signed(event);
    const forged = await handler(
      new Request(tampered.url, {
        method: "POST",
        headers: tampered.headers,
        body: event.replace("over http", "pwned"),
      }),
    );
    assert.equal(forged.status, 401);
    assert.equal(h.inbound.length, 0);

    const ok = await handler(await signed(event));
    assert.equal(ok.status, 200);
    assert.deepEqual(h.inbound.map((m) => m.text), ["over http"]);
    // A store failure answers 500, so Slack sends the event again.
    h.failNextStore();
    const failed = await handler(
      await signed(JSON.stringify(h.slack.eventBody(h.slack.dm(ALICE, "again").event, "Ev0HTTP002"))),
    );
    assert.equal(failed.status, 500);
  });
});

Deno.test("slack account: a rejected token stops the account and says so", async () => {
  const slack = startFakeSlack(BOT, APP);
  const account = createSlackAccount({ accountId: "default", settings: { botToken: "xoxb-wrong", appToken: APP } }, {
    env: { SLACK_API_URL: slack.apiUrl },
    host: { inbound: async () => {}, ready: () => {}, mountWebhook: () => () => {} },
  });
  account.start();
  try {
    await until(() => account.status().lastError !== null, "the error in status");
    assert.match(account.status().lastError!, /Slack rejected the bot token \(invalid_auth\)/);
    assert.equal(account.status().running, false);
    const probe = await account.probe(2000);
    assert.deepEqual([probe.ok, probe.error], [false, "invalid_auth"]);
  } finally {
    await account.stop();
    await slack.stop();
  }
});

Deno.test("slack account: a rejected app token stops the account and names the app token", async () => {
  const slack = startFakeSlack(BOT, APP);
  const account = createSlackAccount({ accountId: "default", settings: { botToken: BOT, appToken: "xapp-wrong" } }, {
    env: { SLACK_API_URL: slack.apiUrl },
    host: { inbound: async () => {}, ready: () => {}, mountWebhook: () => () => {} },
  });
  account.start();
  try {
    await until(() => account.status().lastError !== null, "the error in status");
    assert.match(account.status().lastError!, /^Slack rejected the app token \(invalid_auth\); fix the token/);
    assert.equal(account.status().running, false);
    assert.equal(slack.calls.filter((c) => c === "apps.connections.open").length, 1, "not retried");
  } finally {
    await account.stop();
    await slack.stop();
  }
});

Deno.test("slack account: admit (the account's own gate) fetches no file; only hydrate, after the access gate, does", async () => {
  await withAccount({}, async ({ slack, inbound, fetchedAtAdmit }) => {
    const file = slack.hostFile("diagram.png", "image/png", PNG);
    slack.sendEvent(
      slack.channelMessage(ALICE, FAKE_SLACK.general, "see this", { mention: true, files: [file] }).event,
    );
    await until(() => inbound.length === 1, "the message with its file");
    assert.deepEqual(fetchedAtAdmit, [0]);
    assert.deepEqual(slack.downloads, [file.id]);
    assert.equal(inbound[0]!.media?.length, 1);
  });
});
