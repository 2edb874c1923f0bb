// One command started by `exec`: the child (in a process group of its own, so a kill reaches every
// process it started), its bounded output, its timeout and how it ended. The process registry owns
// every session; `exec` waits on it or hands its id to the model, `process` reads and steers it.
import { type ExecExit, tail } from "./exec_output.ts";

/** What to start, and how the model sees it. */
export interface ExecSpawn {
  id: string;
  /** The argv to run (the shell, or bwrap wrapping the shell). */
  argv: string[];
  /** The complete environment (nothing else of the gateway's is inherited). */
  env: Record<string, string>;
  /** The host directory the child starts in. */
  cwd: string;
  /** The command line as the model wrote it. */
  command: string;
  /** The working directory as the model sees it (inside the sandbox: /workspace...). */
  displayCwd: string;
  agentId: string;
  sessionKey: string;
  /** Kills the command after this many seconds; 0 never. */
  timeoutSec: number;
  /** Aggregate output kept, in characters (the reference's 200000). */
  maxOutputChars?: number | undefined;
  /** Output kept between two polls, per stream (the reference's 30000). */
  pendingMaxOutputChars?: number | undefined;
}

/** A chunk of output since the last poll. */
interface Pending {
  stream: "stdout" | "stderr";
  text: string;
}

const DEFAULT_MAX_OUTPUT = 200_000;
const DEFAULT_PENDING_MAX = 30_000;
/** The longest delay a timer takes (2^31-1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_SAFE_TIMEOUT_DELAY_MS = 2_147_483_647;

/** A timeout in seconds a timer can hold (as the reference's resolveSafeTimeoutDelayMs bounds it); 0 stays "never". */
export function clampTimeoutSec(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(seconds, Math.floor(MAX_SAFE_TIMEOUT_DELAY_MS / 1000));
}

/** How long output is still read after the command exited and its group was killed. */
const PIPE_GRACE_MS = 2000;

/** A running or finished command. */
export class ExecSession {
  readonly id: string;
  readonly command: string;
  readonly cwd: string;
  readonly agentId: string;
  readonly sessionKey: string;
  readonly startedAt = Date.now();
  readonly timeoutSec: number;
  /** Set once `exec` returned without waiting: only then does `process` steer it. */
  backgrounded = false;
  /** Set when `process kill` asked it to stop. */
  cancellationRequested = false;
  endedAt: number | undefined;
  exit: ExecExit | undefined;
  /** When output last came (the start until then); `process` tells an idle command from a busy one. */
  lastOutputAt = this.startedAt;
  #child: Deno.ChildProcess;
  #stdin: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #aggregated = "";
  #totalChars = 0;
  #truncated = false;
  #pending: Pending[] = [];
  #pendingChars = { stdout: 0, stderr: 0 };
  #pendingDropped = false;
  #maxOutput: number;
  #pendingMax: number;
  #killReason: ExecExit["reason"] | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #listeners = new Set<() => void>();
  /** Settles once the process exited and its output is read. */
  readonly done: Promise<ExecExit>;

  /** Starts the child; throws the operating system's error when it cannot start. */
  constructor(spawn: ExecSpawn) {
    this.id = spawn.id;
    this.command = spawn.command;
    this.cwd = spawn.displayCwd;
    this.agentId = spawn.agentId;
    this.sessionKey = spawn.sessionKey;
    this.timeoutSec = spawn.timeoutSec;
    this.#maxOutput = spawn.maxOutputChars ?? DEFAULT_MAX_OUTPUT;
    this.#pendingMax = Math.min(spawn.pendingMaxOutputChars ?? DEFAULT_PENDING_MAX, this.#maxOutput);
    const [program, ...args] = spawn.argv;
    // detached: the child leads a new session and process group, so killing -pid reaches all it started.
    this.#child = new Deno.Command(program!, {
      args,
      env: spawn.env,
      clearEnv: true,
      cwd: spawn.cwd,
      detached: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#stdin = this.#child.stdin.getWriter();
    if (spawn.timeoutSec > 0) {
      const delay = Math.min(MAX_SAFE_TIMEOUT_DELAY_MS, Math.max(1, Math.floor(spawn.timeoutSec * 1000)));
      this.#timer = setTimeout(() => this.kill("overall-timeout"), delay);
    }
    this.done = this.#run();
  }

  /** The child's process id (the process group's id too). */
  get pid(): number {
    return this.#child.pid;
  }

  /** Whether it has ended. */
  get exited(): boolean {
    return this.exit !== undefined;
  }

  /** Every character kept (the last {@link ExecSpawn.maxOutputChars}). */
  get aggregated(): string {
    return this.#aggregated;
  }

  /** The last 2000 characters. */
  get tail(): string {
    return tail(this.#aggregated, 2000);
  }

  /** Whether output was dropped (the aggregate cap or a pending cap). */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Whether more was printed than is kept. */
  get outputDropped(): boolean {
    return this.#totalChars > this.#aggregated.length;
  }

  /** Whether stdin still takes input. */
  get stdinWritable(): boolean {
    return this.#stdin !== undefined && !this.exited;
  }

  /** Calls `listener` after each chunk of output; returns the unsubscribe. */
  onOutput(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Output since the last drain, in the order it came, and whether some of it was dropped. */
  drain(): { output: string; dropped: boolean } {
    const output = this.#pending.map((chunk) => chunk.text).join("");
    const dropped = this.#pendingDropped;
    this.#pending = [];
    this.#pendingChars = { stdout: 0, stderr: 0 };
    this.#pendingDropped = false;
    return { output, dropped };
  }

  /** Whether output waits for a poll. */
  get hasPending(): boolean {
    return this.#pending.length > 0 || this.#pendingDropped;
  }

  /** Writes to the command's stdin. */
  async write(data: string | Uint8Array, options: { eof?: boolean } = {}): Promise<number> {
    if (!this.#stdin) throw new Error(`Write to session ${this.id} failed: stdin is closed`);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    await this.#stdin.write(bytes);
    if (options.eof) await this.closeStdin();
    return bytes.length;
  }

  /** Closes stdin (end of input). */
  async closeStdin(): Promise<void> {
    const writer = this.#stdin;
    this.#stdin = undefined;
    await writer?.close().catch(() => {});
  }

  /** Kills the whole process group (SIGKILL); a no-op once it ended. */
  kill(reason: ExecExit["reason"]): void {
    if (this.exited) return;
    this.#killReason ??= reason;
    this.#killGroup();
  }

  #killGroup(): void {
    try {
      Deno.kill(-this.#child.pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  }

  #append(stream: "stdout" | "stderr", text: string): void {
    this.lastOutputAt = Date.now();
    this.#pending.push({ stream, text });
    this.#pendingChars[stream] += text.length;
    let overflow = this.#pendingChars[stream] - this.#pendingMax;
    if (overflow > 0) {
      this.#truncated = true;
      this.#pendingDropped = true;
      // Drop this stream's oldest pending output; the other stream's stays.
      for (const chunk of this.#pending) {
        if (overflow <= 0) break;
        if (chunk.stream !== stream) continue;
        const cut = Math.min(chunk.text.length, overflow);
        chunk.text = chunk.text.slice(cut);
        overflow -= cut;
        this.#pendingChars[stream] -= cut;
      }
      this.#pending = this.#pending.filter((chunk) => chunk.text.length > 0);
    }
    this.#totalChars += text.length;
    const joined = this.#aggregated + text;
    if (joined.length > this.#maxOutput) this.#truncated = true;
    this.#aggregated = tail(joined, this.#maxOutput);
    for (const listener of this.#listeners) listener();
  }

  async #read(stream: ReadableStream<Uint8Array>, name: "stdout" | "stderr", signal: AbortSignal): Promise<void> {
    for await (const text of stream.pipeThrough(new TextDecoderStream(), { signal })) this.#append(name, text);
  }

  async #run(): Promise<ExecExit> {
    const stopReading = new AbortController();
    const reading = Promise.all([
      this.#read(this.#child.stdout, "stdout", stopReading.signal),
      this.#read(this.#child.stderr, "stderr", stopReading.signal),
    ]).catch(() => {});
    const status = await this.#child.status;
    // What the shell left running (`cmd &`) dies with it, and stops holding the output pipes open.
    this.#killGroup();
    // A process that left the group (its own setsid) could hold the pipes open for ever: the
    // output it had written by now is read, the rest is not waited for.
    const grace = setTimeout(() => stopReading.abort(), PIPE_GRACE_MS);
    await reading;
    clearTimeout(grace);
    clearTimeout(this.#timer);
    await this.closeStdin();
    const reason = this.#killReason ?? (status.signal ? "signal" : "exit");
    const exit: ExecExit = {
      reason,
      exitCode: status.signal ? null : status.code,
      exitSignal: status.signal ?? null,
    };
    this.endedAt = Date.now();
    this.exit = exit;
    for (const listener of this.#listeners) listener();
    return exit;
  }
}
