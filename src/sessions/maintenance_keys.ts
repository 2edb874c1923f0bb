// Which sessions the reference's store maintenance (`openclaw sessions cleanup`) may touch, by key and
// entry: "synthetic" runtime rows (cron, hook, subagent, acp, node, heartbeat, model-run probes) are
// disposable; the main session, threads, chats on an external route or in a group, and pinned,
// model-locked, running or already archived sessions are never touched.

/** A session entry as stored (`entry_json`), as far as maintenance reads it. */
export type MaintenanceEntry = Record<string, unknown>;

/** The agent id and the rest of an `agent:<id>:<rest>` key (lowercased, as the reference compares it). */
export function parseAgentKey(key: string): { agentId: string; rest: string } | undefined {
  const folded = key.trim().toLowerCase();
  if (!folded.startsWith("agent:")) return undefined;
  const end = folded.indexOf(":", 6);
  if (end === -1) return undefined;
  const agentId = folded.slice(6, end).trim();
  const rest = folded.slice(end + 1);
  return agentId && rest && !rest.startsWith(":") ? { agentId, rest } : undefined;
}

const MODEL_RUN_REST = /^explicit:model-run-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A gateway model-run probe (`agent:<id>:explicit:model-run-<uuid>`). */
export function isModelRunKey(key: string): boolean {
  return MODEL_RUN_REST.test(parseAgentKey(key)?.rest ?? "");
}

/** A disposable runtime session: removed (not archived) when stale. */
export function isSyntheticKey(key: string): boolean {
  const folded = key.trim().toLowerCase();
  const parsed = parseAgentKey(key)?.rest;
  const rest = parsed ?? folded;
  // Subagent and ACP keys count bare or agent-scoped; a cron key only agent-scoped, as the reference's tests.
  return isModelRunKey(key) || isSubagentKey(key) || folded.startsWith("acp:") ||
    parsed?.startsWith("acp:") === true || parsed?.startsWith("cron:") === true ||
    ["acp-bridge:", "hook:", "node:"].some((p) => rest.startsWith(p)) ||
    rest === "heartbeat" || rest.endsWith(":heartbeat") || rest.includes(":heartbeat:");
}

function threadId(key: string): string | undefined {
  const at = key.toLowerCase().lastIndexOf(":thread:");
  return at === -1 ? undefined : key.slice(at + 8).trim() || undefined;
}

const PEER_KINDS = new Set(["channel", "direct", "dm", "group"]);

/** Whether the key is a complete external delivery shape (`<channel>:[<account>:]<kind>:<peer>`). */
function isDeliveryRouteKey(key: string): boolean {
  const at = key.toLowerCase().lastIndexOf(":thread:");
  const parsed = parseAgentKey(at === -1 ? key : key.slice(0, at));
  if (!parsed) return false;
  const parts = parsed.rest.split(":");
  if (parts[0] === "agent" || parts.length < 3 || !parts[0]!.trim()) return false;
  if (parts.length >= 4 && (parts[2] === "direct" || parts[2] === "dm")) {
    return Boolean(parts[1]!.trim() && parts[3]!.trim());
  }
  return PEER_KINDS.has(parts[1]!) && Boolean(parts[2]!.trim());
}

function isExternalConversationKey(key: string): boolean {
  const rest = parseAgentKey(key)?.rest ?? key.trim().toLowerCase();
  return isDeliveryRouteKey(key) || /^direct:.+$/.test(rest) || /^[^:]+:(?:group|channel):.+$/.test(rest) ||
    /^telegram:(?:direct|dm):.+:topic:[^:]+$/.test(rest);
}

/** The agent's main session or `global`. */
function isPrimaryKey(key: string): boolean {
  return key.trim().toLowerCase() === "global" || parseAgentKey(key)?.rest === "main";
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

function isProtected(key: string, entry: MaintenanceEntry): boolean {
  if (isSyntheticKey(key)) return false;
  if (isPrimaryKey(key) || threadId(key) !== undefined) return true;
  const delivery = record(entry.delivery);
  if (delivery?.kind === "external" || isExternalConversationKey(key)) return true;
  const origin = delivery?.kind === "external" ? record(delivery.origin) : undefined;
  const chatType = String(entry.chatType ?? origin?.chatType ?? "").trim().toLowerCase();
  return chatType === "group" || chatType === "channel" || chatType === "thread";
}

function isSubagentKey(key: string): boolean {
  return key.trim().toLowerCase().startsWith("subagent:") || parseAgentKey(key)?.rest.startsWith("subagent:") === true;
}

function isPinnable(key: string, entry: MaintenanceEntry): boolean {
  const spawnedBy = typeof entry.spawnedBy === "string" ? entry.spawnedBy.trim() : "";
  if (isSubagentKey(key) || spawnedBy) return false;
  const parent = typeof entry.parentSessionKey === "string" ? entry.parentSessionKey.trim() : "";
  if (!parent) return true;
  const parsed = parseAgentKey(key);
  return parsed !== undefined && parent === `agent:${parsed.agentId}:main`;
}

/** The latest of the entry's activity times (0 when it has none). */
export function activityAt(entry: MaintenanceEntry): number {
  const at = (name: string) => typeof entry[name] === "number" ? entry[name] as number : 0;
  return Math.max(at("lastInteractionAt"), at("lastActivityAt"), at("sessionStartedAt"), at("updatedAt"));
}

/** What protects sessions beyond their own entry: `--active-key`, runs in flight, a recent-activity window. */
export interface PreserveOptions {
  preserveKeys: ReadonlySet<string>;
  /** Whether a run is in flight on the session (the gateway's own work, which the reference protects too). */
  busy?: ((key: string) => boolean) | undefined;
  preserveRecentMs: number | null;
  now: number;
}

/** Whether maintenance must leave this session as it is. */
export function isPreserved(key: string, entry: MaintenanceEntry, options: PreserveOptions): boolean {
  if (entry.archivedAt !== undefined) return true;
  if (entry.pinnedAt !== undefined && isPinnable(key, entry)) return true;
  if (entry.modelSelectionLocked === true || entry.status === "running") return true;
  if (options.preserveKeys.has(key.trim().toLowerCase()) || options.busy?.(key) === true) return true;
  if (options.preserveRecentMs !== null && !isSyntheticKey(key)) {
    const at = activityAt(entry);
    if (at > 0 && options.now - at <= options.preserveRecentMs) return true;
  }
  return isProtected(key, entry);
}

/**
 * A direct-DM session left over from a `session.dmScope` other than `main` (`agent:<id>:direct:<peer>`,
 * `…:<channel>:direct:<peer>`, `…:<channel>:<account>:direct:<peer>`): what `--fix-dm-scope` retires.
 */
export function isStaleDirectKey(key: string, agentId: string): boolean {
  const parsed = parseAgentKey(key);
  if (!parsed || parsed.agentId !== agentId.toLowerCase()) return false;
  const parts = parsed.rest.split(":");
  if (parts[0] === "agent") return false;
  return parts.length === 2 && parts[0] === "direct" && Boolean(parts[1]) ||
    parts.length === 3 && Boolean(parts[0]) && parts[1] === "direct" && Boolean(parts[2]) ||
    parts.length === 4 && Boolean(parts[0]) && Boolean(parts[1]) && parts[2] === "direct" && Boolean(parts[3]);
}
