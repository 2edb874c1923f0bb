// The processes a test's child started on its own (the reference launcher re-executes itself as
// `openclaw-gateway`), read from /proc, so a test stops every one of them by PID and none
// outlives the run when the launcher dies before forwarding its signal.
import { until } from "./until.ts";

/** The parent PID of every live process, from /proc/<pid>/stat (Linux). */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      // The command name (field 2) may hold spaces and parentheses: the fields after its last `)` are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry.name), ppid);
    } catch {
      // exited while listed
    }
  }
  return parents;
}

/** Every descendant of `pid` alive now (children, grandchildren, …). */
export function descendantPids(pid: number): number[] {
  const parents = parentsByPid();
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [child, ppid] of parents) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}

/** True while `pid` runs (a zombie waiting for its reaper counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function signal(pid: number, name: Deno.Signal): void {
  try {
    Deno.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Stops the listed processes still alive: SIGTERM, then SIGKILL for any left after `graceMs`. */
export async function stopSurvivors(pids: number[], graceMs = 5_000): Promise<void> {
  const left = () => pids.filter(isAlive);
  if (left().length === 0) return;
  for (const pid of left()) signal(pid, "SIGTERM");
  await until(() => left().length === 0, `processes ${pids.join(", ")} to exit`, graceMs).catch(() => {
    for (const pid of left()) signal(pid, "SIGKILL");
  });
}
