// Runs the real program the way the compiled binary runs: the bundle `deno task compile` embeds
// (dist/bundle, rebuilt here when older than its sources), the same permission flags, no project
// config, and a working directory that is not the repo.
import { BUNDLE_MAIN, bundleIsStale } from "../../tools/bundle.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";
import { descendantPids, stopSurvivors } from "./process_tree.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Absolute path of the repository root. */
export const REPO_ROOT = ROOT;

/**
 * What every `deno` that runs the program for a test or bench gets besides its own variables: no check for a newer
 * Deno. The `deno` executable looks one up in the background after start (a DNS query for dl.deno.land and the TLS
 * roots loaded: 1.3–1.7 MB of RSS, docs/performance.md session 37), which the binary's runtime (`denort`) never does,
 * and tests send traffic only to loopback.
 */
export const RUNTIME_ENV: Readonly<Record<string, string>> = { DENO_NO_UPDATE_CHECK: "1" };

/** Returns a port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A private HOME with its own state dir, removed by {@link TempHome.cleanup}. */
export interface TempHome {
  home: string;
  stateDir: string;
  configPath: string;
  cleanup(): Promise<void>;
}

/** Makes a private home directory; `config` (object or raw text) is written as the config file. */
export async function tempHome(config?: unknown): Promise<TempHome> {
  const home = await Deno.makeTempDir({ prefix: "oc-test-" });
  const stateDir = `${home}/.openclaw`;
  const configPath = `${stateDir}/openclaw.json`;
  if (config !== undefined) {
    await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
    const text = typeof config === "string" ? config : JSON.stringify(config, null, 2);
    await Deno.writeTextFile(configPath, text, { mode: 0o600 });
  }
  return { home, stateDir, configPath, cleanup: () => Deno.remove(home, { recursive: true }).catch(() => {}) };
}

/** Options for {@link spawnOpenclaw}. */
export interface SpawnOptions {
  home: string;
  env?: Record<string, string>;
  /** Working directory; defaults to a fresh temp dir outside the repo. */
  cwd?: string;
  /** An open-file limit for the process (`prlimit --nofile`, which execs it: the PID stays the program's). */
  openFiles?: number;
  /** A probe script `deno run --preload`s before the program (the binary has no such flag: tests that look inside). */
  preload?: string;
  /**
   * Start `deno` through a link named `openclaw` (in the home), so the process's command line names `openclaw` as
   * the binary's does: the reference's CLI reads it to know a gateway before it signals or restarts one.
   */
  asOpenclaw?: boolean;
}

/** A running `openclaw` process with its output collected line by line. */
export class OpenclawProcess {
  readonly child: Deno.ChildProcess;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  #waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  /** Set once both output streams have ended: no line can arrive after that. */
  #outputEnded = false;
  #done: Promise<Deno.CommandStatus>;
  #readers: Promise<void>[];

  /**
   * `performance.now()` just before the process was spawned (by default, just after): what the benches time a start
   * from, after the harness's own work (the bundle's freshness check walks the source tree, 8-23 ms), not before it.
   */
  readonly spawnedAt: number;

  /**
   * `ownedCwd`: a temp working directory made for this process, removed once it exits; `spawnedAt`, when the caller
   * took it before spawning (else now).
   */
  constructor(child: Deno.ChildProcess, ownedCwd?: string, spawnedAt = performance.now()) {
    this.child = child;
    this.spawnedAt = spawnedAt;
    this.#readers = [this.#collect(child.stdout, this.stdout), this.#collect(child.stderr, this.stderr)];
    // A process that exits without printing the awaited line fails its waiters at once, with its
    // output, instead of leaving them to their timeout.
    Promise.allSettled(this.#readers).then(async () => {
      this.#outputEnded = true;
      const { code, signal } = await child.status;
      for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#endedError(waiter.pattern, code, signal));
    });
    this.#done = child.status.then(async (status) => {
      if (ownedCwd) await Deno.remove(ownedCwd, { recursive: true }).catch(() => {});
      return status;
    });
  }

  async #collect(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
    let buffer = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let index: number;
      while ((index = buffer.indexOf("\n")) !== -1) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        into.push(line);
        this.#waiters = this.#waiters.filter((w) => {
          if (!w.pattern.test(line)) return true;
          w.resolve(line);
          return false;
        });
      }
    }
    if (buffer) into.push(buffer);
  }

  /** All output so far, stdout then stderr. */
  get output(): string {
    return [...this.stdout, ...this.stderr].join("\n");
  }

  /** Resolves with the first output line matching `pattern`; rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = [...this.stdout, ...this.stderr].find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    if (this.#outputEnded) {
      return this.child.status.then(({ code, signal }) => Promise.reject(this.#endedError(pattern, code, signal)));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${pattern} within ${timeoutMs}ms; output:\n${this.output}`)),
        timeoutMs,
      );
      this.#waiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  #endedError(pattern: RegExp, code: number, signal: Deno.Signal | null): Error {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    return new Error(`the process exited (${how}) before a line matching ${pattern}; output:\n${this.output}`);
  }

  /** Waits for exit (killing after `timeoutMs`) and returns the exit code. */
  async exited(timeoutMs = 15_000): Promise<number> {
    const timer = setTimeout(() => this.kill("SIGKILL"), timeoutMs);
    const status = await this.#done;
    clearTimeout(timer);
    await Promise.all(this.#readers);
    return status.code;
  }

  /** Sends a signal; ignores a process that already exited. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    try {
      this.child.kill(signal);
    } catch {
      // already gone
    }
  }

  /**
   * Stops the process by PID with SIGTERM and returns its exit code; processes it started and
   * left behind (the reference launcher's `openclaw-gateway` child) are stopped by PID as well.
   */
  async stop(): Promise<number> {
    const descendants = descendantPids(this.child.pid);
    this.kill("SIGTERM");
    const code = await this.exited();
    await stopSurvivors(descendants);
    return code;
  }
}

/**
 * Rebuilds dist/bundle when a source is newer. Synchronous on purpose: gateways started together
 * (`Promise.all`) cannot both see it stale and build over each other.
 */
export function ensureFreshBundle(): void {
  if (!bundleIsStale()) return;
  const result = new Deno.Command(Deno.execPath(), {
    args: ["task", "bundle"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!result.success) throw new Error(`deno task bundle failed:\n${new TextDecoder().decode(result.stderr)}`);
}

/** The `deno` arguments that run the program as the binary does, before its own arguments. */
export function programArgs(): string[] {
  return ["run", ...compileRunFlags(), "--quiet", "--no-config", BUNDLE_MAIN];
}

/** Starts `openclaw <args>` from a foreign working directory with a private HOME. */
export async function spawnOpenclaw(args: string[], options: SpawnOptions): Promise<OpenclawProcess> {
  ensureFreshBundle();
  const ownedCwd = options.cwd ? undefined : await Deno.makeTempDir({ prefix: "oc-cwd-" });
  const cwd = options.cwd ?? ownedCwd!;
  const realHome = Deno.env.get("HOME") ?? "/root";
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: options.home,
    // Deno's code cache stays the machine's, so each start does not compile the bundle afresh.
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${realHome}/.cache/deno`,
    NO_COLOR: "1",
    ...RUNTIME_ENV,
    ...options.env,
  };
  const runArgs = programArgs();
  // Before the program's path: deno's own flags end there.
  if (options.preload) runArgs.splice(runArgs.length - 1, 0, "--preload", options.preload);
  let exe = Deno.execPath();
  if (options.asOpenclaw) {
    const bin = `${options.home}/.local/bin`;
    await Deno.mkdir(bin, { recursive: true });
    exe = `${bin}/openclaw`;
    await Deno.symlink(Deno.execPath(), exe).catch((error) => {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    });
  }
  const program = [exe, ...runArgs, ...args];
  const argv = options.openFiles === undefined
    ? program
    : ["prlimit", `--nofile=${options.openFiles}`, "--", ...program];
  const command = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const spawnedAt = performance.now();
  return new OpenclawProcess(command.spawn(), ownedCwd, spawnedAt);
}

/** What a finished `openclaw` command returned and printed. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `openclaw` command to completion, as the binary would run. */
export async function runOpenclaw(args: string[], options: SpawnOptions): Promise<CommandResult> {
  const proc = await spawnOpenclaw(args, options);
  const code = await proc.exited();
  return { code, stdout: proc.stdout.join("\n"), stderr: proc.stderr.join("\n") };
}

/** Starts `openclaw gateway run` and waits until it listens; returns the process and its port. */
export async function startGateway(
  options: SpawnOptions & { args?: string[]; port?: number },
): Promise<{ proc: OpenclawProcess; port: number }> {
  const port = options.port ?? freePort();
  const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port), ...(options.args ?? [])], options);
  try {
    await proc.waitForLine(/listening on ws:\/\//);
  } catch (error) {
    proc.kill("SIGKILL");
    await proc.exited();
    throw error;
  }
  return { proc, port };
}
