// Records how the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) keeps a session's settings: what
// `sessions.patch` with `verboseLevel`, `responseUsage`, `reasoningLevel`, `sendPolicy` and `groupActivation`
// answers (valid values, aliases, null, refused values), what `sessions.list`, `sessions.describe`, `chat.history`
// and the stored entry then say (after a reset too), and the reply of runs with a usage footer asked for or
// delivery denied, and a Telegram DM's (the fake Bot API) (tests/support/session_settings_steps.ts). Writes tests/fixtures/session_settings/<target>.json.
//
//   deno run -A tools/record_reference_session_settings.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh).
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";
import { channelSettingsSteps, settingsConfig, settingsSteps } from "../tests/support/session_settings_steps.ts";
import { startFakeTelegram } from "../tests/support/fake_telegram.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-settings-token-0123456789abcd";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const BOT = "123456:record-settings-bot";
const upstream = startFakeUpstream();
const telegram = startFakeTelegram(BOT);
const port = freePort();
const config = settingsConfig({ port, token: TOKEN, upstream, bot: BOT, telegramUrl: telegram.url });
const gateway = await startRecordedGateway(target, { root: "/tmp/sessionsettings/refgw", port, config });
say("gateway up");
const client = await connectReference({
  port,
  token: TOKEN,
  mode: "cli",
  clientName: "cli",
  scopes: ["operator.read", "operator.write", "operator.admin"],
});
try {
  const facts = {
    recorded: `${target === "ref" ? "the reference" : "our"} gateway, by tools/record_reference_session_settings.ts`,
    ...await settingsSteps(client, gateway.stateDir),
    channel: await channelSettingsSteps(client, telegram, () => telegram.sent),
  };
  const out = new URL(`../tests/fixtures/session_settings/${target}.json`, import.meta.url);
  await Deno.mkdir(new URL(".", out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
} finally {
  client.stop();
  await gateway.stop();
  await upstream.stop();
  await telegram.stop();
}
say("done");
