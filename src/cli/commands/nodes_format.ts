// The cells and hints of the `openclaw nodes` tables in the reference's words: permissions as
// `[camera=no, location=yes]`, versions as `core v1.2 · ui v3`, the client as `id/mode`, ages as
// `5m ago`, approval states, and the exact `openclaw nodes approve <id>` hint.

import { timeAgo } from "../../text/time_ago.ts";
import { quoteArg } from "../shell_quote.ts";

/** A node row as `node.list` / `node.describe` return it (every field optional but the id). */
export interface NodeRow {
  nodeId: string;
  displayName?: string;
  platform?: string;
  version?: string;
  coreVersion?: string;
  uiVersion?: string;
  clientId?: string;
  clientMode?: string;
  deviceFamily?: string;
  modelIdentifier?: string;
  remoteIp?: string;
  pathEnv?: string;
  caps?: unknown[];
  commands?: unknown[];
  permissions?: unknown;
  approvalState?: string;
  pendingRequestId?: string;
  pendingDeclaredCaps?: unknown[];
  pendingDeclaredCommands?: unknown[];
  pendingDeclaredPermissions?: unknown;
  connectedAtMs?: number;
  lastConnectedAtMs?: number;
  lastActiveAtMs?: number;
  active?: boolean;
  paired?: boolean;
  connected?: boolean;
  [key: string]: unknown;
}

/** Control characters shown escaped (`\n`, `\t`) or dropped, so a node's name cannot drive the terminal. */
export function sanitizeTerminalText(input: string): string {
  // deno-lint-ignore no-control-regex -- stripping terminal escapes is the point
  const plain = input.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, "");
  return plain.replace(/\p{Cc}/gu, (c) => c === "\r" ? "\\r" : c === "\n" ? "\\n" : c === "\t" ? "\\t" : "");
}

/** `[key=yes|no, …]` sorted by key; undefined when there are none. */
export function formatPermissions(raw: unknown): string | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw).filter(([key]) => key.length > 0)
    .map(([key, value]) => `${key}=${value === true ? "yes" : "no"}`)
    .sort((a, b) => a.split("=")[0]!.localeCompare(b.split("=")[0]!));
  return entries.length > 0 ? `[${entries.join(", ")}]` : undefined;
}

const versionLabel = (raw: string) => /^\d/.test(raw.trim()) ? `v${raw.trim()}` : raw.trim() || raw;
const desktop = new Set(["darwin", "linux", "win32", "windows"]);

/** `core vX · ui vY`; a legacy single version counts as core on desktop platforms, else as ui. */
export function formatNodeVersions(node: NodeRow): string | undefined {
  let core = node.coreVersion?.trim() || undefined;
  let ui = node.uiVersion?.trim() || undefined;
  const legacy = node.version?.trim();
  if (!core && !ui && legacy) {
    if (desktop.has(node.platform?.trim().toLowerCase() ?? "")) core = legacy;
    else ui = legacy;
  }
  const parts = [core ? `core ${versionLabel(core)}` : "", ui ? `ui ${versionLabel(ui)}` : ""].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

/** `clientId/clientMode`, or whichever of the two is known. */
export function formatClientLabel(node: NodeRow): string | undefined {
  const id = node.clientId?.trim();
  const mode = node.clientMode?.trim();
  if (id && mode) return `${id}/${mode}`;
  return id || mode || undefined;
}

/** A PATH with more than three entries as its first two, `…` and its last. */
export function formatPathEnv(
  raw: unknown,
  platform: string | undefined,
  home: string | undefined,
): string | undefined {
  if (typeof raw !== "string" || !raw.trim()) return undefined;
  const trimmed = raw.trim();
  const sep = ["win32", "windows"].includes(platform?.trim().toLowerCase() ?? "") ? ";" : ":";
  const parts = trimmed.split(sep).filter(Boolean);
  const shown = parts.length <= 3 ? trimmed : `${parts.slice(0, 2).join(sep)}${sep}…${sep}${parts.at(-1)}`;
  return home ? shown.replaceAll(home, "~") : shown;
}

/** The node's name for the terminal: its display name, else its id. */
export function nodeLabel(node: NodeRow): string {
  return sanitizeTerminalText(node.displayName?.trim() ? node.displayName.trim() : node.nodeId);
}

/** `just now`, `5m ago`, `3h ago` (under 48 hours), `2d ago` for a timestamp; a future one is `just now`. */
export function ageOf(now: number, timestamp: unknown): string | undefined {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) return undefined;
  return timeAgo(Math.max(0, now - timestamp));
}

/** The approval states the reference knows; anything else shows nothing. */
export type ApprovalState = "approved" | "pending-approval" | "pending-reapproval" | "unapproved";

/** The approval state of a row, when it is one the reference names. */
export function approvalStateOf(raw: unknown): ApprovalState | undefined {
  return raw === "approved" || raw === "pending-approval" || raw === "pending-reapproval" || raw === "unapproved"
    ? raw
    : undefined;
}

/** Whether the state waits for an operator. */
export function isPendingState(state: ApprovalState | undefined): boolean {
  return state === "pending-approval" || state === "pending-reapproval";
}

/** `approval pending`, `reapproval pending`, or the state itself. */
export function approvalLabel(state: ApprovalState): string {
  if (state === "pending-approval") return "approval pending";
  if (state === "pending-reapproval") return "reapproval pending";
  return state;
}

/** `openclaw nodes approve <id>` (with `--timeout` when not the default), quoted for a shell. */
export function approveCommand(requestId: string, timeout: string | undefined): string {
  const args = ["openclaw", "nodes", "approve", requestId];
  const t = timeout?.trim();
  if (t && t !== "10000") args.push("--timeout", t);
  return args.map(quoteArg).join(" ");
}

/** The reminder to pass `--url`/`--token` again when rerunning, when either was given. */
export function connectionReminder(
  options: { url?: string | undefined; token?: string | undefined },
): string | undefined {
  const flags = [options.url?.trim() ? "--url" : "", options.token?.trim() ? "--token" : ""].filter(Boolean);
  if (flags.length === 0) return undefined;
  return `Reuse the same connection option${flags.length === 1 ? "" : "s"} when rerunning: ${flags.join(", ")}.`;
}

/** Sorted non-empty strings of a list, or undefined when the value is no list. */
export function sortedStrings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String).filter(Boolean).sort() : undefined;
}
