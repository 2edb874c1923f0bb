// One `openclaw mcp serve` session, the same steps against the reference's bridge (recorded by
// tools/record_reference_mcp_serve.ts) and ours (tests/integration/mcp_serve_test.ts): a gateway with a
// Telegram DM answered through the fake Bot API, then the bridge spawned as a stdio child and driven by the
// MCP SDK client: initialize, tools/list, every tool on the seeded conversation, a message arriving while
// connected (events and the Claude notification), messages_send reaching the fake Telegram, and refusals.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { z } from "zod";
import { startFakeTelegram } from "./fake_telegram.ts";
import { startFakeUpstream } from "./fake_upstream.ts";
import { PEER_OPENCLAW, peerEnv } from "./peer.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { ensureFreshBundle, freePort, programArgs } from "./spawn_gateway.ts";
import { until } from "./until.ts";

/** The gateway token both gateways are configured with. */
export const MCP_SERVE_TOKEN = "mcp-serve-token-0123456789";
/** The fake Telegram bot's token. */
export const MCP_SERVE_BOT = "123456:mcp-serve";
/** The Telegram user whose DM becomes the conversation. */
export const MCP_SERVE_USER = 4242;

/** One step's request and answer (a tool result, or the error the client got). */
export interface McpStep {
  step: string;
  request: unknown;
  answer: unknown;
}

/** What one run recorded. */
export interface McpServeRecording {
  initialize: { serverVersion: unknown; capabilities: unknown; instructions: unknown };
  tools: unknown;
  steps: McpStep[];
  notifications: unknown[];
  /** What the fake Telegram received after messages_send. */
  telegramSent: { chatId: string; text: string }[];
  /** The bridge's exit code after the client closed its stdin. */
  exitCode: number | null;
  stderr: string;
}

const ChannelNotification = z.object({
  method: z.literal("notifications/claude/channel"),
  params: z.record(z.string(), z.unknown()),
});
const PermissionNotification = z.object({
  method: z.literal("notifications/claude/channel/permission"),
  params: z.record(z.string(), z.unknown()),
});

/** How to spawn `mcp serve` of `target` ("ref": the reference's; any other: ours) against the gateway on `port`. */
export function bridgeCommand(
  target: string,
  port: number,
  home: string,
  extraArgs: string[] = [],
): { command: string; args: string[]; env: Record<string, string> } {
  const serve = [
    "mcp",
    "serve",
    "--url",
    `ws://127.0.0.1:${port}`,
    "--token-file",
    `${home}/gateway.token`,
    ...extraArgs,
  ];
  if (target === "ref") {
    const where = { home, stateDir: `${home}/.openclaw`, configPath: `${home}/.openclaw/openclaw.json` };
    return { command: PEER_OPENCLAW, args: serve, env: peerEnv(where) };
  }
  ensureFreshBundle();
  const realHome = Deno.env.get("HOME") ?? "/root";
  return {
    command: Deno.execPath(),
    args: [...programArgs(), ...serve],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${realHome}/.cache/deno`,
      NO_COLOR: "1",
    },
  };
}

/** True while a process with `pid` exists. */
export function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the scenario against `target` ("ref": the reference gateway and its `mcp serve`; any other: ours), on
 * `root` for the reference's home; `bridge` picks the `mcp serve` apart from the gateway (the reference's bridge
 * against our gateway is the drop-in check). Every process started here is stopped here, by PID.
 */
export async function runMcpServeScenario(
  target: string,
  root: string,
  bridge: string = target,
): Promise<McpServeRecording> {
  const telegram = startFakeTelegram(MCP_SERVE_BOT);
  const upstream = startFakeUpstream();
  upstream.script("m1", [{ text: "Hi from the agent." }, { text: "Second answer." }, { text: "Third answer." }]);
  const port = freePort();
  const config = {
    ...clientTestConfig({ port, token: MCP_SERVE_TOKEN, upstreamUrl: upstream.url }),
    channels: { telegram: { botToken: MCP_SERVE_BOT, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
  };
  const bridgeHome = await Deno.makeTempDir({ prefix: "oc-mcp-bridge-" });
  const gateway = await startRecordedGateway(target, { root, port, config });
  let transport: StdioClientTransport | undefined;
  try {
    telegram.push(telegram.text(MCP_SERVE_USER, "hello"));
    await telegram.waitForSent((sent) => sent.some((m) => m.text === "Hi from the agent."), 60_000);
    await Deno.writeTextFile(`${bridgeHome}/gateway.token`, `${MCP_SERVE_TOKEN}\n`);
    const spawn = bridgeCommand(bridge, port, bridgeHome);
    transport = new StdioClientTransport({ ...spawn, cwd: bridgeHome, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Uint8Array) => stderr += new TextDecoder().decode(chunk));
    const client = new Client({ name: "mcp-serve-scenario", version: "1.0.0" });
    const notifications: unknown[] = [];
    client.setNotificationHandler(ChannelNotification, (n: unknown) => void notifications.push(n));
    client.setNotificationHandler(PermissionNotification, (n: unknown) => void notifications.push(n));
    await client.connect(transport);
    const pid = transport.pid!;
    const steps: McpStep[] = [];
    const call = async (step: string, name: string, args: Record<string, unknown>) => {
      let answer: unknown;
      try {
        answer = await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 });
      } catch (error) {
        answer = { thrown: error instanceof Error ? error.message : String(error) };
      }
      steps.push({ step, request: { name, arguments: args }, answer });
      return answer as { structuredContent?: Record<string, unknown> };
    };
    const initialize = {
      serverVersion: client.getServerVersion(),
      capabilities: client.getServerCapabilities(),
      instructions: client.getInstructions() ?? null,
    };
    const tools = (await client.listTools()).tools;

    const list = await call("conversations_list", "conversations_list", {});
    const conversations = (list.structuredContent?.conversations ?? []) as { sessionKey: string }[];
    const key = conversations[0]?.sessionKey ?? "agent:main:main";
    await call("conversations_list, channel telegram, limit 1", "conversations_list", {
      channel: "telegram",
      limit: 1,
    });
    await call("conversations_list, channel irc", "conversations_list", { channel: "irc" });
    await call("conversation_get", "conversation_get", { session_key: key });
    const read = await call("messages_read", "messages_read", { session_key: key, limit: 10 });
    const messages = (read.structuredContent?.messages ?? []) as Record<string, unknown>[];
    const firstId = messages.map((m) => (m.__openclaw as { id?: string } | undefined)?.id ?? m.id)
      .find((id) => typeof id === "string") as string | undefined;
    await call("attachments_fetch", "attachments_fetch", { session_key: key, message_id: firstId ?? "none" });
    await call("events_poll, nothing yet", "events_poll", {});
    await call("permissions_list_open", "permissions_list_open", {});

    // A Claude permission request, then a message arriving while connected.
    await client.notification({
      method: "notifications/claude/channel/permission_request",
      params: { request_id: "abcde", tool_name: "Bash", description: "run ls", input_preview: "ls" },
    });
    await until(async () => {
      const poll = await client.callTool({ name: "events_poll", arguments: {} });
      return ((poll.structuredContent as { events?: unknown[] } | undefined)?.events?.length ?? 0) > 0;
    }, "the permission request's event");
    await call("events_poll, permission request", "events_poll", {});
    const waiting = call("events_wait, a live message", "events_wait", { after_cursor: 1, timeout_ms: 60_000 });
    telegram.push(telegram.text(MCP_SERVE_USER, "second message"));
    await waiting;
    await telegram.waitForSent((sent) => sent.some((m) => m.text === "Second answer."), 60_000);
    await until(() => notifications.length > 0, "the Claude channel notification");
    // The agent's answer arrives as its own event after the user's.
    await until(
      async () => {
        const poll = await client.callTool({ name: "events_poll", arguments: { after_cursor: 1 } });
        const events = (poll.structuredContent as { events?: { role?: string }[] } | undefined)?.events ?? [];
        return events.some((e) => e.role === "assistant");
      },
      "the agent's answer as an event",
      30_000,
    );
    await call("events_poll, after the permission request", "events_poll", { after_cursor: 1 });
    await call("events_poll, one session, limit 1", "events_poll", { session_key: key, limit: 1 });
    await call("events_poll, another session", "events_poll", { session_key: "agent:main:other" });

    const sentBefore = telegram.sent.length;
    await call("messages_send", "messages_send", { session_key: key, text: "Sent from MCP." });
    await telegram.waitForSent((sent) => sent.some((m) => m.text === "Sent from MCP."), 30_000);
    const telegramSent = telegram.sent.slice(sentBefore).map((m) => ({ chatId: String(m.chatId), text: m.text }));

    await call("conversation_get, unknown", "conversation_get", { session_key: "agent:main:nope" });
    await call("messages_read, unknown", "messages_read", { session_key: "agent:main:nope" });
    await call("messages_send, unknown", "messages_send", { session_key: "agent:main:nope", text: "x" });
    await call("attachments_fetch, unknown message", "attachments_fetch", { session_key: key, message_id: "nope" });
    await call("conversations_list, limit 0", "conversations_list", { limit: 0 });
    await call("conversation_get, no session_key", "conversation_get", {});
    await call("messages_send, empty text", "messages_send", { session_key: key, text: "" });
    await call("events_wait, times out", "events_wait", { after_cursor: 999, timeout_ms: 50 });
    await call("permissions_respond, unknown id", "permissions_respond", {
      kind: "exec",
      id: "nope",
      decision: "deny",
    });
    await call("permissions_respond, bad decision", "permissions_respond", {
      kind: "exec",
      id: "x",
      decision: "maybe",
    });
    await call("unknown tool", "no_such_tool", {});

    // Closing stdin ends the bridge on its own.
    await client.close();
    transport = undefined;
    await until(() => !alive(pid), "the bridge to exit after its stdin closed", 10_000).catch(() => {});
    const exitCode = alive(pid) ? null : 0;
    if (alive(pid)) Deno.kill(pid, "SIGKILL");
    return { initialize, tools, steps, notifications, telegramSent, exitCode, stderr };
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

/** `mcp serve` invocations refused before anything connects: secrets given twice or unreadable, a bad mode. */
export const MCP_SERVE_REFUSALS: string[][] = [
  ["--token", "inline", "--token-file", "<dir>/token"],
  ["--password", "inline", "--password-file", "<dir>/token"],
  ["--token-file", "<dir>/missing"],
  ["--password-file", "<dir>/missing"],
  ["--token-file", "<dir>/empty"],
  ["--claude-channel-mode", "maybe"],
];

/** One refused invocation: its arguments (`<dir>` for the temp dir), exit code and outputs. */
export interface RefusalCase {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs {@link MCP_SERVE_REFUSALS} with `target`'s CLI ("ref": the reference; any other: ours), stdin closed. */
export async function runServeRefusals(target: string): Promise<RefusalCase[]> {
  const dir = await Deno.makeTempDir({ prefix: "oc-mcp-refuse-" });
  try {
    await Deno.writeTextFile(`${dir}/token`, "secret\n");
    await Deno.writeTextFile(`${dir}/empty`, "");
    const cases: RefusalCase[] = [];
    for (const args of MCP_SERVE_REFUSALS) {
      const spawn = bridgeCommand(target, freePort(), dir);
      const given = args.map((a) => a.replaceAll("<dir>", dir));
      // bridgeCommand's own connection flags are replaced by the case's.
      const base = spawn.args.slice(0, spawn.args.indexOf("serve") + 1);
      const out = await new Deno.Command(spawn.command, {
        args: [...base, ...given],
        env: spawn.env,
        clearEnv: true,
        cwd: dir,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replaceAll(dir, "<dir>");
      cases.push({ args, code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) });
    }
    return cases;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
