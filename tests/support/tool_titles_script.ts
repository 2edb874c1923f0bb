// The scripted model of a run calling each of our tools once or twice, and one run of it as a client
// sees it, shared by tools/record_reference_tool_titles.ts and tests/integration/tool_titles_test.ts:
// what the reference's clients show of each call (the `item` stream's title and meta, the `tool`
// stream's meta) and what a call that threw gives back (to the model, the transcript and the events).
import type { FakeUpstream, ScriptedCall, ScriptStep } from "./fake_upstream.ts";
import { clientTestConfig } from "./reference_gateway.ts";
import type { ReferenceSession } from "./reference_client.ts";
import { toolResultsSeen } from "./loop_script.ts";
import { until } from "./until.ts";

/** What the model answers after its last call. */
export const TITLES_ANSWER = "Done with the tools.";

/** The workspace's file the reads find. */
export const NOTES_TEXT = "one\ntwo\nthree\nfour\n";

/** Each call of the script, one per model step, in order (ids `t_<n>`). */
export const TITLE_CALLS: ScriptedCall[] = [
  { name: "read", args: { path: "notes.txt" } },
  { name: "read", args: { path: "notes.txt", offset: 2, limit: 1 } },
  { name: "read", args: { path: "notes.txt", limit: 3 } },
  { name: "read", args: { path: "missing.txt", offset: 5 } },
  { name: "read", args: {} },
  { name: "write", args: { path: "out.txt", content: "hello world\n" } },
  { name: "edit", args: { path: "out.txt", oldText: "hello", newText: "howdy" } },
  { name: "edit", args: { path: "out.txt", oldText: "absent text", newText: "x" } },
  { name: "apply_patch", args: { input: "*** Begin Patch\n*** Add File: added.txt\n+new\n*** End Patch" } },
  { name: "exec", args: { command: "echo hi" } },
  { name: "exec", args: { command: "printf 'a\\nb\\n' | sort -r; echo done" } },
  { name: "process", args: { action: "list" } },
  { name: "web_fetch", args: { url: "http://127.0.0.1:9/page", extractMode: "text", maxChars: 500 } },
  { name: "memory_search", args: { query: "milk" } },
  { name: "memory_get", args: { path: "MEMORY.md", from: 1, lines: 5 } },
  { name: "sessions_list", args: { limit: 5, kinds: ["main"] } },
  { name: "sessions_history", args: { sessionKey: "agent:main:main", limit: 3 } },
  { name: "message", args: { action: "send", to: "+15550001", message: "hi" } },
  { name: "automations", args: { action: "list" } },
  { name: "agents_list", args: {} },
  { name: "no_such_tool", args: { path: "x" } },
].map((call, i) => ({ ...call, id: `t_${i + 1}` }));

/** One step per call, then the answer. */
export function titleSteps(): ScriptStep[] {
  return [...TITLE_CALLS.map((call) => ({ toolCalls: [call] })), { text: TITLES_ANSWER }];
}

/** Both gateways' config: the fake model `titles`, exec on the gateway host without approvals, in `workspace`. */
export function titlesConfig(input: { port: number; token: string; upstreamUrl: string; workspace: string }) {
  const config = clientTestConfig({
    port: input.port,
    token: input.token,
    upstreamUrl: input.upstreamUrl,
    model: "titles",
  }) as { agents: { defaults: Record<string, unknown> }; tools?: Record<string, unknown> };
  config.agents.defaults.workspace = input.workspace;
  config.tools = { exec: { host: "gateway", security: "full", ask: "off" } };
  return config;
}

/** What one call showed: its item events' and tool events' fields that clients render, and what it gave back. */
export interface TitledCall {
  call: string;
  name: string;
  items: Record<string, unknown>[];
  tools: Record<string, unknown>[];
  modelSaw?: string | undefined;
  transcript?: Record<string, unknown> | undefined;
}

const ITEM_KEYS = ["phase", "title", "meta", "status", "commandBearing", "error", "summary"];
const TOOL_KEYS = ["phase", "meta", "isError", "commandBearing", "result"];

function pick(data: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, data[k]]));
}

/** Runs the script in `sessionKey` and records each call as clients and the model saw it. */
export async function runTitles(
  session: ReferenceSession,
  upstream: FakeUpstream,
  input: { sessionKey: string; runId: string; calls?: readonly ScriptedCall[]; model?: string },
): Promise<{ calls: TitledCall[]; final: Record<string, unknown> | undefined }> {
  const script = input.calls ?? TITLE_CALLS;
  const from = session.events.length;
  await session.request("chat.send", {
    sessionKey: input.sessionKey,
    message: "Use the tools",
    idempotencyKey: input.runId,
  });
  const endOf = (e: { event: string; payload: unknown }) => {
    const p = e.payload as { runId?: string; state?: string };
    return e.event === "chat" && p.runId === input.runId && ["final", "error", "aborted"].includes(p.state ?? "");
  };
  await until(() => session.events.slice(from).some(endOf), `the end of ${input.runId}`, 240_000);
  const ofRun = session.events.slice(from).filter((e) =>
    e.event === "agent" && (e.payload as { runId?: string }).runId === input.runId
  ).map((e) => e.payload as { stream: string; data: Record<string, unknown> });
  const seen = toolResultsSeen(upstream.requestsOf(input.model ?? "titles"));
  const history = await session.request<{ messages: Record<string, unknown>[] }>("chat.history", {
    sessionKey: input.sessionKey,
    limit: 200,
  });
  // By position: one call a step, and the reference renames call ids on the wire (`t_1` → `t1`).
  const calls = script.map((call, i) => {
    const mine = (s: string) => ofRun.filter((e) => e.stream === s && e.data.toolCallId === call.id).map((e) => e.data);
    const stored = history.messages.find((m) => m.role === "toolResult" && m.toolCallId === call.id);
    return {
      call: call.id!,
      name: call.name,
      items: mine("item").map((d) => pick(d, ITEM_KEYS)),
      tools: mine("tool").map((d) => pick(d, TOOL_KEYS)),
      modelSaw: seen[i]?.text,
      transcript: stored ? { content: stored.content, details: stored.details, isError: stored.isError } : undefined,
    };
  });
  const final = session.events.slice(from).find(endOf)?.payload as Record<string, unknown> | undefined;
  return { calls, final };
}
