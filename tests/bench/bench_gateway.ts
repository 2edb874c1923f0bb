// The pieces the pairing scripts share to run a bundle's gateway as the binary runs it (docs/performance.md): a home
// with its config, the spawned `gateway run` with a bare environment, the wait for its port, and a bare WebSocket
// client that answers the challenge and sends requests.
import { freePort, RUNTIME_ENV } from "../support/spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";
import { realisticConfig } from "../support/realistic_config.ts";

/** The token of the bench homes' gateways. */
export const BENCH_TOKEN = "abcdefghijklmnopqrstuvwxyz012345";

/** A temporary home whose config has token auth on a free port, or the realistic config (models, agents, a channel). */
export function benchHome(prefix: string, realistic = false): { home: string; port: number } {
  const home = Deno.makeTempDirSync({ prefix });
  Deno.mkdirSync(`${home}/.openclaw`);
  const port = freePort();
  const config = realistic
    ? realisticConfig(port, BENCH_TOKEN)
    : { gateway: { mode: "local", port, auth: { mode: "token", token: BENCH_TOKEN } } };
  Deno.writeTextFileSync(`${home}/.openclaw/openclaw.json`, JSON.stringify(config));
  return { home, port };
}

/** The `deno` command line of the bundle in `dir` with the compile flags, as the binary runs it. */
export function bundleProgram(dir: string): string[] {
  return [Deno.execPath(), "run", ...compileRunFlags(), "--quiet", "--no-config", `${dir}/main.js`];
}

/**
 * `deno run` arguments for one of the benches' own scripts (a floor server) with the compile flags, so it runs
 * under what the binary runs under; `config` names the deno.json its imports of src/ resolve by (else none).
 */
export function scriptProgram(file: string, config?: string): string[] {
  return ["run", ...compileRunFlags(), ...(config ? ["--config", config] : ["--no-config"]), file];
}

/**
 * The bundle's `gateway run` from `home`, with only HOME, PATH, DENO_DIR (`denoDir`, else the machine's: its code
 * cache) and RUNTIME_ENV set, and its output dropped.
 */
export function spawnBundleGateway(dir: string, home: string, denoDir?: string): Deno.ChildProcess {
  const [deno, ...args] = bundleProgram(dir);
  return new Deno.Command(deno!, {
    args: [...args, "gateway", "run"],
    cwd: home,
    env: {
      HOME: home,
      PATH: "/usr/bin:/bin",
      DENO_DIR: denoDir ?? Deno.env.get("DENO_DIR") ?? "/root/.cache/deno",
      ...RUNTIME_ENV,
    },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/** Stops a spawned process (a gateway, a bare script) by its PID with SIGKILL, one already exited too, and waits for it. */
export async function stopProcess(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // it already exited (a start that failed)
  }
  await child.status;
}

/** A response or event frame, as far as the scripts read it. */
export type BenchFrame = { type?: string; id?: string; ok?: boolean; event?: string };

/** A client that answers the challenge when asked and sends requests, each resolving with its response. */
export function benchClient(port: number) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  const pending = new Map<string, (frame: BenchFrame) => void>();
  const { promise: challenged, resolve: onChallenge } = Promise.withResolvers<void>();
  ws.onmessage = (event) => {
    const frame: BenchFrame = JSON.parse(event.data);
    if (frame.event === "connect.challenge") onChallenge();
    else if (frame.type === "res" && frame.id) pending.get(frame.id)?.(frame);
  };
  let next = 0;
  const request = (method: string, params: unknown) =>
    new Promise<BenchFrame>((resolve) => {
      const id = `r${next++}`;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  return { ws, challenged, request };
}

/** The `connect` parameters of the scripts' read-only operator. */
export function operatorConnect(token: string = BENCH_TOKEN) {
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: "gateway-client", version: "bench", platform: "linux", mode: "backend" },
    role: "operator",
    scopes: ["operator.read"],
    auth: { token },
  };
}
