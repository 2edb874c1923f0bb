// `openclaw mcp set/unset/add` edit `mcp.servers` in the config file as written (no `${VAR}`
// substituted, no defaults added), as the reference's registry commands do.
import { type McpServerSpec, resolveMcpServer } from "./resolve_mcp.ts";
import { McpServerSchema, type RawMcpServer } from "./schema_mcp.ts";
import { RESERVED_MCP_SERVER_NAME } from "./schema_refinements.ts";
import { isJsonObject } from "../log/json_object.ts";

/** The reference's refusal of a definition the schema rejects. */
function invalidAfterSet(path: readonly string[], message: string): string {
  return `Config invalid after MCP set (mcp.servers.${path.join(".")}: ${message}).`;
}

/** The `mcp.servers` map of a config as written (empty when absent). */
export function authoredMcpServers(authored: Record<string, unknown>): Record<string, unknown> {
  const mcp = authored.mcp;
  return isJsonObject(mcp) && isJsonObject(mcp.servers) ? mcp.servers : {};
}

/**
 * A server definition as the reference saves it: a CLI-native `type` (`http`, `sse`,
 * `streamable-http`) becomes the canonical `transport`. Returns the reason when it is not a
 * valid definition; `spec` is the definition resolved (for a probe before saving).
 */
export function normalizeMcpServer(
  name: string,
  value: unknown,
): { ok: true; server: Record<string, unknown>; spec: McpServerSpec } | { ok: false; reason: string } {
  if (!name.trim() || name !== name.trim()) {
    return { ok: false, reason: "MCP server name must be non-empty and must not have surrounding whitespace" };
  }
  if (name === RESERVED_MCP_SERVER_NAME) {
    return { ok: false, reason: 'MCP server name "__proto__" is reserved; rename the server' };
  }
  if (!isJsonObject(value)) return { ok: false, reason: "MCP server config must be a JSON object." };
  const server: Record<string, unknown> = { ...value };
  if (typeof server.type === "string" && server.transport === undefined) {
    const alias =
      ({ http: "streamable-http", "streamable-http": "streamable-http", sse: "sse", stdio: "stdio" } as Record<
        string,
        string
      >)[server.type.trim().toLowerCase()];
    if (alias) {
      delete server.type;
      if (alias !== "stdio") server.transport = alias;
    }
  }
  const parsed = McpServerSchema.safeParse(server);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: invalidAfterSet([name, ...(issue?.path ?? []).map(String)], issue?.message ?? "invalid"),
    };
  }
  const hasCommand = typeof server.command === "string" && server.command.trim() !== "";
  const hasUrl = typeof server.url === "string" && server.url.trim() !== "";
  if (!hasCommand && !hasUrl) {
    return { ok: false, reason: invalidAfterSet([name], "an MCP server needs a command (stdio) or a url (HTTP)") };
  }
  if (hasUrl && !/^https?:\/\//i.test(String(server.url).trim())) {
    return { ok: false, reason: invalidAfterSet([name, "url"], "Expected http:// or https:// URL") };
  }
  return { ok: true, server, spec: resolveMcpServer(name, parsed.data) };
}

/** The config as written with `mcp.servers.<name>` set to `server` (other keys untouched). */
export function withMcpServer(
  authored: Record<string, unknown>,
  name: string,
  server: Record<string, unknown>,
): Record<string, unknown> {
  const mcp = isJsonObject(authored.mcp) ? authored.mcp : {};
  return { ...authored, mcp: { ...mcp, servers: { ...authoredMcpServers(authored), [name]: server } } };
}

/** The config as written without `mcp.servers.<name>`; an emptied section is removed as the reference does. */
export function withoutMcpServer(authored: Record<string, unknown>, name: string): Record<string, unknown> {
  const servers = { ...authoredMcpServers(authored) };
  delete servers[name];
  const mcp: Record<string, unknown> = { ...(isJsonObject(authored.mcp) ? authored.mcp : {}), servers };
  if (Object.keys(servers).length === 0) delete mcp.servers;
  const next: Record<string, unknown> = { ...authored, mcp };
  if (Object.keys(mcp).length === 0) delete next.mcp;
  return next;
}

/** One definition as written (`mcp.servers.<name>`), resolved as the runtime would launch it. */
export function resolveAuthoredMcpServer(name: string, server: Record<string, unknown>): McpServerSpec {
  return resolveMcpServer(name, server as RawMcpServer);
}

/**
 * The reference's refusal of an edit (`label`: `configure`, `tool selection update`) that leaves
 * `mcp.servers.<name>` invalid; undefined when the definition is valid.
 */
export function invalidMcpServerEdit(name: string, server: Record<string, unknown>, label: string): string | undefined {
  const parsed = McpServerSchema.safeParse(server);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const path = ["mcp", "servers", name, ...(issue?.path ?? []).map(String)].join(".");
  return `Config invalid after MCP ${label} (${path}: ${issue?.message ?? "invalid"}).`;
}
