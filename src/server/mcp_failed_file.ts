// The MCP servers the gateway has marked failed, kept in the state dir so `openclaw mcp status`
// (which never connects, as in the reference) can show them. The gateway rewrites the file when
// the set changes and empties it when it stops.
import { readTextIfExists, writeTextAtomic } from "../config/write.ts";

/** A server the gateway stopped retrying for a while, as `openclaw mcp status` shows it. */
export interface McpFailedServer {
  name: string;
  /** The config it failed with: a changed server is retried afresh, so its mark no longer applies. */
  fingerprint: string;
  failures: number;
  lastError?: string | undefined;
  /** When the gateway retries it next (epoch ms). */
  retryAt: number;
}

/** Where the gateway keeps its failed MCP servers. */
export function mcpFailedFilePath(stateDir: string): string {
  return `${stateDir}/mcp/failed-servers.json`;
}

/** Replaces the file with `servers` (an empty list when none has failed). */
export async function writeMcpFailedServers(stateDir: string, servers: readonly McpFailedServer[]): Promise<void> {
  await writeTextAtomic(mcpFailedFilePath(stateDir), `${JSON.stringify({ servers }, null, 2)}\n`);
}

/** The failed servers the gateway recorded; none when there is no (readable) file. */
export async function readMcpFailedServers(stateDir: string): Promise<McpFailedServer[]> {
  const text = await readTextIfExists(mcpFailedFilePath(stateDir));
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as { servers?: unknown };
    return Array.isArray(parsed.servers) ? parsed.servers as McpFailedServer[] : [];
  } catch {
    // A torn or hand-edited file must not break a status view.
    return [];
  }
}
