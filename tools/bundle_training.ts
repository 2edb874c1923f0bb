// The bundle's training run (tools/bundle_eager.ts says why): the freshly built bundle started once
// as the binary runs it, with V8 logging every function it compiles, through a start and a first
// client (`connect`, `health`, `status`), on loopback, in a private HOME and DENO_DIR, then killed.

/** How long the training may take before the build gives up on it. */
const TRAINING_TIMEOUT_MS = 60_000;
const TOKEN = "bundle-training-token-0123456789";

/** Thrown when the training run fails: the bundle is not swapped in. */
export class TrainingRunError extends Error {
  override name = "TrainingRunError";
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The run flags with V8's function events logged to `logPath` (added to the one `--v8-flags`). */
export function withFunctionLog(flags: readonly string[], logPath: string): string[] {
  if (logPath.includes(",")) throw new TrainingRunError(`bundle: the training log path has a comma: ${logPath}`);
  const log = `--log-function-events,--logfile=${logPath},--no-logfile-per-isolate`;
  const v8 = flags.findIndex((flag) => flag.startsWith("--v8-flags="));
  if (v8 === -1) return [...flags, `--v8-flags=${log}`];
  return flags.map((flag, index) => index === v8 ? `${flag},${log}` : flag);
}

/** Opens a client, connects with the token and asks `health` and `status`; resolves once both answered. */
function firstClient(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    const waiting = new Set(["health", "status"]);
    socket.onerror = () => reject(new TrainingRunError("bundle: the training client's socket failed"));
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data));
      if (frame.event === "connect.challenge") {
        const client = { id: "gateway-client", version: "bundle-training", platform: Deno.build.os, mode: "backend" };
        const params = {
          minProtocol: 4,
          maxProtocol: 4,
          client,
          role: "operator",
          scopes: ["operator.read"],
          auth: { token: TOKEN },
        };
        socket.send(JSON.stringify({ type: "req", id: "connect", method: "connect", params }));
      } else if (frame.type === "res" && frame.id === "connect") {
        if (!frame.ok) return reject(new TrainingRunError(`bundle: the training client was refused: ${message.data}`));
        for (const method of waiting) socket.send(JSON.stringify({ type: "req", id: method, method, params: {} }));
      } else if (frame.type === "res" && waiting.delete(frame.id) && waiting.size === 0) {
        socket.onclose = () => resolve();
        socket.close();
      }
    };
  });
}

async function accepting(port: number, exited: Promise<Deno.CommandStatus>): Promise<void> {
  let gone = false;
  void exited.then(() => gone = true);
  for (const started = performance.now(); performance.now() - started < TRAINING_TIMEOUT_MS;) {
    if (gone) throw new TrainingRunError("bundle: the training gateway exited before it accepted connections");
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  throw new TrainingRunError(`bundle: the training gateway did not accept on port ${port} within 60 s`);
}

/**
 * Runs `main.js` in `dir` with `flags` (the compile flags) as `gateway run`, serves one client, and
 * returns V8's function log of it. Throws {@link TrainingRunError} with the gateway's output when it
 * does not start or serve; the process is killed by its PID either way.
 */
export async function trainingLog(dir: string, flags: readonly string[]): Promise<string> {
  const scratch = await Deno.makeTempDir({ prefix: "openclaw-bundle-training-" });
  const home = `${scratch}/home`;
  const logPath = `${scratch}/functions.log`;
  const port = freePort();
  await Deno.mkdir(`${home}/.openclaw`, { recursive: true });
  const config = { gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } };
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...withFunctionLog(flags, logPath), "--quiet", "--no-config", `${dir}/main.js`, "gateway", "run"],
    cwd: home,
    // A private DENO_DIR: the machine's code cache is not written for chunks about to be rewritten.
    env: { HOME: home, DENO_DIR: `${scratch}/deno`, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  try {
    await accepting(port, child.status);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TrainingRunError("bundle: the training client got no answer within 60 s")),
        TRAINING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([firstClient(port), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return await Deno.readTextFile(logPath);
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    const [stdout, stderr] = await output;
    const message = error instanceof Error ? error.message : String(error);
    throw new TrainingRunError(`${message}\n${stdout}${stderr}`.trimEnd());
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    await output.catch(() => {});
    await Deno.remove(scratch, { recursive: true });
  }
}
