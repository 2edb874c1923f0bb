// The reference CLI's `channels list` and `channels remove` on a config our gateway runs: it reads
// the accounts we serve, and `remove --delete` first asks our gateway to stop the account
// (`channels.stop`), which it does, before deleting the config entry; our gateway then runs without it.
import assert from "node:assert/strict";
import { requirePeer, runPeer } from "../support/peer.ts";
import { startReferenceCliGateway } from "../support/reference_cli_gateway.ts";
import { until } from "../support/until.ts";
import { connectReference } from "../support/reference_client.ts";

const TOKEN = "reference-cli-channels-token-0123456789abcdef";
const BOT_TOKEN = "123:reference-cli-channels";

Deno.test("the reference CLI lists our channels and removes one, stopping it on our gateway first", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN, {}, { telegramBotToken: BOT_TOKEN });
  const { where, env, port } = gateway;
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  type Status = { channelAccounts: Record<string, { accountId: string; running?: boolean }[]> };
  const telegramRunning = async () =>
    (await session.request<Status>("channels.status", {})).channelAccounts.telegram?.some((a) => a.running) ?? false;
  try {
    await until(telegramRunning, "Telegram running on our gateway");
    const listed = await runPeer(["channels", "list", "--json"], where, env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).chat.telegram.accounts, ["default"]);

    const removed = await runPeer(["channels", "remove", "--channel", "telegram", "--delete"], where, env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /Deleted Telegram account "default"\./);
    // channels.stop answered: no "Could not stop running Telegram account" warning.
    assert.doesNotMatch(removed.stdout + removed.stderr, /Could not stop/);
    assert.equal(JSON.parse(await Deno.readTextFile(where.configPath)).channels?.telegram, undefined);
    await until(async () => !(await telegramRunning()), "Telegram stopped on our gateway");
  } finally {
    session.stop();
    await gateway.stop();
  }
});
