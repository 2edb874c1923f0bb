// `openclaw mcp serve`: the reference's stdio MCP bridge. The MCP client owns this process; it connects to
// the gateway as an operator client and exposes routed channel conversations as MCP tools, plus Claude's
// channel notifications unless `--claude-channel-mode off`. Only stdout carries MCP frames: every line this
// command writes goes to stderr. It ends when the client closes stdin (or on SIGINT/SIGTERM). Recorded in
// tests/fixtures/mcp/reference_mcp_serve.json.
import process from "node:process";
import { z } from "zod";
import { ChannelBridge, type ClaudeChannelMode, type NotifyOutcome } from "../../client/channel_bridge.ts";
import { ChannelEventQueue } from "../../client/channel_event_queue.ts";
import { channelCapabilities, registerChannelTools } from "../../client/channel_mcp_tools.ts";
import { GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { messageOf } from "../../log/error_text.ts";
import { VERSION } from "../../version.ts";
import { type GatewaySecretFlags, resolveGatewaySecrets } from "../gateway_secret_options.ts";
import type { GlobalOptions } from "../main.ts";
import { printError } from "../output.ts";

/** Flags of `mcp serve`. */
export interface McpServeOptions extends GlobalOptions, GatewaySecretFlags {
  url?: string;
  claudeChannelMode?: string;
  verbose?: boolean;
}

const PermissionRequest = z.object({
  method: z.literal("notifications/claude/channel/permission_request"),
  params: z.object({
    request_id: z.string(),
    tool_name: z.string(),
    description: z.string(),
    input_preview: z.string(),
  }),
});

function startFailure(reason: string): number {
  printError(
    `MCP server failed to start: ${reason}. Run openclaw gateway status --deep --require-rpc to inspect Gateway health.`,
  );
  return 1;
}

function reasonOf(error: unknown): string {
  // The reference names the socket error (`connect ECONNREFUSED host:port`), not a sentence about it.
  if (error instanceof GatewayTransportError && error.kind === "unreachable") return error.reason;
  return messageOf(error);
}

/** Serves the bridge over stdio until the client goes away; exit 1 when it cannot start. */
export async function mcpServe(options: McpServeOptions): Promise<number> {
  let secrets: { token?: string; password?: string };
  let mode: ClaudeChannelMode;
  try {
    secrets = resolveGatewaySecrets(options);
    const given = (options.claudeChannelMode ?? "auto").trim().toLowerCase();
    if (given !== "auto" && given !== "on" && given !== "off") {
      throw new Error('Invalid --claude-channel-mode value. Use "auto", "on", or "off".');
    }
    mode = given;
  } catch (error) {
    return startFailure(messageOf(error));
  }
  const target = await resolveTarget({
    url: options.url,
    token: secrets.token,
    password: secrets.password,
    profile: options.profile,
    dev: options.dev,
  }, Deno.env.toObject());
  const [{ McpServer }, { StdioServerTransport }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/mcp.js"),
    import("@modelcontextprotocol/sdk/server/stdio.js"),
  ]);
  const capabilities = channelCapabilities(mode);
  const server = new McpServer({ name: "openclaw", version: VERSION }, capabilities ? { capabilities } : undefined);
  let shuttingDown = false;
  const notify = async (method: string, params: Record<string, unknown>): Promise<NotifyOutcome> => {
    if (shuttingDown) return "unavailable";
    try {
      await server.server.notification({ method, params });
      return "delivered";
    } catch (error) {
      if (shuttingDown) return "unavailable";
      printError(`openclaw mcp: notification ${method} failed`);
      if (options.verbose) printError(`openclaw mcp: notification ${method} error: ${messageOf(error)}`);
      return "failed";
    }
  };
  const queue = new ChannelEventQueue();
  const bridge = new ChannelBridge({
    target,
    claudeChannelMode: mode,
    queue,
    notify,
    log: printError,
    verbose: options.verbose === true,
  });
  server.server.setNotificationHandler(PermissionRequest, ({ params }: z.infer<typeof PermissionRequest>) => {
    bridge.claudePermissionRequested({
      requestId: params.request_id,
      toolName: params.tool_name,
      description: params.description,
      inputPreview: params.input_preview,
    });
  });
  registerChannelTools(server, bridge, queue);

  const transport = new StdioServerTransport();
  const { promise: closed, resolve: closedNow } = Promise.withResolvers<void>();
  const shutdown = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stdin.off("end", shutdown);
    process.stdin.off("close", shutdown);
    Deno.removeSignalListener("SIGINT", shutdown);
    Deno.removeSignalListener("SIGTERM", shutdown);
    bridge.close();
    server.close().then(closedNow, closedNow);
  };
  transport.onclose = shutdown;
  process.stdin.once("end", shutdown);
  process.stdin.once("close", shutdown);
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
  try {
    await server.connect(transport);
    // With -v, as without, the reference's bridge says nothing about connecting (recorded in
    // tests/fixtures/mcp/reference_mcp_reconnect.json): its -v lines are the Claude permission and failure details.
    const started = bridge.start();
    // A client that hangs up while the bridge connects ends the session at once, not after the connect's timeout;
    // the start it overtook then ends on its own (a late connection is closed), so its failure is nobody's.
    started.catch(() => {});
    await Promise.race([started, closed]);
    if (shuttingDown) return 0;
  } catch (error) {
    // A client that hung up while the bridge was still connecting ended the session: that is no failure.
    if (shuttingDown) {
      await closed;
      return 0;
    }
    shutdown();
    await closed;
    return startFailure(reasonOf(error));
  }
  await closed;
  return 0;
}
