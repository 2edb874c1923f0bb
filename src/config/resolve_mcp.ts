import { MCP_BLOCKED_ENV_KEYS, MCP_BLOCKED_ENV_PREFIXES } from "./mcp_env_policy.ts";
import type { RawMcpServer } from "./schema_mcp.ts";
import type { RawConfig } from "./schema.ts";

/** How to reach one MCP server: a child process over stdio, or an HTTP endpoint. */
export type McpLaunch =
  | { kind: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd: string | undefined }
  | { kind: "http"; transport: "sse" | "streamable-http"; url: string; headers: Record<string, string> };

/** One configured MCP server, resolved: launch, timeouts, filter, and why it is skipped when it is. */
export interface McpServerSpec {
  /** The name under `mcp.servers`, as written. */
  name: string;
  enabled: boolean;
  /** Absent when the entry can't be launched; `skipReason` then says why. */
  launch: McpLaunch | undefined;
  skipReason?: string | undefined;
  /** What the logs and the fallback tool description call it (`command args (cwd=...)`, or the URL). */
  description: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** The operator's hint that concurrent calls are safe (reported; calls run as the loop schedules them). */
  supportsParallelToolCalls: boolean;
  toolFilter: { include: string[]; exclude: string[] };
  /** Env keys dropped for startup safety (logged once per start). */
  droppedEnv: string[];
  /** Equal fingerprints mean a reload may keep the live connection. */
  fingerprint: string;
}

/** The resolved `mcp` section. */
export interface ResolvedMcp {
  /** Every `mcp.servers` entry in declaration order (disabled ones too: `mcp list` shows them). */
  servers: McpServerSpec[];
}

/** The reference's defaults (mcp-transport-config): 30 s to connect, 60 s per request. */
export const DEFAULT_MCP_CONNECTION_TIMEOUT_MS = 30_000;
/** Default per-request timeout of an MCP call. */
export const DEFAULT_MCP_REQUEST_TIMEOUT_MS = 60_000;

/** Whether a stdio server's `env` key is refused for startup safety. */
export function isBlockedMcpEnvKey(key: string): boolean {
  const upper = key.trim().toUpperCase();
  return MCP_BLOCKED_ENV_KEYS.has(upper) || MCP_BLOCKED_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

function stringRecord(value: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(value ?? {}).map(([key, entry]) => [key, String(entry)]));
}

function timeout(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0
    ? Math.min(Math.floor(value), 2_147_483_647)
    : fallback;
}

/** The reference's `transport` alias table for a CLI-native `type`. */
function transportAlias(type: string | undefined): "sse" | "streamable-http" | "stdio" | undefined {
  const table: Record<string, "sse" | "streamable-http" | "stdio"> = {
    http: "streamable-http",
    "streamable-http": "streamable-http",
    sse: "sse",
    stdio: "stdio",
  };
  return type ? table[type.trim().toLowerCase()] : undefined;
}

/** Hides a URL's userinfo and query values (they often carry tokens) for logs and status. */
export function redactMcpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = "***";
      parsed.password = "";
    }
    for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, "***");
    return parsed.toString();
  } catch {
    return url;
  }
}

function launchOf(raw: RawMcpServer, droppedEnv: string[]): { launch?: McpLaunch; reason?: string } {
  if (typeof raw.command === "string" && raw.command.trim()) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(stringRecord(raw.env))) {
      if (isBlockedMcpEnvKey(key)) droppedEnv.push(key);
      else env[key] = value;
    }
    const cwd = typeof raw.cwd === "string" && raw.cwd.trim()
      ? raw.cwd
      : typeof raw.workingDirectory === "string" && raw.workingDirectory.trim()
      ? raw.workingDirectory
      : undefined;
    return { launch: { kind: "stdio", command: raw.command, args: raw.args ?? [], env, cwd } };
  }
  const requested = raw.transport ?? transportAlias(raw.type);
  if (requested === "stdio") return { reason: "its command is missing" };
  if (typeof raw.url !== "string" || !raw.url.trim()) {
    return { reason: "its command is missing and its url is missing" };
  }
  let parsed: URL;
  try {
    parsed = new URL(raw.url.trim());
  } catch {
    return { reason: `its url is not a valid URL: ${redactMcpUrl(raw.url)}` };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { reason: `only http and https URLs are supported, got ${parsed.protocol}` };
  }
  return {
    launch: {
      kind: "http",
      // The reference's default for a bare `url` is the legacy SSE transport.
      transport: requested === "streamable-http" ? "streamable-http" : "sse",
      url: raw.url.trim(),
      headers: stringRecord(raw.headers),
    },
  };
}

function describe(launch: McpLaunch | undefined, raw: RawMcpServer): string {
  if (!launch) return typeof raw.url === "string" ? redactMcpUrl(raw.url) : String(raw.command ?? "");
  if (launch.kind === "http") return redactMcpUrl(launch.url);
  const args = launch.args.length > 0 ? ` ${launch.args.join(" ")}` : "";
  return `${launch.command}${args}${launch.cwd ? ` (cwd=${launch.cwd})` : ""}`;
}

/** Resolves one `mcp.servers.<name>` entry. */
export function resolveMcpServer(name: string, raw: RawMcpServer): McpServerSpec {
  const droppedEnv: string[] = [];
  const { launch, reason } = launchOf(raw, droppedEnv);
  const toolFilter = {
    include: (raw.toolFilter?.include ?? []).map((entry) => entry.trim()).filter(Boolean),
    exclude: (raw.toolFilter?.exclude ?? []).map((entry) => entry.trim()).filter(Boolean),
  };
  const connectionTimeoutMs = timeout(raw.connectionTimeoutMs, DEFAULT_MCP_CONNECTION_TIMEOUT_MS);
  const requestTimeoutMs = timeout(raw.requestTimeoutMs, DEFAULT_MCP_REQUEST_TIMEOUT_MS);
  return {
    name,
    enabled: raw.enabled !== false,
    launch,
    skipReason: reason,
    description: describe(launch, raw),
    connectionTimeoutMs,
    requestTimeoutMs,
    supportsParallelToolCalls: raw.supportsParallelToolCalls === true,
    toolFilter,
    droppedEnv,
    fingerprint: JSON.stringify({ launch, connectionTimeoutMs }),
  };
}

/** Resolves the `mcp` section: every server in declaration order. */
export function resolveMcp(config: RawConfig): ResolvedMcp {
  const servers = config.mcp?.servers ?? {};
  return { servers: Object.entries(servers).map(([name, raw]) => resolveMcpServer(name, raw)) };
}
