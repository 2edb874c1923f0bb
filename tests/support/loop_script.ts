// The scripted model of a run stuck in a tool loop, and one run of it as a client sees it, shared by
// tools/record_reference_loop_detection.ts and tests/integration/tool_loop_detection_test.ts: the model reads
// the same missing file again and again, in agent `main` (loop detection on) and in agent `loose` (its own
// `tools.loopDetection.enabled: false` overlaying the global on).
import type { FakeUpstream, ScriptStep } from "./fake_upstream.ts";
import { clientTestConfig } from "./reference_gateway.ts";
import type { ReferenceSession } from "./reference_client.ts";
import { until } from "./until.ts";

/** How many times the model calls `read` before it would answer. */
export const LOOP_CALLS = 35;

/** The file it keeps reading: not in the workspace. */
export const LOOP_PATH = "missing.txt";

/** What the model answers after its last call (reached only when nothing stops the run). */
export const LOOP_ANSWER = "I could not read it.";

/** 35 steps each calling `read` of missing.txt (call ids `loop_1`..`loop_35`), then the answer. */
export function loopSteps(): ScriptStep[] {
  const calls: ScriptStep[] = Array.from({ length: LOOP_CALLS }, (_, i) => ({
    toolCalls: [{ id: `loop_${i + 1}`, name: "read", args: { path: LOOP_PATH } }],
  }));
  return [...calls, { text: LOOP_ANSWER }];
}

/**
 * The config of both gateways: `tools.loopDetection` on; agent `main` on fake model "loopy", agent `loose` on
 * "loose" with its own loop detection off; both working in `workspace`.
 */
export function loopConfig(input: { port: number; token: string; upstreamUrl: string; workspace: string }) {
  const config = clientTestConfig({
    port: input.port,
    token: input.token,
    upstreamUrl: input.upstreamUrl,
    model: "loopy",
  }) as {
    models: { providers: { fake: { models: { id: string; name: string }[] } } };
    agents: Record<string, unknown>;
    tools?: Record<string, unknown>;
  };
  config.models.providers.fake.models.push({ id: "loose", name: "loose" });
  config.tools = { loopDetection: { enabled: true } };
  config.agents = {
    defaults: { model: { primary: "fake/loopy" }, workspace: input.workspace },
    list: [
      { id: "main", default: true },
      {
        id: "loose",
        model: { primary: "fake/loose" },
        workspace: input.workspace,
        tools: { loopDetection: { enabled: false } },
      },
    ],
  };
  return config;
}

/** The text of each tool result the model got back, in order (the last OpenAI chat-completions request). */
export function toolResultsSeen(requests: readonly Record<string, unknown>[]): { call: string; text: string }[] {
  const last = requests.at(-1);
  const messages = (last?.messages ?? []) as { role?: string; tool_call_id?: string; content?: unknown }[];
  return messages.filter((m) => m.role === "tool").map((m) => ({
    call: m.tool_call_id ?? "",
    text: typeof m.content === "string"
      ? m.content
      : Array.isArray(m.content)
      ? (m.content as { text?: string }[]).map((part) => part.text ?? "").join("")
      : JSON.stringify(m.content),
  }));
}

/** Whether the run ended (its chat final, error or aborted). */
const ended = (runId: string) => (e: { event: string; payload: unknown }) => {
  const p = e.payload as { runId?: string; state?: string };
  return e.event === "chat" && p.runId === runId && ["final", "error", "aborted"].includes(p.state ?? "");
};

/** One loop run as recorded: what the model got back, the run's events, how it ended, the last messages. */
export interface LoopRun {
  sent: unknown;
  modelRequests: number;
  toolResults: { call: string; text: string }[];
  agentEvents: unknown[];
  chatEvents: Record<string, unknown>[];
  wait: Record<string, unknown>;
  lastMessages: Record<string, unknown>[];
}

/** Sends the looping message to `sessionKey` (its agent's model is `model`) and records the run to its end. */
export async function runLoop(
  session: ReferenceSession,
  upstream: FakeUpstream,
  input: { model: string; sessionKey: string; runId: string },
): Promise<LoopRun> {
  const from = session.events.length;
  const sent = await session.request("chat.send", {
    sessionKey: input.sessionKey,
    message: "Read missing.txt",
    idempotencyKey: input.runId,
  });
  await until(() => session.events.slice(from).some(ended(input.runId)), `the end of ${input.runId}`, 240_000);
  const requests = upstream.requestsOf(input.model);
  const ofRun = session.events.slice(from).filter((e) =>
    (e.event === "agent" || e.event === "chat") && (e.payload as { runId?: string }).runId === input.runId
  );
  const history = await session.request<{ messages: Record<string, unknown>[] }>("chat.history", {
    sessionKey: input.sessionKey,
    limit: 6,
  });
  const wait = await session.request<Record<string, unknown>>("agent.wait", { runId: input.runId, timeoutMs: 1000 })
    .catch((error) => ({ error: String(error) }));
  return {
    sent,
    modelRequests: requests.length,
    toolResults: toolResultsSeen(requests),
    agentEvents: ofRun.filter((e) => e.event === "agent").map((e) => e.payload),
    chatEvents: ofRun.filter((e) => e.event === "chat" && (e.payload as { state?: string }).state !== "delta")
      .map((e) => e.payload as Record<string, unknown>),
    wait,
    lastMessages: history.messages,
  };
}
