import { MAX_TIMER_MS, secondsToTimerMs, timerSafeMs } from "../../async/timer_ms.ts";
import { connectGateway, GatewayRequestError, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { mainSessionSettings } from "../../config/client_facts.ts";
import { loadConfig } from "../../config/load.ts";
import { resolveAgents } from "../../config/resolve_agents.ts";
import type { RunLocalAgent } from "../../server/local_agent.ts";
import { unreachableLines } from "../gateway_failure.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson, printLine } from "../output.ts";

/** Options of `openclaw agent`, by the reference's flag names. */
export interface AgentOptions extends GlobalOptions {
  message?: string;
  messageFile?: string;
  to?: string;
  sessionKey?: string;
  sessionId?: string;
  agent?: string;
  model?: string;
  thinking?: string;
  verbose?: string;
  channel?: string;
  replyTo?: string;
  replyChannel?: string;
  replyAccount?: string;
  local?: boolean;
  deliver?: boolean;
  timeout?: string;
  json?: boolean;
}

/** A refusal of the command line itself, reported in the reference's CLI error envelope. */
class AgentCliError extends Error {
  override name = "AgentCliError";
  readonly runId: string | undefined;
  constructor(message: string, runId?: string) {
    super(message);
    this.runId = runId;
  }
}

const MESSAGE_FILE_MAX_BYTES = 4 * 1024 * 1024;

async function messageOf(options: AgentOptions): Promise<string> {
  if (options.message !== undefined && options.messageFile !== undefined) {
    throw new AgentCliError("Use either --message or --message-file, not both.");
  }
  if (options.messageFile !== undefined) {
    const path = options.messageFile.trim();
    if (!path) throw new AgentCliError("--message-file must not be empty.");
    const info = await Deno.stat(path).catch(() => undefined);
    if (!info?.isFile) throw new AgentCliError(`Cannot read message file: ${path}`);
    if (info.size > MESSAGE_FILE_MAX_BYTES) {
      throw new AgentCliError(`File exceeds ${MESSAGE_FILE_MAX_BYTES} bytes: ${path}`);
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await Deno.readFile(path));
    } catch {
      throw new AgentCliError(`Message file must be valid UTF-8: ${path}`);
    }
    text = text.replace(/^\uFEFF/, "");
    if (!text.trim()) throw new AgentCliError(`Message file is empty: ${path}`);
    return text;
  }
  const message = options.message ?? "";
  if (!message.trim()) {
    throw new AgentCliError(
      'Missing message. Use openclaw agent --message "..." --agent <id> or openclaw agent --message-file <path> --agent <id>.',
    );
  }
  return message;
}

function timeoutSecondsOf(raw: string | undefined): number {
  if (raw === undefined) return 600;
  if (!/^\d+$/.test(raw.trim())) {
    throw new AgentCliError(
      "Invalid --timeout. Use seconds as a non-negative integer, for example --timeout 600. " +
        "Use --timeout 0 to disable the timeout.",
    );
  }
  return Number(raw.trim());
}

/** What the run targets, as the reference's CLI derives it from the selectors. */
export function sessionSelection(
  options: Pick<AgentOptions, "agent" | "sessionKey" | "sessionId" | "to">,
  agents: { ids: readonly string[]; defaultId: string; globalScope?: boolean },
): { agentId?: string; sessionKey?: string; sessionId?: string; to?: string } {
  for (
    const [flag, value] of [["--agent", options.agent], ["--session-id", options.sessionId], [
      "--session-key",
      options.sessionKey,
    ], ["--to", options.to]] as const
  ) {
    if (value !== undefined && !value.trim()) throw new AgentCliError(`${flag} must not be blank`);
  }
  const agentId = options.agent?.trim().toLowerCase();
  if (agentId && !agents.ids.includes(agentId)) {
    throw new AgentCliError(
      `Unknown agent id "${options.agent!.trim()}". Use "openclaw agents list" to see configured agents.`,
    );
  }
  const key = options.sessionKey?.trim();
  const sessionId = options.sessionId?.trim();
  const to = options.to?.trim();
  // Without a selector only a global-scope config with a sole agent has an implied target (the reference's rule).
  const impliedTarget = agents.globalScope === true && agents.ids.length === 1;
  if (!key && !sessionId && !agentId && !to && !impliedTarget) {
    throw new AgentCliError(
      "No target session selected. Use --agent <id>, --session-key <key>, --session-id <id>, or --to <E.164>. " +
        "Run openclaw agents list to see agents.",
    );
  }
  if (key) {
    if (key.startsWith("agent:")) {
      const parts = key.split(":");
      if (parts.length < 3 || !parts[1] || !parts.slice(2).join(":")) {
        throw new AgentCliError(
          `Invalid --session-key "${key}". Agent-prefixed session keys must use agent:<agent-id>:<session-key>.`,
        );
      }
      if (agentId && parts[1] !== agentId) {
        throw new AgentCliError(`Agent id "${options.agent!.trim()}" does not match session key agent "${parts[1]}".`);
      }
      return { sessionKey: key, ...(to ? { to } : {}) };
    }
    const sentinel = !agentId && (key === "global" || key === "unknown");
    return { sessionKey: sentinel ? key : `agent:${agentId ?? agents.defaultId}:${key}`, ...(to ? { to } : {}) };
  }
  if (sessionId) {
    return {
      sessionId,
      sessionKey: `agent:${agentId ?? agents.defaultId}:explicit:${sessionId}`,
      ...(to ? { to } : {}),
    };
  }
  return { agentId: agentId ?? agents.defaultId, ...(to ? { to } : {}) };
}

/**
 * The reference's words when the gateway went silent mid-turn: the turn may still run there, so say
 * which run (once accepted) and how to check before running it twice.
 */
export function transportLossHint(error: GatewayTransportError, acceptedRunId: string | undefined): string {
  const how = error.kind === "timeout" ? "timed out" : "connection closed";
  const run = acceptedRunId
    ? ` (accepted run ${acceptedRunId}${
      error.kind === "timeout" ? "; use --timeout <seconds> to extend the CLI wait" : ""
    })`
    : "";
  return `Gateway agent call ${how}; the Gateway may still be running this turn${run}. Check ` +
    "`openclaw gateway status` and the session transcript before retrying or rerunning with --local, so the " +
    "turn does not execute twice.";
}

/** The reference's CLI error envelope (JSON on stdout) or its lines (stderr); exit code 1. */
function failed(error: AgentCliError, options: AgentOptions): number {
  if (options.json) {
    printJson({
      ok: false,
      ...(error.runId ? { runId: error.runId, origin: "gateway" } : {}),
      error: { type: "cli_error", message: error.message },
    });
    printFailureBlock(error.message);
  } else printError(error.message);
  return 1;
}

/**
 * The lines plain output prints for a finished run: each payload's text. An ok run that answered
 * nothing prints nothing; only one that did not end ok and has no payloads says why (the reference's rule).
 */
export function replyLines(payload: Record<string, unknown>): string[] {
  const payloads = (payload.result as { payloads?: { text?: string }[] } | undefined)?.payloads ?? [];
  if (payloads.length === 0 && payload.status !== "ok") {
    return [typeof payload.summary === "string" && payload.summary ? payload.summary : "No reply from agent."];
  }
  return payloads.map((p) => p.text?.trimEnd() ?? "").filter((t) => t !== "");
}

/** Prints a finished run's answer: the payload as JSON (a local run: its `result`, as the reference prints), or each reply text. */
function printAnswer(payload: Record<string, unknown>, options: AgentOptions, local = false): number {
  if (options.json && local) {
    // The embedded run's result as the reference prints it: payloads and meta (no gateway delivery state).
    const { payloads, meta } = payload.result as { payloads: unknown; meta: unknown };
    printJson({ payloads, meta });
    return payload.status === "ok" ? 0 : 1;
  }
  if (options.json) {
    // With --deliver the reference's CLI lifts the gateway's delivery report to the top level too.
    const delivery = (payload.result as { deliveryStatus?: unknown } | undefined)?.deliveryStatus;
    printJson(options.deliver && delivery ? { ...payload, deliveryStatus: delivery } : payload);
    return payload.status === "ok" ? 0 : 1;
  }
  if (payload.status === "in_flight") {
    printError(
      typeof payload.runId === "string"
        ? `Agent run ${payload.runId} is already in flight; not starting a duplicate run.`
        : "Agent run is already in flight; not starting a duplicate run.",
    );
    return 1;
  }
  for (const line of replyLines(payload)) printLine(line);
  return payload.status === "ok" ? 0 : 1;
}

/**
 * `openclaw agent --message ...`: one agent turn through the gateway's `agent` method (waiting for
 * its final answer, as the reference's CLI does), or in this process with `--local`.
 */
export async function agent(
  options: AgentOptions,
  deps: { runLocal?: RunLocalAgent } = {},
): Promise<number> {
  const env = Deno.env.toObject();
  const target = await resolveTarget({ profile: options.profile, dev: options.dev }, env);
  try {
    const message = await messageOf(options);
    if (/^\/compact(\s|$)/i.test(message.trim())) {
      printError("Slash commands cannot be executed via --message from the CLI. Use: openclaw sessions compact <key>");
      return 1;
    }
    const timeoutSeconds = timeoutSecondsOf(options.timeout);
    const snapshot = target.configError ? undefined : await loadConfig(target.configPath, env);
    const agents = resolveAgents(snapshot?.config ?? {}, target.stateDir, target.home);
    const selection = sessionSelection(options, {
      ids: agents.agents.map((a) => a.id),
      defaultId: agents.defaultAgentId,
      globalScope: mainSessionSettings(snapshot?.config ?? {}).scope === "global",
    });
    if (options.local) {
      const runLocal = deps.runLocal ?? (await import("../../server/local_agent.ts")).runAgentLocally;
      const local = await runLocal({
        message,
        agentId: selection.agentId,
        sessionKey: selection.sessionKey,
        model: options.model,
        timeoutMs: timeoutSeconds === 0 ? MAX_TIMER_MS : secondsToTimerMs(timeoutSeconds),
      }, { env, profile: options.profile, dev: options.dev });
      if (!local.ok) throw new AgentCliError(local.message);
      return printAnswer(local.payload, options, true);
    }
    const idempotencyKey = crypto.randomUUID();
    let acceptedRunId: string | undefined;
    // The gateway ends the turn at --timeout; the CLI waits 30 s more for its answer (the reference's margin).
    const waitMs = timeoutSeconds === 0 ? MAX_TIMER_MS : timerSafeMs(Math.max((timeoutSeconds + 30) * 1000, 10_000));
    let connection;
    try {
      connection = await connectGateway(target, { scopes: ["operator.admin"], timeoutMs: 10_000 });
    } catch (error) {
      if (error instanceof GatewayTransportError) {
        // The reference's words: the turn may have run, so say how to check before retrying.
        const lines = unreachableLines(error, target);
        printError(
          "Gateway agent call connection closed; the Gateway may still be running this turn. Check " +
            "`openclaw gateway status` and the session transcript before retrying or rerunning with --local, so " +
            "the turn does not execute twice.",
        );
        for (const line of lines) printError(line);
        if (options.json) printJson({ ok: false, error: { type: "cli_error", message: lines.join("\n") } });
        return 1;
      }
      throw error;
    }
    try {
      const payload = await connection.request<Record<string, unknown>>(
        "agent",
        {
          message,
          ...selection,
          ...(options.model ? { model: options.model } : {}),
          ...(options.replyTo ? { replyTo: options.replyTo } : {}),
          ...(options.thinking ? { thinking: options.thinking } : {}),
          deliver: options.deliver === true,
          ...(options.channel ? { channel: options.channel } : {}),
          ...(options.replyChannel ? { replyChannel: options.replyChannel } : {}),
          ...(options.replyAccount ? { replyAccountId: options.replyAccount } : {}),
          timeout: timeoutSeconds,
          idempotencyKey,
        },
        waitMs,
        {
          expectFinal: true,
          onAccepted: (accepted) => {
            if (typeof accepted.runId === "string") acceptedRunId = accepted.runId;
          },
        },
      );
      return printAnswer(payload, options);
    } catch (error) {
      if (error instanceof GatewayTransportError) printError(transportLossHint(error, acceptedRunId));
      if (error instanceof GatewayRequestError || error instanceof GatewayTransportError) {
        throw new AgentCliError(error.message, acceptedRunId);
      }
      throw error;
    } finally {
      connection.close();
    }
  } catch (error) {
    if (error instanceof AgentCliError) return failed(error, options);
    throw error;
  }
}
