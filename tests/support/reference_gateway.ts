// The reference gateway (OpenClaw 2026.9.6) in an isolated home, for recording what its clients
// send: started on a port of the caller's, configured like the gateway under test, stopped by PID.
import { OpenclawProcess, startGateway, tempHome } from "./spawn_gateway.ts";
import { type PeerHome, spawnPeer } from "./peer.ts";

/** A running reference gateway. */
export interface ReferenceGateway {
  proc: OpenclawProcess;
  where: PeerHome;
  port: number;
  /** Stops it by PID (SIGTERM, then SIGKILL after a bound) and removes its home. */
  stop(): Promise<void>;
}

/**
 * The config both gateways get for the client tests: token auth on loopback, the fake model as
 * `fake/m1` (or `fake/<model>`: "slow" streams visibly), the static UI's origin allowed. The
 * reference also gets switches that keep it off the network (startReferenceGateway adds them).
 */
export function clientTestConfig(
  input: { port: number; token: string; upstreamUrl: string; uiOrigin?: string; logFile?: string; model?: string },
): Record<string, unknown> {
  const model = input.model ?? "m1";
  return {
    gateway: {
      mode: "local",
      port: input.port,
      bind: "loopback",
      auth: { mode: "token", token: input.token },
      ...(input.uiOrigin ? { controlUi: { allowedOrigins: [input.uiOrigin] } } : {}),
    },
    ...(input.logFile ? { logging: { file: input.logFile } } : {}),
    models: {
      providers: {
        fake: {
          baseUrl: input.upstreamUrl,
          api: "openai-completions",
          apiKey: "fake-key",
          models: [{ id: model, name: model }],
        },
      },
    },
    agents: { defaults: { model: { primary: `fake/${model}` } } },
  };
}

/** The reference-only switches that keep a test run off the network. */
const REFERENCE_QUIET = {
  discovery: { mdns: { mode: "off" } },
  update: { checkOnStart: false },
};

/** Starts the reference gateway under `root` (made empty) and waits for its `[gateway] ready` line. */
export async function startReferenceGateway(
  input: { root: string; port: number; config: Record<string, unknown>; readyTimeoutMs?: number },
): Promise<ReferenceGateway> {
  await Deno.remove(input.root, { recursive: true }).catch(() => {});
  const where: PeerHome = {
    home: `${input.root}/home`,
    stateDir: `${input.root}/state`,
    configPath: `${input.root}/openclaw.json`,
  };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  const config = structuredClone(input.config) as Record<string, Record<string, unknown>>;
  config.models = { ...config.models, catalogRefresh: { enabled: false } };
  await Deno.writeTextFile(where.configPath, JSON.stringify({ ...config, ...REFERENCE_QUIET }, null, 2));
  let proc: OpenclawProcess;
  try {
    proc = await runReferenceGateway(where, input.port, input.readyTimeoutMs);
  } catch (error) {
    await Deno.remove(input.root, { recursive: true }).catch(() => {});
    throw error;
  }
  const stop = async () => {
    await proc.stop();
    await Deno.remove(input.root, { recursive: true }).catch(() => {});
  };
  return { proc, where, port: input.port, stop };
}

/** Runs the reference gateway on an existing home and waits for its `[gateway] ready` line (stopped by PID on failure). */
export async function runReferenceGateway(
  where: PeerHome,
  port: number,
  readyTimeoutMs = 120_000,
): Promise<OpenclawProcess> {
  const child = spawnPeer(["gateway", "run", "--port", String(port), "--bind", "loopback"], where, {
    OPENCLAW_DISABLE_BONJOUR: "1",
    OPENCLAW_NO_AUTO_UPDATE: "1",
  });
  const proc = new OpenclawProcess(child);
  try {
    await proc.waitForLine(/\[gateway\] ready/, readyTimeoutMs);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return proc;
}

/** A gateway a recorder drives: the reference's or ours, on the caller's port with the same config. */
export interface RecordedGateway {
  stateDir: string;
  /** Everything the gateway printed so far (stdout then stderr): its log lines. */
  output(): string;
  /**
   * Stops the gateway process by PID, keeping its home, then starts a new one on the same port and state dir
   * and waits until it listens: a `gateway restart` as its clients see it. `whileDown` runs in between.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops it by PID and removes its home. */
  stop(): Promise<void>;
}

/**
 * The gateway a recorder runs its steps against: the reference (`target` "ref", under `root`) or ours (any other, a temp
 * home), so the two recordings differ only in the gateway that answered.
 */
export async function startRecordedGateway(
  target: string,
  input: { root: string; port: number; config: Record<string, unknown> },
): Promise<RecordedGateway> {
  if (target === "ref") {
    const ref = await startReferenceGateway(input);
    let proc = ref.proc;
    return {
      stateDir: ref.where.stateDir,
      output: () => proc.output,
      restart: async (whileDown) => {
        await proc.stop();
        await whileDown?.();
        proc = await runReferenceGateway(ref.where, input.port);
      },
      stop: async () => {
        await proc.stop();
        await Deno.remove(input.root, { recursive: true }).catch(() => {});
      },
    };
  }
  const home = await tempHome(input.config);
  let { proc } = await startGateway({ home: home.home, port: input.port });
  return {
    stateDir: home.stateDir,
    output: () => proc.output,
    restart: async (whileDown) => {
      await proc.stop();
      await whileDown?.();
      ({ proc } = await startGateway({ home: home.home, port: input.port }));
    },
    stop: async () => {
      await proc.stop();
      await home.cleanup();
    },
  };
}
