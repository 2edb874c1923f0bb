// The exec approvals document as the reference keeps it (one JSON document, the singleton row of
// `exec_approvals_config`): its shape, the reference's normalization on load and save, its hash for
// compare-and-swap, and the policy it resolves to for one agent. Pure: storage is in state/.
import { createHash } from "node:crypto";
import { isJsonObject } from "../log/json_object.ts";

/** How much host exec may run: nothing, allowlisted commands, or everything. */
export type ExecSecurity = "deny" | "allowlist" | "full";
/** When the operators are asked. */
export type ExecAsk = "off" | "on-miss" | "always";

/** One allowlist entry (`agents.<id>.allowlist[]`). */
export interface AllowlistEntry {
  id?: string;
  pattern: string;
  argPattern?: string;
  source?: "allow-always";
  lastUsedAt?: number;
  lastUsedCommand?: string;
  lastResolvedPath?: string;
  [key: string]: unknown;
}

/** The policy knobs of `defaults` and of each agent. */
export interface ExecPolicyFields {
  security?: ExecSecurity | undefined;
  ask?: ExecAsk | undefined;
  askFallback?: ExecSecurity | undefined;
  autoAllowSkills?: boolean | undefined;
}

/** One agent's entry: policy overrides, allowlist, MCP grants (kept as written). */
export interface AgentApprovals extends ExecPolicyFields {
  allowlist?: AllowlistEntry[] | undefined;
  mcpTools?: unknown[] | undefined;
  [key: string]: unknown;
}

/** The whole document. */
export interface ExecApprovalsFile {
  version: 1;
  socket?: { path?: string | undefined; token?: string | undefined } | undefined;
  defaults?: ExecPolicyFields | undefined;
  agents?: Record<string, AgentApprovals> | undefined;
  [key: string]: unknown;
}

/** The policy in force for one agent, every field decided. */
export interface ResolvedExecPolicy {
  security: ExecSecurity;
  ask: ExecAsk;
  askFallback: ExecSecurity;
  autoAllowSkills: boolean;
}

const SECURITIES: readonly string[] = ["deny", "allowlist", "full"];
const ASKS: readonly string[] = ["off", "on-miss", "always"];

/** Whether a value is one of the three security modes. */
export function isExecSecurity(value: unknown): value is ExecSecurity {
  return typeof value === "string" && SECURITIES.includes(value);
}

/** Whether a value is one of the three ask modes. */
export function isExecAsk(value: unknown): value is ExecAsk {
  return typeof value === "string" && ASKS.includes(value);
}

/** The stricter of two security modes (deny < allowlist < full). */
export function minSecurity(a: ExecSecurity, b: ExecSecurity): ExecSecurity {
  return SECURITIES.indexOf(a) <= SECURITIES.indexOf(b) ? a : b;
}

/** The more asking of two ask modes (off < on-miss < always). */
export function maxAsk(a: ExecAsk, b: ExecAsk): ExecAsk {
  return ASKS.indexOf(a) >= ASKS.indexOf(b) ? a : b;
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The compare-and-swap hash of a stored document: `missing:<sha256("")>` when there is none. */
export function hashApprovalsRaw(raw: string | null): string {
  return raw === null ? `missing:${sha256Hex("")}` : sha256Hex(raw);
}

/** The stored text of a document: pretty JSON and a newline, as the reference writes it. */
export function serializeApprovals(file: ExecApprovalsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

function trimmedString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

function sanitizePolicy(policy: ExecPolicyFields | undefined): ExecPolicyFields {
  const security = typeof policy?.security === "string" ? policy.security.trim() : undefined;
  const ask = typeof policy?.ask === "string" ? policy.ask.trim() : undefined;
  const askFallback = typeof policy?.askFallback === "string" ? policy.askFallback.trim() : undefined;
  return {
    security: isExecSecurity(security) ? security : undefined,
    ask: isExecAsk(ask) ? ask : undefined,
    askFallback: isExecSecurity(askFallback) ? askFallback : undefined,
    autoAllowSkills: policy?.autoAllowSkills,
  };
}

/** Allowlist entries as objects with ids and without the legacy `commandText` (the reference's load). */
function normalizeAllowlist(allowlist: unknown): AllowlistEntry[] | undefined {
  if (!Array.isArray(allowlist)) return undefined;
  if (allowlist.length === 0) return [];
  const entries: AllowlistEntry[] = [];
  for (const item of allowlist) {
    const entry: Record<string, unknown> | undefined = typeof item === "string"
      ? { pattern: item.trim() }
      : isJsonObject(item)
      ? { ...item }
      : undefined;
    if (!entry || typeof entry.pattern !== "string" || !entry.pattern.trim()) continue;
    delete entry.commandText;
    if (typeof entry.id !== "string" || !entry.id) entry.id = crypto.randomUUID();
    entries.push(entry as AllowlistEntry);
  }
  return entries.length > 0 ? entries : undefined;
}

/**
 * The reference's normalization: legacy `agents.default` folds into `main`, allowlist entries get
 * ids, unknown policy values are dropped, the socket keeps only non-empty values.
 */
export function normalizeApprovals(file: ExecApprovalsFile): ExecApprovalsFile {
  const agents: Record<string, AgentApprovals> = { ...file.agents };
  const legacy = agents.default;
  if (legacy) {
    const main = agents.main;
    agents.main = main
      ? { ...legacy, ...main, allowlist: [...(main.allowlist ?? []), ...(legacy.allowlist ?? [])] }
      : legacy;
    delete agents.default;
  }
  for (const [key, agent] of Object.entries(agents)) {
    const policy = sanitizePolicy(agent);
    agents[key] = {
      ...agent,
      allowlist: normalizeAllowlist(agent.allowlist),
      security: policy.security,
      ask: policy.ask,
      askFallback: policy.askFallback,
    };
  }
  return {
    version: 1,
    socket: { path: trimmedString(file.socket?.path), token: trimmedString(file.socket?.token) },
    defaults: { ...sanitizePolicy(file.defaults) },
    agents,
  };
}

const POLICY_KEYS: Readonly<Record<string, (v: unknown) => boolean>> = {
  security: isExecSecurity,
  ask: isExecAsk,
  askFallback: isExecSecurity,
  autoAllowSkills: (v) => typeof v === "boolean",
};

function validPolicy(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  return Object.entries(POLICY_KEYS).every(([key, check]) => value[key] === undefined || check(value[key]));
}

function validEntry(entry: unknown): boolean {
  if (typeof entry === "string") return entry.trim().length > 0;
  if (!isJsonObject(entry) || typeof entry.pattern !== "string" || !entry.pattern.trim()) return false;
  const strings = ["id", "source", "commandText", "argPattern", "lastUsedCommand", "lastResolvedPath"];
  return strings.every((key) => entry[key] === undefined || typeof entry[key] === "string") &&
    (entry.lastUsedAt === undefined || Number.isFinite(entry.lastUsedAt));
}

const ENTRY_KEYS = [
  "pattern",
  "id",
  "source",
  "commandText",
  "argPattern",
  "lastUsedAt",
  "lastUsedCommand",
  "lastResolvedPath",
];

/** A stored document when it has the reference's structure; null for one the reference refuses too. */
export function parseStoredApprovals(raw: string): ExecApprovalsFile | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isJsonObject(parsed) || parsed.version !== 1) return null;
  if (parsed.defaults !== undefined && !validPolicy(parsed.defaults)) return null;
  if (parsed.agents !== undefined) {
    if (!isJsonObject(parsed.agents) || Object.hasOwn(parsed.agents, "__proto__")) return null;
    for (const agent of Object.values(parsed.agents)) {
      if (!validPolicy(agent) || !isJsonObject(agent)) return null;
      const allowlist = agent.allowlist;
      if (allowlist !== undefined && (!Array.isArray(allowlist) || !allowlist.every(validEntry))) return null;
    }
  }
  const file = parsed as ExecApprovalsFile;
  for (const agent of Object.values(file.agents ?? {})) {
    if (!Array.isArray(agent.allowlist)) continue;
    agent.allowlist = agent.allowlist.map((entry) => {
      if (!isJsonObject(entry)) return entry;
      // The reference keeps only its one generated source value, and reads keys in its schema's order.
      if (entry.source !== undefined && entry.source !== "allow-always") delete entry.source;
      const ordered: Record<string, unknown> = {};
      for (const key of ENTRY_KEYS) if (key in entry) ordered[key] = entry[key];
      return Object.assign(ordered, entry) as AllowlistEntry;
    });
  }
  return normalizeApprovals(file);
}

/** The document a malformed row stands for: everything denied (the reference fails closed). */
export function failClosedApprovals(): ExecApprovalsFile {
  return normalizeApprovals({
    version: 1,
    defaults: { security: "deny", ask: "off", askFallback: "deny", autoAllowSkills: false },
    agents: {},
  });
}

function pick<T>(check: (v: unknown) => v is T, ...values: unknown[]): T | undefined {
  return values.find((v) => check(v)) as T | undefined;
}

/** The `resolvedDefaults` of a snapshot: the document's defaults over the gateway host's (full, off, deny). */
export function resolveDefaults(file: ExecApprovalsFile): ResolvedExecPolicy {
  const d = file.defaults ?? {};
  return {
    security: pick(isExecSecurity, d.security) ?? "full",
    ask: pick(isExecAsk, d.ask) ?? "off",
    askFallback: pick(isExecSecurity, d.askFallback) ?? "deny",
    autoAllowSkills: d.autoAllowSkills ?? false,
  };
}

/** Which policy knobs the document itself sets for an agent (its entry, `agents["*"]` or the defaults). */
export function hostKnobsSet(file: ExecApprovalsFile, agentId: string): { security: boolean; ask: boolean } {
  const layers = [file.agents?.[agentId], file.agents?.["*"], file.defaults];
  return {
    security: layers.some((l) => isExecSecurity(l?.security)),
    ask: layers.some((l) => isExecAsk(l?.ask)),
  };
}

/** One agent's policy: its own entry, then `agents["*"]`, then the defaults; and its allowlist (wildcard first). */
export function resolveAgentApprovals(
  file: ExecApprovalsFile,
  agentId: string,
): { policy: ResolvedExecPolicy; allowlist: AllowlistEntry[] } {
  const defaults = resolveDefaults(file);
  const agent = file.agents?.[agentId] ?? {};
  const wildcard = file.agents?.["*"] ?? {};
  return {
    policy: {
      security: pick(isExecSecurity, agent.security, wildcard.security) ?? defaults.security,
      ask: pick(isExecAsk, agent.ask, wildcard.ask) ?? defaults.ask,
      askFallback: pick(isExecSecurity, agent.askFallback, wildcard.askFallback) ?? defaults.askFallback,
      autoAllowSkills: agent.autoAllowSkills ?? wildcard.autoAllowSkills ?? defaults.autoAllowSkills,
    },
    allowlist: [...(wildcard.allowlist ?? []), ...(agent.allowlist ?? [])],
  };
}
