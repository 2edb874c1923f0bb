// The chat a session last talked on is kept where the reference keeps it (the session entry's
// `delivery`): a Telegram DM answered by our gateway, then the reference OpenClaw 2026.9.6 on the
// same state dir delivers a cron job's answer to `last` in that very chat.
import assert from "node:assert/strict";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer, runPeer, spawnPeer } from "../support/peer.ts";
import { freePort, OpenclawProcess, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "route-interop-token-0123456789";
const BOT = "123456:route-interop";

Deno.test("the reference's cron delivers to `last` through the route our gateway recorded for a Telegram DM", async () => {
  requirePeer();
  const telegram = startFakeTelegram(BOT);
  const upstream = startFakeUpstream();
  upstream.script("m1", [{ text: "Hi from ours." }, { text: "The reference's digest." }]);
  const port = freePort();
  const config = {
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: {
      providers: {
        fake: { baseUrl: upstream.url, api: "openai-completions", apiKey: "k", models: [{ id: "m1", name: "m1" }] },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
    channels: { telegram: { botToken: BOT, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
  };
  const home = await tempHome(config);
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  let reference: OpenclawProcess | undefined;
  try {
    const ours = await startGateway({ home: home.home, port });
    try {
      telegram.push(telegram.text(4242, "hello"));
      await telegram.waitForSent((sent) => sent.some((m) => m.text === "Hi from ours."), 30_000);
    } finally {
      assert.equal(await ours.proc.stop(), 0);
    }
    // The same state dir under the reference (kept off the network).
    const quiet = { ...config, discovery: { mdns: { mode: "off" } }, update: { checkOnStart: false } };
    await Deno.writeTextFile(home.configPath, JSON.stringify(quiet, null, 2));
    reference = new OpenclawProcess(
      spawnPeer(["gateway", "run", "--port", String(port), "--bind", "loopback"], where, {
        OPENCLAW_DISABLE_BONJOUR: "1",
        OPENCLAW_NO_AUTO_UPDATE: "1",
      }),
    );
    await reference.waitForLine(/\[gateway\] ready/, 120_000);
    const cli = async (...args: string[]) => {
      const run = await runPeer([...args, "--url", `ws://127.0.0.1:${port}`, "--token", TOKEN], where);
      assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
      return run.stdout;
    };
    const added = JSON.parse(
      await cli(
        "cron",
        "add",
        "--name",
        "digest",
        "--every",
        "1h",
        "--session",
        "isolated",
        "--session-key",
        "agent:main:main",
        "--message",
        "Write the digest.",
        "--announce",
        "--json",
      ),
    ) as { id: string };
    await cli("cron", "run", added.id);
    const sent = await telegram.waitForSent((s) => s.some((m) => m.text === "The reference's digest."), 90_000);
    assert.deepEqual(sent.map((m) => String(m.chatId)), ["4242", "4242"]);
  } finally {
    await reference?.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
