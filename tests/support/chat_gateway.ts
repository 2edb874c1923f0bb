// A gateway serving /v1/chat/completions from the fake model, as the benchmarks run it.

import { type FakeUpstream, startFakeUpstream } from "./fake_upstream.ts";
import { freePort, type OpenclawProcess, spawnOpenclaw, tempHome } from "./spawn_gateway.ts";

/** A running gateway with chat completions on, its fake upstream, and how to stop both. */
export interface ChatGateway {
  proc: OpenclawProcess;
  port: number;
  upstream: FakeUpstream;
  /** Stops the gateway by PID, then the upstream, then removes the home. */
  stop(): Promise<void>;
}

/**
 * Starts the gateway (token auth, chat completions enabled, model `fake/m1`) and waits until it listens;
 * `prepare` may fill its state dir first (a workspace's files).
 */
export async function startChatGateway(
  token: string,
  prepare?: (stateDir: string) => Promise<void>,
): Promise<ChatGateway> {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    models: { providers: { fake: { baseUrl: upstream.url, models: ["m1", "chunks-10", "chunks-200", "burst-200"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  await prepare?.(home.stateDir);
  const port = freePort();
  const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port)], { home: home.home });
  const stop = async () => {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  };
  try {
    await proc.waitForLine(/listening on/);
  } catch (error) {
    await stop();
    throw error;
  }
  return { proc, port, upstream, stop };
}
