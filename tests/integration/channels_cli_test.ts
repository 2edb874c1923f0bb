import assert from "node:assert/strict";
import { runOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { dailyLogName } from "../../src/log/setup.ts";

const FOOTER =
  "\nModel provider usage moved out of `channels list` — see `openclaw status` or `openclaw models list`." +
  "\nDocs: https://docs.openclaw.ai/gateway/configuration";

Deno.test("openclaw channels add/list/remove edit the config as the reference does; bad input changes nothing", async () => {
  const home = await tempHome('{\n  // kept by hand\n  "gateway": { "mode": "local" }\n}\n');
  const cli = (...args: string[]) => runOpenclaw(["channels", ...args], { home: home.home });
  const config = async () => JSON.parse(await Deno.readTextFile(home.configPath));
  try {
    const empty = await cli("list");
    assert.equal(
      empty.stdout,
      "Chat channels:\n- no configured chat channels (run `openclaw channels list --all` to see installable channels)\n" +
        FOOTER,
    );
    const first = await cli("add", "--channel", "telegram", "--token", "123:abc");
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'Added Telegram account "default".');
    // The file had a comment: the write says it drops it, as the reference does.
    assert.match(first.stderr, /strip JSON5 comments/);
    for (
      const args of [
        ["add", "discord", "--token", "dtok", "--account", "work", "--name", "Work"],
        ["add", "--channel", "slack", "--bot-token", "xoxb-1", "--app-token", "xapp-1"],
        ["add", "--channel", "irc", "--host", "irc.example.org", "--nick", "claw", "--channels", "#a,#b", "--tls"],
        ["add", "--channel", "telegram", "--token", "999:zzz", "--account", "alt", "--name", "Alt"],
        ["add", "--channel", "whatsapp", "--name", "Phone"],
      ]
    ) {
      const added = await cli(...args);
      assert.equal(added.code, 0, `${args.join(" ")}: ${added.stderr}`);
    }
    const written = await config();
    assert.deepEqual(written.channels.telegram, {
      enabled: true,
      accounts: { default: { botToken: "123:abc" }, alt: { name: "Alt", enabled: true, botToken: "999:zzz" } },
    });
    assert.deepEqual(written.channels.irc, {
      enabled: true,
      host: "irc.example.org",
      tls: true,
      nick: "claw",
      channels: ["#a", "#b"],
    });
    assert.equal(written.gateway.mode, "local");
    const listed = await cli("list");
    assert.equal(
      listed.stdout,
      [
        "Chat channels:",
        "- Telegram alt (Alt): installed, configured, enabled, token=***",
        "- Telegram default: installed, configured, enabled, token=***",
        "- Discord default: installed, not configured, enabled, token=***",
        "- Discord work (Work): installed, configured, enabled, token=***",
        "- Slack default: installed, configured, enabled, bot=config, app=config",
        "- IRC default: installed, configured, enabled",
        "- WhatsApp default (Phone): installed, enabled, not linked",
        "",
      ].join("\n") + FOOTER,
    );
    assert.deepEqual(JSON.parse((await cli("list", "--json")).stdout).chat.discord, {
      accounts: ["default", "work"],
      label: "Discord",
      docsPath: "/channels/discord",
      installed: true,
      origin: "configured",
    });

    // Refusals: the reference's words, exit 1, and the file untouched.
    const before = await Deno.readTextFile(home.configPath);
    const refusals: [string[], string][] = [
      [["add", "--channel", "bogus", "--token", "x"], 'Unknown channel "bogus".'],
      [["add", "--channel", "telegram", "--account", "", "--token", "x"], "--account must not be blank"],
      [["add", "--channel", "discord", "--bot-token", "x"], 'OpenClaw does not recognize option "--bot-token".'],
      [["add", "--channel", "irc", "--host", "h", "--port", "99999"], "--port must be an integer"],
      [["add", "--channel", "telegram"], "Interactive channel setup requires a TTY."],
      [["remove", "--channel", "discord", "--account", "nope", "--delete"], 'Discord has no account "nope" to remove.'],
      [["remove", "--channel", "telegram", "--account", "alt"], "wizard cancelled"],
    ];
    for (const [args, message] of refusals) {
      const result = await cli(...args);
      assert.equal(result.code, 1, args.join(" "));
      assert.ok(result.stderr.includes(message), `${args.join(" ")}: ${result.stderr}`);
    }
    assert.equal(await Deno.readTextFile(home.configPath), before);

    const deleted = await cli("remove", "--channel", "slack", "--delete");
    assert.equal(deleted.stdout, 'Deleted Slack account "default".');
    assert.equal((await cli("remove", "--channel", "discord", "--account", "work", "--delete")).code, 0);
    const after = await config();
    assert.equal(after.channels.slack, undefined);
    assert.deepEqual(after.channels.discord, { enabled: true, accounts: { default: {} } });
  } finally {
    await home.cleanup();
  }
});

Deno.test("openclaw channels logs reads the gateway's log file filtered to one channel", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  const line = (subsystem: string, message: string, time: string) =>
    JSON.stringify({
      "0": JSON.stringify({ subsystem }),
      "1": message,
      _meta: { logLevelName: "INFO", name: JSON.stringify({ subsystem }) },
      time,
      message,
    });
  try {
    await Deno.mkdir(`${home.stateDir}/logs`, { recursive: true });
    await Deno.writeTextFile(
      `${home.stateDir}/logs/${dailyLogName(new Date())}`,
      [
        line("channels/telegram", "polling started", "2026-11-30T10:00:00.000+00:00"),
        line("gateway", "listening", "2026-11-30T10:00:01.000+00:00"),
        line("discord-archive", "not discord", "2026-11-30T10:00:02.000+00:00"),
        line("gateway/channels/discord", "connected", "2026-11-30T10:00:03.000+00:00"),
        line("telegram/send", "sent", "2026-11-30T10:00:04.000+00:00"),
      ].join("\n") + "\n",
    );
    const cli = (...args: string[]) => runOpenclaw(["channels", "logs", ...args], { home: home.home });
    const telegram = await cli("--channel", "telegram");
    assert.equal(telegram.code, 0, telegram.stderr);
    const file = `${home.stateDir}/logs/${dailyLogName(new Date())}`;
    assert.equal(
      telegram.stdout,
      `Log file: ${file}\nChannel: telegram\n2026-11-30T10:00:00.000+00:00 info polling started\n2026-11-30T10:00:04.000+00:00 info sent`,
    );
    const discord = JSON.parse((await cli("--channel", "discord", "--json")).stdout);
    assert.equal(discord.channel, "discord");
    assert.deepEqual(discord.lines.map((l: { message: string }) => l.message), ["connected"]);
    const last = JSON.parse((await cli("--lines", "1", "--json")).stdout);
    assert.deepEqual(last.lines.map((l: { message: string }) => l.message), ["sent"]);
    assert.equal(last.truncated, true);
    const bad = await cli("--lines", "0");
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "--lines must be a positive integer.");
    assert.match((await cli("--channel", "nope")).stderr, /^Unknown channel "nope". Valid channels: all, /);
  } finally {
    await home.cleanup();
  }
});
