// What the reference learns of a process that owns shared state (its pid-alive.ts and gateway-lock.ts, for the
// gateway lock files; cron run receipts name their owner the same way): whether it lives, its kernel start time and
// its argv. Deno lets only `--allow-all` programs read /proc/<pid> (the gateway runs with `--allow-run`), so on
// Linux this asks `cat`; elsewhere `ps`. A spawn costs a few ms (about 14 ms for a process's first), so callers
// start it early or only on the path where a lock file is already there.

/** A process as the reference's lock check sees it. */
export interface ProcessFacts {
  /** False when there is no such process, or it is a zombie (exited, not yet reaped), as the reference counts it. */
  alive: boolean;
  /** Kernel start time, `/proc/<pid>/stat` field 22 (clock ticks since boot); undefined where unknown. */
  startTime?: number;
  /** Its command line, empty entries dropped; undefined where unknown. */
  args?: string[];
}

/**
 * Facts from `cat /proc/<pid>/stat /proc/<pid>/cmdline` output: the stat line, then the NUL-separated argv.
 * Pure. A zombie with one thread is dead, as the reference's `isPidAlive` has it.
 */
export function procFacts(output: string): ProcessFacts | undefined {
  const end = output.indexOf("\n");
  if (end < 0) return undefined;
  const stat = output.slice(0, end);
  if (!stat.includes(")")) return undefined;
  const fields = statFields(stat);
  const startTime = startTimeOfStat(stat);
  const zombie = fields[0] === "Z" && fields[17] === "1";
  const args = output.slice(end + 1).split("\0").map((arg) => arg.trim()).filter((arg) => arg !== "");
  return {
    alive: !zombie,
    ...(startTime === undefined ? {} : { startTime }),
    ...(args.length > 0 ? { args } : {}),
  };
}

/** A `/proc/<pid>/stat` line's fields from the state (field 3) on: the command name before them may hold blanks and parentheses. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 1).trimStart().split(/\s+/);
}

/** The kernel start time in a `/proc/<pid>/stat` line (field 22, clock ticks since boot); undefined when unreadable. */
export function startTimeOfStat(stat: string): number | undefined {
  const start = Number(statFields(stat)[19]);
  return Number.isInteger(start) && start >= 0 ? start : undefined;
}

/** Runs a probe command; undefined when it cannot run (not installed, not permitted). */
async function run(command: string, args: string[]): Promise<Deno.CommandOutput | undefined> {
  try {
    // LC_ALL=C: "No such file" below is cat's English message.
    return await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { LC_ALL: "C" },
    })
      .output();
  } catch {
    return undefined;
  }
}

/** Probes process `pid`; undefined when nothing can be told of it (the reference then counts its owner unknown). */
export async function probeProcess(pid: number): Promise<ProcessFacts | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return { alive: false };
  const text = new TextDecoder();
  if (Deno.build.os === "linux") {
    const out = await run("cat", [`/proc/${pid}/stat`, `/proc/${pid}/cmdline`]);
    if (!out) return undefined;
    const stdout = text.decode(out.stdout);
    if (stdout === "") return /No such file/.test(text.decode(out.stderr)) ? { alive: false } : undefined;
    return procFacts(stdout);
  }
  if (Deno.build.os === "windows") return undefined;
  // macOS and the BSDs: `ps` exits non-zero for a pid that is gone; its command column is split on blanks, as the
  // reference splits it. No start time: the reference reads macOS's in seconds through `ps -o lstart`, which
  // this does not attempt (the owner's argv decides instead).
  const out = await run("ps", ["-p", String(pid), "-o", "command="]);
  if (!out) return undefined;
  const line = text.decode(out.stdout).trim();
  if (!out.success) return line === "" ? { alive: false } : undefined;
  return { alive: true, args: line.split(/\s+/) };
}

/** This process's kernel start time, as the reference writes it into its locks (Linux only; undefined elsewhere). */
export async function ownStartTime(): Promise<number | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  return (await probeProcess(Deno.pid))?.startTime;
}
