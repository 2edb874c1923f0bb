import { z } from "zod";
import { choice } from "./schema_choice.ts";
import { SENSITIVE } from "./schema_secret.ts";
import { checkReservedMcpServerName } from "./schema_refinements.ts";

/** A value of an MCP server's `env` or `headers` map: every one may carry a credential. */
const McpStringValueSchema = z.union([z.string(), z.number(), z.boolean()]).meta(SENSITIVE);

/**
 * One `mcp.servers.<name>` entry as the reference's schema declares it: stdio (`command`, `args`,
 * `env`, `cwd`) or HTTP (`url`, `transport`, `headers`), timeouts, `enabled` and `toolFilter`.
 * Loose, so the keys we do not act on (oauth, TLS, codex) load as written.
 */
export const McpServerSchema = z.looseObject({
  enabled: z.boolean().optional(),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), McpStringValueSchema).optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  transport: choice(["stdio", "sse", "streamable-http"]).optional(),
  /** The CLI-native alias of `transport` (`http` means streamable-http). */
  type: z.string().optional(),
  headers: z.record(z.string(), McpStringValueSchema).optional(),
  connectionTimeoutMs: z.number().positive().optional(),
  requestTimeoutMs: z.number().positive().optional(),
  supportsParallelToolCalls: z.boolean().optional(),
  toolFilter: z.looseObject({
    include: z.array(z.string().trim().min(1)).min(1).optional(),
    exclude: z.array(z.string().trim().min(1)).min(1).optional(),
  }).optional(),
});

/** The `mcp` section: the configured MCP servers by name. */
export const McpConfigSchema = z.looseObject({
  sessionIdleTtlMs: z.number().min(0).optional(),
  // Checked before parsing: a parsed record would have dropped the key silently.
  servers: z.preprocess(checkReservedMcpServerName, z.record(z.string(), McpServerSchema)).optional(),
});

/** One raw `mcp.servers.<name>` entry, as written. */
export type RawMcpServer = z.infer<typeof McpServerSchema>;
/** The raw `mcp` section, as written. */
export type RawMcpConfig = z.infer<typeof McpConfigSchema>;
