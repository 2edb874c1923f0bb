import assert from "node:assert/strict";
import { join } from "node:path";
import { slackSignature } from "../../src/channels/slack/signature.ts";
import { FAKE_SLACK, startFakeSlack } from "../support/fake_slack.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import {
  ensureFreshBundle,
  freePort,
  REPO_ROOT,
  runOpenclaw,
  startGateway,
  tempHome,
} from "../support/spawn_gateway.ts";

const TOKEN = "slack-gw-token-0123456789abcdef";
const BOT = "xoxb-integration-bot-token";
const APP = "xapp-integration-app-token";
const SECRET = "integration-signing-secret-0123";
const ALICE = "U0ALICE01";
const BOB = "U0BOB0001";

Deno.test("slack socket mode: pairing, an approved DM answered, channel mention gate, thread replies, reconnect", async () => {
  const slack = startFakeSlack(BOT, APP);
  const upstream = startFakeUpstream();
  upstream.script("slackbot", [
    { text: "Hello from the scripted model." },
    { text: "Answered in the channel." },
    { text: "Answered in the thread." },
    { text: "Answered after the drop." },
    { text: "Got your file." },
  ]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["slackbot"] } } },
    agents: { defaults: { model: { primary: "fake/slackbot" } } },
    channels: {
      slack: {
        botToken: { source: "env", provider: "default", id: "SLACK_BOT_TOKEN" },
        channels: { [FAKE_SLACK.general]: { requireMention: true } },
      },
    },
  });
  // The app token comes from SLACK_APP_TOKEN, the default account's fallback.
  const env = { SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP };
  const cli = (args: string[]) => runOpenclaw(args, { home: home.home, env });
  const { proc } = await startGateway({ home: home.home, env, port });
  try {
    await proc.waitForLine(/slack\/default: socket mode connected as openclaw/);
    const dm = slack.dmChannel(ALICE);

    // A DM from an unknown user, with a file: a pairing code in the DM, no agent run, the file never fetched.
    const strangers = slack.hostFile("stranger.png", "image/png", new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    slack.sendEvent(slack.dm(ALICE, "hello", { files: [strangers], subtype: "file_share" }).event);
    await slack.waitFor("the pairing reply", () => slack.posts.length >= 1);
    assert.equal(slack.posts[0]!.channel, dm);
    // Word for word as the reference posted it (recorded from OpenClaw 2026.9.6 against this fake).
    const code = /```\n([A-Z2-9]{8})\n```/.exec(slack.posts[0]!.text)![1]!;
    assert.equal(
      slack.posts[0]!.text,
      `OpenClaw: access not configured.\n\nYour Slack user id: ${ALICE}\nPairing code:\n\n\`\`\`\n${code}\n\`\`\`\nAsk the bot owner to approve with:\n\n\`\`\`\nopenclaw pairing approve slack ${code}\n\`\`\``,
    );
    assert.equal(upstream.requestsOf("slackbot").length, 0);
    assert.deepEqual(slack.downloads, []);
    const approved = await cli(["pairing", "approve", "slack", code, "--notify"]);
    assert.equal(approved.code, 0, approved.stderr + approved.stdout);
    await slack.waitFor(
      "the approval notice",
      () => slack.posts.some((p) => p.channel === dm && p.text.startsWith("✅ OpenClaw access approved.")),
    );

    // Approved: the scripted model answers in the DM, top level (replyToMode off).
    slack.sendEvent(slack.dm(ALICE, "what can you do?").event);
    await slack.waitFor("the DM answer", () => slack.posts.some((p) => p.text === "Hello from the scripted model."));
    const answer = slack.posts.find((p) => p.text === "Hello from the scripted model.")!;
    assert.deepEqual([answer.channel, answer.threadTs], [dm, undefined]);

    // Channel: no mention → dropped (requireMention); a mention → answered in the channel.
    slack.sendEvent(slack.channelMessage(BOB, FAKE_SLACK.general, "just talking").event);
    await proc.waitForLine(new RegExp(`slack: drop channel ${FAKE_SLACK.general} sender ${BOB} \\(missing-mention\\)`));
    const root = slack.channelMessage(BOB, FAKE_SLACK.general, "tell me", { mention: true });
    slack.sendEvent(root.event);
    await slack.waitFor("the channel answer", () => slack.posts.some((p) => p.text === "Answered in the channel."));
    const inChannel = slack.posts.find((p) => p.text === "Answered in the channel.")!;
    assert.deepEqual([inChannel.channel, inChannel.threadTs], [FAKE_SLACK.general, undefined]);
    assert.equal(
      (upstream.requestsOf("slackbot")[1] as { messages: { content: string }[] }).messages.at(-1)!.content,
      "Bob: tell me",
    );
    // A mention inside a thread is answered in that thread.
    slack.sendEvent(
      slack.channelMessage(BOB, FAKE_SLACK.general, "and here?", { mention: true, threadTs: root.ts }).event,
    );
    await slack.waitFor("the thread answer", () => slack.posts.some((p) => p.text === "Answered in the thread."));
    const inThread = slack.posts.find((p) => p.text === "Answered in the thread.")!;
    assert.deepEqual([inThread.channel, inThread.threadTs], [FAKE_SLACK.general, root.ts]);

    // The socket drops: the account reconnects and answers what arrives on the new connection.
    slack.drop();
    await proc.waitForLine(/slack\/default: socket closed; reconnecting/);
    await slack.waitFor("a second connection", () => slack.connections() === 2 && slack.openSockets() === 1, 15_000);
    slack.sendEvent(slack.dm(ALICE, "are you still there?").event);
    await slack.waitFor(
      "the answer after the drop",
      () => slack.posts.some((p) => p.text === "Answered after the drop."),
    );

    // A file in a DM is fetched with the bot token and kept in the gateway's media store.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const file = slack.hostFile("photo.png", "image/png", png);
    slack.sendEvent(slack.dm(ALICE, "look", { files: [file], subtype: "file_share" }).event);
    await slack.waitFor("the file answer", () => slack.posts.some((p) => p.text === "Got your file."));
    const inbound = (await Array.fromAsync(Deno.readDir(join(home.stateDir, "media", "inbound")))).map((e) => e.name);
    assert.equal(inbound.length, 1, inbound.join());
    assert.deepEqual(slack.downloads, [file.id], "only the admitted sender's file was fetched");
    assert.match(inbound[0]!, /^photo---[0-9a-f-]{36}\.png$/);
    assert.deepEqual(await Deno.readFile(join(home.stateDir, "media", "inbound", inbound[0]!)), png);

    // Status and a live probe (auth.test) through the real CLI.
    const probed = await cli(["channels", "status", "--probe", "--json"]);
    assert.equal(probed.code, 0, probed.stderr);
    const accounts = JSON.parse(probed.stdout.slice(probed.stdout.indexOf("{"))).channelAccounts.slack as {
      connected: boolean;
      mode: string;
      bot?: { username: string };
      probe: { ok: boolean };
    }[];
    assert.equal(accounts[0]!.connected, true);
    assert.equal(accounts[0]!.mode, "socket");
    assert.equal(accounts[0]!.bot?.username, FAKE_SLACK.botName);
    assert.equal(accounts[0]!.probe.ok, true);
    const sent = await cli([
      "message",
      "send",
      "--channel",
      "slack",
      "--target",
      `channel:${FAKE_SLACK.other}`,
      "--message",
      "ping",
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.ok(slack.posts.some((p) => p.channel === FAKE_SLACK.other && p.text === "ping"));
    // Every envelope was acknowledged; nothing from the SDKs on the console.
    assert.equal(slack.acked.length, 7);
    assert.deepEqual(proc.output.split("\n").filter((line) => /\(node:\d+\)|DeprecationWarning/.test(line)), []);
  } finally {
    await proc.stop();
    await slack.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

async function post(port: number, body: string, headers: Record<string, string> = {}, secret = SECRET) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`http://127.0.0.1:${port}/hooks/slack`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": await slackSignature(secret, timestamp, body),
      ...headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

Deno.test("slack http events on the gateway's port: url_verification, signature refusals, retries answered once", async () => {
  const slack = startFakeSlack(BOT, APP);
  const upstream = startFakeUpstream();
  upstream.script("slackhttp", [{ text: "Answered over HTTP." }, { text: "Never sent twice." }]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["slackhttp"] } } },
    agents: { defaults: { model: { primary: "fake/slackhttp" } } },
    channels: {
      slack: {
        mode: "http",
        botToken: BOT,
        signingSecret: SECRET,
        webhookPath: "/hooks/slack",
        dmPolicy: "allowlist",
        allowFrom: [ALICE],
      },
    },
  });
  const env = { SLACK_API_URL: slack.apiUrl };
  const { proc } = await startGateway({ home: home.home, env, port });
  try {
    await proc.waitForLine(/slack\/default: HTTP events at \/hooks\/slack as openclaw/);
    assert.ok(!slack.calls.includes("apps.connections.open"));
    const challenge = await post(port, JSON.stringify({ token: "t", challenge: "c-123", type: "url_verification" }));
    assert.deepEqual(challenge, { status: 200, text: '{"challenge":"c-123"}' });

    const event = JSON.stringify(slack.eventBody(slack.dm(ALICE, "over http").event, "Ev0INTEG01"));
    assert.deepEqual(await post(port, event, {}, "a-forged-secret"), { status: 401, text: "" });
    assert.deepEqual(await post(port, event, { "x-slack-request-timestamp": "1500000000" }), { status: 401, text: "" });
    await proc.waitForLine(/Failed to verify authenticity: signature mismatch/);

    assert.deepEqual(await post(port, event), { status: 200, text: "" });
    await slack.waitFor("the HTTP answer", () => slack.posts.some((p) => p.text === "Answered over HTTP."));
    // Slack retries (same event_id, X-Slack-Retry-Num): acknowledged, never answered again.
    assert.deepEqual(await post(port, event, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }), {
      status: 200,
      text: "",
    });
    await proc.waitForLine(/inbound Ev0INTEG01 already \w+; not answered again/);
    assert.equal(upstream.requestsOf("slackhttp").length, 1);
    assert.equal(slack.posts.filter((p) => p.text === "Answered over HTTP.").length, 1);
  } finally {
    await proc.stop();
    await slack.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("slack: the SDK chunk is off the start path (imported only in the form Deno does not prefetch)", async () => {
  ensureFreshBundle();
  const dir = join(REPO_ROOT, "dist", "bundle");
  const chunks = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".js")) {
      chunks.set(entry.name, await Deno.readTextFile(join(dir, entry.name)));
    }
  }
  const slackChunk = [...chunks].find(([, text]) => text.includes('"createSlackAccount"'))?.[0];
  assert.ok(slackChunk, "a chunk defines createSlackAccount");
  for (const [name, text] of chunks) {
    assert.ok(!text.includes(`import("./${slackChunk}")`), `${name} imports the Slack chunk statically`);
    assert.ok(!new RegExp(`from\\s*"\\./${slackChunk}"`).test(text), `${name} imports the Slack chunk at load`);
  }
});
