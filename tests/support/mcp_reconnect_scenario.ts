// `openclaw mcp serve` across a gateway restart, the same steps against the reference's bridge (recorded by
// tools/record_reference_mcp_reconnect.ts) and ours (tests/integration/mcp_reconnect_test.ts): the bridge
// (with -v) connected to a gateway with a Telegram DM, the gateway stopped by PID, tools called while it is down,
// a new gateway on the same port and state dir, the bridge reconnecting on its own (polled through a tool, never
// a fixed sleep), then a new inbound Telegram message through events_wait and a reply through messages_send.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { startFakeTelegram } from "./fake_telegram.ts";
import { startFakeUpstream } from "./fake_upstream.ts";
import {
  alive,
  bridgeCommand,
  MCP_SERVE_BOT,
  MCP_SERVE_TOKEN,
  MCP_SERVE_USER,
  type McpStep,
} from "./mcp_serve_scenario.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { freePort } from "./spawn_gateway.ts";
import { until } from "./until.ts";

/** What one run recorded. */
export interface McpReconnectRecording {
  steps: McpStep[];
  /** What the fake Telegram received after the restart's messages_send. */
  telegramSent: { chatId: string; text: string }[];
  /** The bridge's exit code after the client closed its stdin (null: still running, then killed). */
  exitCode: number | null;
  /** The bridge's stderr (it runs with -v), the gateway's URL as `<url>`. */
  stderr: string;
}

interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content?: { text?: string }[];
}

/**
 * Runs the restart scenario with `target`'s gateway ("ref": the reference's; any other: ours) and `bridge`'s
 * `mcp serve`, the reference's home under `root`. Every process started here is stopped here, by PID.
 */
export async function runMcpReconnectScenario(
  target: string,
  root: string,
  bridge: string = target,
): Promise<McpReconnectRecording> {
  const telegram = startFakeTelegram(MCP_SERVE_BOT);
  const upstream = startFakeUpstream();
  upstream.script("m1", [{ text: "Hi from the agent." }, { text: "Answer after the restart." }]);
  const port = freePort();
  const config = {
    ...clientTestConfig({ port, token: MCP_SERVE_TOKEN, upstreamUrl: upstream.url }),
    channels: { telegram: { botToken: MCP_SERVE_BOT, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
  };
  const bridgeHome = await Deno.makeTempDir({ prefix: "oc-mcp-reconnect-" });
  const gateway = await startRecordedGateway(target, { root, port, config });
  let transport: StdioClientTransport | undefined;
  try {
    telegram.push(telegram.text(MCP_SERVE_USER, "hello"));
    await telegram.waitForSent((sent) => sent.some((m) => m.text === "Hi from the agent."), 60_000);
    await Deno.writeTextFile(`${bridgeHome}/gateway.token`, `${MCP_SERVE_TOKEN}\n`);
    const spawn = bridgeCommand(bridge, port, bridgeHome, ["-v"]);
    transport = new StdioClientTransport({ ...spawn, cwd: bridgeHome, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Uint8Array) => stderr += new TextDecoder().decode(chunk));
    const client = new Client({ name: "mcp-reconnect-scenario", version: "1.0.0" });
    await client.connect(transport);
    const pid = transport.pid!;
    const steps: McpStep[] = [];
    const tool = async (name: string, args: Record<string, unknown>): Promise<ToolAnswer> => {
      try {
        return await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 }) as ToolAnswer;
      } catch (error) {
        return { thrown: error instanceof Error ? error.message : String(error) } as ToolAnswer;
      }
    };
    const call = async (step: string, name: string, args: Record<string, unknown>) => {
      const answer = await tool(name, args);
      steps.push({ step, request: { name, arguments: args }, answer });
      return answer;
    };

    const list = await call("conversations_list, connected", "conversations_list", {});
    const conversations = (list.structuredContent?.conversations ?? []) as { sessionKey: string }[];
    const key = conversations[0]?.sessionKey ?? "agent:main:main";

    await gateway.restart(async () => {
      // The bridge learns of the close from its socket; a tool that asks the gateway fails from then on.
      await until(
        async () => (await tool("conversations_list", {})).isError === true,
        "a tool to fail while the gateway is down",
        30_000,
      );
      await call("conversations_list, gateway down", "conversations_list", {});
      await call("conversation_get, gateway down", "conversation_get", { session_key: key });
      await call("messages_read, gateway down", "messages_read", { session_key: key });
      await call("messages_send, gateway down", "messages_send", { session_key: key, text: "While down." });
      await call("permissions_list_open, gateway down", "permissions_list_open", {});
      await call("events_poll, gateway down", "events_poll", {});
      await call("events_wait, gateway down", "events_wait", { timeout_ms: 50 });
    });

    // No client action: the bridge reconnects on its own, with its backoff.
    await until(
      async () => (await tool("conversations_list", {})).isError !== true,
      "the bridge to reconnect to the new gateway",
      90_000,
    );
    await call("conversations_list, reconnected", "conversations_list", {});
    const waiting = call("events_wait, a message after the restart", "events_wait", {
      after_cursor: 0,
      timeout_ms: 90_000,
    });
    telegram.push(telegram.text(MCP_SERVE_USER, "after the restart"));
    await waiting;
    await telegram.waitForSent((sent) => sent.some((m) => m.text === "Answer after the restart."), 60_000);

    const sentBefore = telegram.sent.length;
    await call("messages_send, reconnected", "messages_send", { session_key: key, text: "Sent after the restart." });
    await telegram.waitForSent((sent) => sent.some((m) => m.text === "Sent after the restart."), 30_000);
    const telegramSent = telegram.sent.slice(sentBefore).map((m) => ({ chatId: String(m.chatId), text: m.text }));

    await client.close();
    transport = undefined;
    await until(() => !alive(pid), "the bridge to exit after its stdin closed", 10_000).catch(() => {});
    const exitCode = alive(pid) ? null : 0;
    if (alive(pid)) Deno.kill(pid, "SIGKILL");
    return { steps, telegramSent, exitCode, stderr: stderr.replaceAll(`ws://127.0.0.1:${port}`, "<url>") };
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    await transport?.close().catch(() => {});
    await gateway.stop();
    await telegram.stop();
    await upstream.stop();
    await Deno.remove(bridgeHome, { recursive: true }).catch(() => {});
  }
}
