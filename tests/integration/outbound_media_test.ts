// Files the agent sends, through the real program: a `MEDIA:` line in a scripted model's answer and a
// `message` tool send with media arrive as uploads at the fake Telegram (multipart sendPhoto) and the
// fake Discord (multipart `files[0]` + `payload_json`), bytes intact; a path outside the workspace and
// the media store is refused with the reference's words (to the model, in the chat, on the CLI).
import assert from "node:assert/strict";
import { startFakeDiscord } from "../support/fake_discord.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "media-out-gateway-token-0123456789";
/** A real 1x1 PNG, so the store's sniffing calls it an image. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);
/** A tiny PDF (the signature is what the store reads). */
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

/** The start of an Ogg stream (the signature is what the store reads). */
const OGG = new Uint8Array([
  0x4f,
  0x67,
  0x67,
  0x53,
  0,
  2,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  2,
  3,
  4,
  0,
  0,
  0,
  0,
  9,
  9,
  9,
  9,
  1,
  19,
]);

type ToolMessage = { role: string; content?: string };

function lastToolResult(request: Record<string, unknown> | undefined): string {
  const tool = ((request?.messages ?? []) as ToolMessage[]).findLast((m) => m.role === "tool");
  assert.ok(tool?.content, "the model got a tool result");
  return tool.content;
}

Deno.test("outbound media on Telegram: a MEDIA: line and a message tool file arrive as uploads; an outside path is refused", async () => {
  const botToken = "123456:MEDIA-out-token";
  const telegram = startFakeTelegram(botToken);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["files"] } } },
    agents: { defaults: { model: { primary: "fake/files" } } },
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
    channels: { telegram: { botToken, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
  });
  const workspace = `${home.stateDir}/workspace`;
  await Deno.mkdir(`${workspace}/out`, { recursive: true });
  await Deno.writeFile(`${workspace}/out/chart.png`, PNG);
  await Deno.writeFile(`${workspace}/report.pdf`, PDF);
  await Deno.writeFile(`${workspace}/note.ogg`, OGG);
  await Deno.writeFile(`${home.home}/secret.png`, PNG);
  upstream.script("files", [
    // The message tool: a workspace file with a caption, back to the chat the run came from.
    // …and an audio file as a voice note (`asVoice`).
    {
      toolCalls: [
        { name: "message", args: { action: "send", media: "report.pdf", message: "The report" } },
        { name: "message", args: { action: "send", media: "note.ogg", asVoice: true } },
      ],
    },
    // The answer: text, a file by MEDIA: line, and one outside what may be sent.
    { text: `Here is the chart.\nMEDIA:./out/chart.png\nMEDIA:${home.home}/secret.png` },
  ]);
  const { proc } = await startGateway({ home: home.home, port });
  const cli = (args: string[]) => runOpenclaw(args, { home: home.home });
  try {
    telegram.push(telegram.text(42, "send me the files"));
    await telegram.waitForSent((s) => s.some((m) => m.text.startsWith("⚠️ secret.png")), 20_000);

    const [report, note, chart] = telegram.uploads;
    assert.equal(telegram.uploads.length, 3, JSON.stringify(telegram.uploads.map((u) => u.method)));
    assert.deepEqual([note!.method, note!.field, note!.fileName], ["sendVoice", "voice", "note.ogg"]);
    assert.deepEqual(note!.bytes, OGG);
    assert.deepEqual([report!.method, report!.field, report!.chatId, report!.caption], [
      "sendDocument",
      "document",
      "42",
      "The report",
    ]);
    assert.deepEqual(report!.bytes, PDF);
    assert.deepEqual([chart!.method, chart!.field, chart!.caption], ["sendPhoto", "photo", undefined]);
    assert.equal(chart!.fileName, "chart.png");
    assert.deepEqual(chart!.bytes, PNG);
    // The text without its MEDIA: lines, then the notice for the refused file (the reference's words).
    assert.deepEqual(telegram.sent.map((m) => m.text), [
      "Here is the chart.",
      "⚠️ secret.png: Delivery failed. Try sending this file again.",
    ]);
    assert.match(proc.output, /secret\.png for 42 refused: Local media path is not under an allowed directory/);
    const toolResult = JSON.parse(lastToolResult(upstream.requestsOf("files")[1]));
    assert.equal(toolResult.ok, true);

    // `openclaw message send --media`: the send method's mediaUrl, checked the same way.
    const sent = await cli([
      "message",
      "send",
      "--channel",
      "telegram",
      "--target",
      "42",
      "--media",
      `${workspace}/out/chart.png`,
      "-m",
      "from the CLI",
    ]);
    assert.equal(sent.code, 0, sent.stderr + sent.stdout);
    assert.deepEqual(telegram.uploads.at(-1)?.caption, "from the CLI");
    const refused = await cli([
      "message",
      "send",
      "--channel",
      "telegram",
      "--target",
      "42",
      "--media",
      `${home.home}/secret.png`,
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr + refused.stdout, /Local media path is not under an allowed directory: .*secret\.png/);
    assert.equal(telegram.uploads.length, 4);
  } finally {
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("outbound media on Discord: message tool and MEDIA: files arrive as multipart attachments; a forbidden path is refused to the model", async () => {
  const botToken = "discord-media-out.integration.test";
  const alice = "1500000000000000001";
  const discord = startFakeDiscord(botToken, { heartbeatIntervalMs: 1000 });
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["files"] } } },
    agents: { defaults: { model: { primary: "fake/files" } } },
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
    channels: { discord: { token: botToken, dmPolicy: "open", allowFrom: ["*"] } },
  });
  const workspace = `${home.stateDir}/workspace`;
  await Deno.mkdir(workspace, { recursive: true });
  await Deno.writeFile(`${workspace}/chart.png`, PNG);
  await Deno.writeFile(`${home.home}/secret.png`, PNG);
  // A link in the workspace to a file outside it is outside too.
  await Deno.symlink(`${home.home}/secret.png`, `${workspace}/link.png`);
  upstream.script("files", [
    { toolCalls: [{ name: "message", args: { action: "send", filePath: "link.png" } }] },
    { toolCalls: [{ name: "message", args: { action: "send", message: "See attached", filePath: "chart.png" } }] },
    { text: "Done.\n\nMEDIA:chart.png" },
  ]);
  const env = { DISCORD_API_URL: discord.apiUrl };
  const { proc } = await startGateway({ home: home.home, env, port });
  try {
    await discord.waitForSessions(1);
    const dm = discord.dmChannel(alice);
    discord.dm(alice, "the chart please");
    await discord.waitForPosted((p) => p.filter((m) => m.files).length >= 2, 20_000);

    const refused = lastToolResult(upstream.requestsOf("files")[1]);
    assert.match(refused, /Local media path is not under an allowed directory: .*link\.png/);
    const withFiles = discord.posted.filter((m) => m.files);
    assert.deepEqual(withFiles.map((m) => [m.channelId, m.content]), [[dm, "See attached"], [dm, ""]]);
    for (const message of withFiles) {
      assert.equal(message.files![0]!.field, "files[0]");
      assert.equal(message.files![0]!.name, "chart.png");
      assert.deepEqual(message.files![0]!.bytes, PNG);
      assert.deepEqual(message.attachments, [{ id: 0, filename: "chart.png" }]);
    }
    // The answer's text went without its MEDIA: line, before the file.
    const texts = discord.posted.filter((m) => m.channelId === dm && !m.files).map((m) => m.content);
    assert.deepEqual(texts, ["Done."]);
    assert.ok(discord.posted.findIndex((m) => m.content === "Done.") < discord.posted.lastIndexOf(withFiles[1]!));
  } finally {
    await proc.stop();
    await discord.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("outbound media on IRC, which carries no files: the answer's text, then the reference's Attachment: line", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["files"] } } },
    agents: { defaults: { model: { primary: "fake/files" } } },
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
    channels: {
      irc: {
        host: "127.0.0.1",
        port: irc.port,
        tls: false,
        nick: "filebot",
        // A channel to see the bot arrive on the server: a DM sent before it has registered is dropped by the server.
        channels: ["#media"],
        dmPolicy: "open",
        allowFrom: ["*"],
        messagesPerSecond: 20,
      },
    },
  });
  await Deno.mkdir(`${home.stateDir}/workspace`, { recursive: true });
  await Deno.writeFile(`${home.stateDir}/workspace/chart.png`, PNG);
  upstream.script("files", [{ text: "Here is the chart.\nMEDIA:./chart.png" }]);
  const { proc } = await startGateway({ home: home.home, port });
  const alice = await IrcTestClient.connect(irc.port, "alice");
  try {
    await alice.join("#media");
    await alice.waitForMember("#media", "filebot");
    await alice.say("filebot", "the chart?");
    const got = await alice.waitFor((m) => m.some((x) => x.text.startsWith("Attachment:")), 20_000);
    assert.deepEqual(got.filter((x) => x.target === "alice").map((x) => x.text), [
      "Here is the chart.",
      "Attachment: ./chart.png",
    ]);
  } finally {
    await alice.close();
    await proc.stop();
    await upstream.stop();
    await irc.stop();
    await home.cleanup();
  }
});
