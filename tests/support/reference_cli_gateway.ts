// Our gateway started for the reference CLI to talk to: the config both gateways accept (reference_cli.ts) plus
// whatever a test adds, a fake model upstream, optionally a fake Telegram Bot API with an account on it, and where
// and how the reference CLI is pointed at it.
import { type FakeTelegram, startFakeTelegram } from "./fake_telegram.ts";
import { type FakeUpstream, startFakeUpstream } from "./fake_upstream.ts";
import type { PeerHome } from "./peer.ts";
import { referenceCliConfig } from "./reference_cli.ts";
import { freePort, type OpenclawProcess, startGateway, tempHome } from "./spawn_gateway.ts";

/** A running gateway for the reference CLI: its process and port, the CLI's home and env; `stop` ends it all. */
export interface ReferenceCliGateway {
  proc: OpenclawProcess;
  port: number;
  /** The fake model every agent turn reaches. */
  upstream: FakeUpstream;
  /** The fake Bot API the gateway's Telegram account talks to, when one was asked for. */
  telegram?: FakeTelegram;
  /** The reference CLI's home, state dir and config: the gateway's own, as on the gateway host. */
  where: PeerHome;
  /** The reference CLI's environment: the gateway's port. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts our gateway on a fresh home with the reference CLI's config and `extra` config sections laid over it; with
 * `telegramBotToken`, a fake Bot API and the Telegram account that polls it.
 */
export async function startReferenceCliGateway(
  token: string,
  extra: Record<string, unknown> = {},
  options: { telegramBotToken?: string } = {},
): Promise<ReferenceCliGateway> {
  const upstream = startFakeUpstream();
  const botToken = options.telegramBotToken;
  const telegram = botToken ? startFakeTelegram(botToken) : undefined;
  const port = freePort();
  const channels = telegram ? { channels: { telegram: { enabled: true, botToken, apiRoot: telegram.url } } } : {};
  const home = await tempHome({
    ...referenceCliConfig({ port, token, upstreamUrl: upstream.url }),
    ...channels,
    ...extra,
  });
  const stopFakes = async () => {
    await telegram?.stop();
    await upstream.stop();
    await home.cleanup();
  };
  const started = await startGateway({ home: home.home, port }).catch(async (error) => {
    await stopFakes();
    throw error;
  });
  return {
    proc: started.proc,
    port,
    upstream,
    ...(telegram ? { telegram } : {}),
    where: { home: home.home, stateDir: home.stateDir, configPath: home.configPath },
    env: { OPENCLAW_GATEWAY_PORT: String(port) },
    stop: async () => {
      await started.proc.stop();
      await stopFakes();
    },
  };
}
