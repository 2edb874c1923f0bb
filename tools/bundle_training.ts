// The bundle's training run (tools/bundle_eager.ts says why): the freshly built bundle started once
// as the binary runs it, with V8 logging every function it compiles, through a start and a first
// client (`connect`, `health`, `status`), on loopback, in a private HOME and DENO_DIR, then killed.

/** How long the training may take before the build gives up on it. */
const TRAINING_TIMEOUT_MS = 60_000;
const TOKEN = "bundle-training-token-0123456789";

/** Thrown when the training run fails; the message says what it was doing and what the gateway printed. */
export class TrainingRunError extends Error {
  override name = "TrainingRunError";
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * The run flags with V8's function events logged to `logPath`, added to the one `--v8-flags`. One
 * file for every isolate (`--no-logfile-per-isolate`): the training starts no worker, and a worker's
 * lines would only name other scripts' functions, never a wrong chunk's.
 */
export function withFunctionLog(flags: readonly string[], logPath: string): string[] {
  if (logPath.includes(",")) {
    throw new Error(`bundle: V8's log path cannot contain a comma: ${logPath} (set TMPDIR to a path without one)`);
  }
  const log = `--log-function-events,--logfile=${logPath},--no-logfile-per-isolate`;
  const v8 = flags.findIndex((flag) => flag.startsWith("--v8-flags="));
  if (v8 === -1) return [...flags, `--v8-flags=${log}`];
  return flags.map((flag, index) => index === v8 ? `${flag},${log}` : flag);
}

/**
 * Connects to the gateway on `port` with the token and asks `health` and `status`; resolves once
 * both have answered, rejects on a refusal, an error answer or a socket that closes first.
 */
function firstClient(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    const waiting = new Set(["health", "status"]);
    const fail = (why: string) => {
      reject(new TrainingRunError(`bundle: the training client on port ${port} ${why}`));
      socket.onclose = null;
      socket.close();
    };
    socket.onerror = () => fail("could not use its socket");
    socket.onclose = (event) => fail(`was closed by the gateway (${event.code} ${event.reason})`);
    socket.onmessage = (message) => {
      let frame: { type?: string; event?: string; id?: string; ok?: boolean };
      try {
        frame = JSON.parse(String(message.data));
      } catch {
        return fail(`got a frame that is not JSON: ${String(message.data).slice(0, 200)}`);
      }
      if (frame.event === "connect.challenge") {
        const client = { id: "gateway-client", version: "bundle-training", platform: Deno.build.os, mode: "backend" };
        const auth = { token: TOKEN };
        const params = { minProtocol: 4, maxProtocol: 4, client, role: "operator", scopes: ["operator.read"], auth };
        socket.send(JSON.stringify({ type: "req", id: "connect", method: "connect", params }));
      } else if (frame.type === "res" && (frame.id === "connect" || waiting.has(frame.id ?? ""))) {
        if (!frame.ok) return fail(`got an error answer to ${frame.id}: ${String(message.data).slice(0, 500)}`);
        if (frame.id === "connect") {
          for (const method of waiting) socket.send(JSON.stringify({ type: "req", id: method, method, params: {} }));
        } else if (waiting.delete(frame.id!) && waiting.size === 0) {
          socket.onclose = () => resolve();
          socket.close();
        }
      }
    };
  });
}

/**
 * Reads the gateway's stdout to its end (a reader that stopped early would leave the gateway writing
 * into a closed pipe). `listening` resolves once it says it listens on `port`, and rejects if it ends first.
 */
function watchStdout(stdout: ReadableStream<Uint8Array>, port: number) {
  const seen: string[] = [];
  const line = `listening on ws://127.0.0.1:${port}`;
  let heard: () => void = () => {};
  let ended: (error: Error) => void = () => {};
  const listening = new Promise<void>((resolve, reject) => {
    heard = resolve;
    ended = reject;
  });
  const done = (async () => {
    try {
      for await (const text of stdout.pipeThrough(new TextDecoderStream())) {
        seen.push(text);
        if (seen.join("").includes(line)) heard();
      }
    } catch {
      // A pipe that fails ends the output as its end would.
    }
    ended(new TrainingRunError(`bundle: the training gateway ended before it listened on port ${port}`));
  })();
  return { listening, done, text: () => seen.join("") };
}

/**
 * Runs `main.js` in `dir` with `flags` (the compile flags) as `gateway run`, serves one client, and
 * returns V8's function log of it. Throws {@link TrainingRunError} with the gateway's output when it
 * does not start or serve within 60 s; the process is killed by its PID either way.
 */
export async function trainingLog(dir: string, flags: readonly string[]): Promise<string> {
  const scratch = await Deno.makeTempDir({ prefix: "openclaw-bundle-training-" });
  const home = `${scratch}/home`;
  const logPath = `${scratch}/functions.log`;
  const port = freePort();
  await Deno.mkdir(`${home}/.openclaw`, { recursive: true });
  const config = { gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } };
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config));
  const args = [
    "run",
    ...withFunctionLog(flags, logPath),
    "--quiet",
    "--no-config",
    `${dir}/main.js`,
    "gateway",
    "run",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: home,
    // A private DENO_DIR: the machine's code cache is not written for chunks about to be rewritten.
    env: { HOME: home, DENO_DIR: `${scratch}/deno`, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = watchStdout(child.stdout, port);
  const stderr = new Response(child.stderr).text();
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    deadline = setTimeout(
      () => reject(new TrainingRunError("bundle: the training run took over 60 s")),
      TRAINING_TIMEOUT_MS,
    );
  });
  const served = (async () => {
    await stdout.listening;
    await firstClient(port);
  })();
  try {
    await Promise.race([served, timeout]);
    return await Deno.readTextFile(logPath);
  } catch (error) {
    kill(child);
    await stdout.done.catch(() => {});
    const output = `${stdout.text()}${await stderr}`.trimEnd();
    throw new TrainingRunError(`${(error as Error).message}. The gateway printed:\n${output || "(nothing)"}`, {
      cause: error,
    });
  } finally {
    clearTimeout(deadline);
    kill(child);
    await child.status;
    await Promise.allSettled([served, stderr, stdout.done, stdout.listening]);
    await Deno.remove(scratch, { recursive: true });
  }
}

function kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch {
    // Already ended.
  }
}
