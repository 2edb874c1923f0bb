// `openclaw channels logs [--channel <name|all>] [--lines <n>] [--json]`: the gateway's log file
// read here (no gateway needed), filtered to one channel's lines as the reference filters them.
import { CHANNEL_LABELS } from "../../config/channel_edit.ts";
import { resolveTarget } from "../../client/target.ts";
import { tailLog } from "../../log/tail.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { parseLogLine } from "./logs.ts";

/** Options of `channels logs`. */
export interface ChannelsLogsOptions extends GlobalOptions {
  channel?: string;
  lines?: string;
  json?: boolean;
}

/** The reference reads at most this much of the file's end. */
const MAX_BYTES = 1_000_000;

/** The `--channel` filter: `all` or a known channel id; anything else is refused naming the valid ones. */
export function parseChannelFilter(raw: string | undefined): string {
  if (raw === undefined) return "all";
  const id = raw.trim().toLowerCase();
  if (id === "all" || Object.hasOwn(CHANNEL_LABELS, id)) return id;
  throw new TypeError(
    `Unknown channel ${JSON.stringify(raw)}. Valid channels: all, ${Object.keys(CHANNEL_LABELS).join(", ")}`,
  );
}

/** `--lines`: a positive integer, 200 when omitted. */
export function parseLinesOption(raw: string | undefined): number {
  if (raw === undefined) return 200;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new TypeError("--lines must be a positive integer.");
  return Number(raw);
}

/**
 * Whether a log subsystem belongs to a channel: rooted at `<name>` or `gateway/channels/<name>`
 * (the reference's roots) or `channels/<name>` (ours), slash-separated descendants included, so
 * `discord-archive` is not `discord`.
 */
export function matchesChannel(subsystem: string, channel: string): boolean {
  if (channel === "all") return true;
  return [channel, `channels/${channel}`, `gateway/channels/${channel}`]
    .some((root) => subsystem === root || subsystem.startsWith(`${root}/`));
}

/** `openclaw channels logs`. */
export async function channelsLogs(options: ChannelsLogsOptions): Promise<number> {
  let channel: string;
  let limit: number;
  try {
    channel = parseChannelFilter(options.channel);
    limit = parseLinesOption(options.lines);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    printError(error.message);
    return 1;
  }
  const target = await resolveTarget({ profile: options.profile, dev: options.dev }, Deno.env.toObject());
  // Read the whole window, then keep the channel's last `limit` lines, as the reference does.
  const tail = await tailLog(target.logFile, { limit: 5000, maxBytes: MAX_BYTES });
  const matching = tail.lines.map((raw) => parseLogLine(raw, { utc: false }))
    .filter((line) => matchesChannel(line.subsystem, channel));
  const lines = matching.slice(-limit);
  const truncated = tail.truncated || matching.length > limit;
  if (options.json) {
    printJson({ file: tail.file, channel, truncated, lines });
    return 0;
  }
  printLine(`Log file: ${tail.file}`);
  if (channel !== "all") printLine(`Channel: ${channel}`);
  if (truncated) printLine("Log tail truncated; earlier entries were omitted.");
  if (lines.length === 0) {
    printLine("No matching log lines.");
    return 0;
  }
  for (const line of lines) {
    printLine(`${line.time ? `${line.time} ` : ""}${line.level ? `${line.level} ` : ""}${line.message}`.trim());
  }
  return 0;
}
