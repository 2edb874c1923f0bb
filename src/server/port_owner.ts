/** A process found listening on a TCP port. */
export interface PortListener {
  pid: number;
  /** The process name, for messages like `pid 123: openclaw-gateway`. */
  command: string;
  /** The local address it listens on, as `host:port`. */
  address: string;
}

async function run(command: string, args: string[]): Promise<string | undefined> {
  try {
    const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "null", stdin: "null" }).output();
    return output.success || output.stdout.length > 0 ? new TextDecoder().decode(output.stdout) : undefined;
  } catch {
    return undefined; // not installed
  }
}

/**
 * Finds the processes listening on a TCP port. Deno refuses to read another process's /proc
 * entries without --allow-all, so this asks `ss` (iproute2) and falls back to `lsof`, the
 * same tools an operator would use; with neither installed it finds nothing.
 */
export async function findPortListeners(port: number): Promise<PortListener[]> {
  const ss = await run("ss", ["-Hltnp", `sport = :${port}`]);
  if (ss !== undefined) return parseSsListeners(ss);
  const lsof = await run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpcn"]);
  return lsof === undefined ? [] : parseLsofListeners(lsof);
}

/** Parses `ss -Hltnp` output: `LISTEN 0 4096 127.0.0.1:80 0.0.0.0:* users:(("deno",pid=12,fd=3))`. */
export function parseSsListeners(text: string): PortListener[] {
  const found: PortListener[] = [];
  for (const line of text.split("\n")) {
    const cols = line.trim().split(/\s+/);
    const address = cols[3];
    if (!address) continue;
    for (const match of line.matchAll(/\("([^"]*)",pid=(\d+)/g)) {
      const pid = Number(match[2]);
      if (!found.some((f) => f.pid === pid && f.address === address)) found.push({ pid, command: match[1]!, address });
    }
  }
  return found;
}

/** Parses `lsof -F pcn` output: `p<pid>`, `c<command>`, `n<address>` lines. */
export function parseLsofListeners(text: string): PortListener[] {
  const found: PortListener[] = [];
  let pid = 0;
  let command = "unknown";
  for (const line of text.split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("c")) command = line.slice(1);
    else if (line.startsWith("n") && pid > 0) found.push({ pid, command, address: line.slice(1) });
  }
  return found;
}
