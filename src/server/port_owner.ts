/** A process found listening on a TCP port. */
export interface PortListener {
  pid: number;
  /** The process name (`/proc/<pid>/comm`), for messages like `pid 123: openclaw-gateway`. */
  command: string;
  /** The local address it listens on, as `host:port`. */
  address: string;
}

/**
 * Finds the processes listening on a TCP port from /proc/net/tcp and tcp6: the socket inode of
 * each LISTEN row, then the pids whose fds point at it. Linux only; elsewhere it finds nothing.
 */
export async function findPortListeners(port: number): Promise<PortListener[]> {
  const inodes = new Map<string, string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await Deno.readTextFile(table);
    } catch {
      continue;
    }
    for (const row of parseTcpTable(text)) {
      if (row.port === port && row.listening) inodes.set(row.inode, row.address);
    }
  }
  if (inodes.size === 0) return [];
  const found: PortListener[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir("/proc"));
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    let fds: Deno.DirEntry[];
    try {
      fds = await Array.fromAsync(Deno.readDir(`/proc/${pid}/fd`));
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = await Deno.readLink(`/proc/${pid}/fd/${fd.name}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const address = inode ? inodes.get(inode) : undefined;
      if (address && !found.some((f) => f.pid === pid && f.address === address)) {
        found.push({ pid, command: await processName(pid), address });
      }
    }
  }
  return found;
}

/** One row of /proc/net/tcp{,6}. */
export interface TcpRow {
  address: string;
  port: number;
  listening: boolean;
  inode: string;
}

/** Parses /proc/net/tcp or tcp6 text; addresses are decoded from the kernel's hex form. */
export function parseTcpTable(text: string): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const line of text.split("\n").slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const [hexAddr, hexPort] = (cols[1] ?? "").split(":");
    if (!hexAddr || !hexPort) continue;
    const port = parseInt(hexPort, 16);
    rows.push({ address: `${decodeAddress(hexAddr)}:${port}`, port, listening: cols[3] === "0A", inode: cols[9]! });
  }
  return rows;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    // Little-endian IPv4.
    return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(".");
  }
  // IPv6: four little-endian 32-bit words.
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    const chunk = hex.slice(word * 8, word * 8 + 8);
    for (const i of [6, 4, 2, 0]) bytes.push(parseInt(chunk.slice(i, i + 2), 16));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const text = groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
  return `[${text}]`;
}

/** The short process name of a pid, or "unknown". */
export async function processName(pid: number): Promise<string> {
  try {
    return (await Deno.readTextFile(`/proc/${pid}/comm`)).trim();
  } catch {
    return "unknown";
  }
}

/** True while a process with this pid runs; a zombie (exited, not yet reaped) counts as gone. */
export function processExists(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), to tell pid reuse apart. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // The command name may contain spaces and parentheses; fields resume after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const value = Number(fields[19]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
