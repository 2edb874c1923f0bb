// A terminal program (the reference `openclaw tui`) run in a private tmux server: keys go in with
// send-keys, the screen comes back with capture-pane, and waits are on text with a deadline. The
// server has its own socket and is stopped by its PID.
import { until } from "./until.ts";

/** Options of {@link TmuxTui.start}. */
export interface TmuxTuiOptions {
  /** Directory for the server's socket (a short path: sockets have a length limit). */
  dir: string;
  /** The program and its arguments. */
  argv: string[];
  /** The whole environment of the server and the program (nothing else is inherited). */
  env: Record<string, string>;
  cwd?: string;
  width?: number;
  height?: number;
}

/** One tmux server running one program in one pane. */
export class TmuxTui {
  #socket: string;
  #pids: number[];

  private constructor(socket: string, pids: number[]) {
    this.#socket = socket;
    this.#pids = pids;
  }

  /** Starts the server with the program in a detached session. */
  static async start(options: TmuxTuiOptions): Promise<TmuxTui> {
    const socket = `${options.dir}/tmux.sock`;
    const env = { TERM: "xterm-256color", LANG: "C.UTF-8", ...options.env };
    await tmux(socket, env, [
      "new-session",
      "-d",
      "-s",
      "tui",
      "-x",
      String(options.width ?? 160),
      "-y",
      String(options.height ?? 48),
      ...(options.cwd ? ["-c", options.cwd] : []),
      ...options.argv,
    ]);
    // The pane stays after the program exits so its last screen can still be read.
    await tmux(socket, env, ["set-option", "-t", "tui", "remain-on-exit", "on"]);
    const pids = await tmux(socket, env, ["display-message", "-p", "-t", "tui", "#{pane_pid} #{pid}"]);
    return new TmuxTui(socket, pids.trim().split(" ").map(Number));
  }

  /** The pane's visible text, lines joined with newlines. */
  async screen(): Promise<string> {
    return await tmux(this.#socket, {}, ["capture-pane", "-p", "-J", "-t", "tui"]);
  }

  /** Types `text` literally (no key names), without pressing Enter. */
  async type(text: string): Promise<void> {
    await tmux(this.#socket, {}, ["send-keys", "-t", "tui", "-l", text]);
  }

  /** Presses named keys (`Enter`, `C-c`, ...). */
  async press(...keys: string[]): Promise<void> {
    await tmux(this.#socket, {}, ["send-keys", "-t", "tui", ...keys]);
  }

  /** Waits until the screen matches `pattern`; the error shows the last screen. */
  async waitFor(pattern: RegExp, what: string, timeoutMs = 20_000): Promise<string> {
    let last = "";
    try {
      await until(async () => pattern.test(last = await this.screen()), what, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nthe screen:\n${last}`);
    }
    return last;
  }

  /** Kills the program, then the server, by PID. */
  async stop(): Promise<void> {
    for (const pid of this.#pids) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await Deno.remove(this.#socket).catch(() => {});
  }
}

async function tmux(socket: string, env: Record<string, string>, args: string[]): Promise<string> {
  const command = new Deno.Command("tmux", {
    args: ["-S", socket, ...args],
    env: { PATH: "/usr/local/bin:/usr/bin:/bin", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const out = await command.output().catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error("tmux is not installed (apt-get install tmux; .ci/run does it)");
    }
    throw error;
  });
  const text = new TextDecoder();
  if (!out.success) throw new Error(`tmux ${args[0]} failed: ${text.decode(out.stderr).trim()}`);
  return text.decode(out.stdout);
}
