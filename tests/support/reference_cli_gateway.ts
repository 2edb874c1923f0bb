// Our gateway started for the reference CLI to talk to: the config both gateways accept (reference_cli.ts) plus
// whatever a test adds, a fake model upstream, and where and how the reference CLI is pointed at it.
import { startFakeUpstream } from "./fake_upstream.ts";
import type { PeerHome } from "./peer.ts";
import { referenceCliConfig } from "./reference_cli.ts";
import { freePort, type OpenclawProcess, startGateway, tempHome } from "./spawn_gateway.ts";

/** A running gateway for the reference CLI: its process and port, the CLI's home and env; `stop` ends it all. */
export interface ReferenceCliGateway {
  proc: OpenclawProcess;
  port: number;
  /** The reference CLI's home, state dir and config: the gateway's own, as on the gateway host. */
  where: PeerHome;
  /** The reference CLI's environment: the gateway's port. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts our gateway on a fresh home with the reference CLI's config and `extra` config sections laid over it. */
export async function startReferenceCliGateway(
  token: string,
  extra: Record<string, unknown> = {},
): Promise<ReferenceCliGateway> {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({ ...referenceCliConfig({ port, token, upstreamUrl: upstream.url }), ...extra });
  const started = await startGateway({ home: home.home, port }).catch(async (error) => {
    await upstream.stop();
    await home.cleanup();
    throw error;
  });
  return {
    proc: started.proc,
    port,
    where: { home: home.home, stateDir: home.stateDir, configPath: home.configPath },
    env: { OPENCLAW_GATEWAY_PORT: String(port) },
    stop: async () => {
      await started.proc.stop();
      await upstream.stop();
      await home.cleanup();
    },
  };
}
