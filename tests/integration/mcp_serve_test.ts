// `openclaw mcp serve` as an MCP client spawns it: our gateway with a Telegram DM answered through the fake
// Bot API, our bridge as a stdio child driven by the MCP SDK client, every answer checked against the
// reference's bridge recorded on the same steps (tests/fixtures/mcp/reference_mcp_serve.json, by
// tools/record_reference_mcp_serve.ts). Ids, timestamps and the transcript metadata each gateway adds are
// left out; the differences kept are the ones docs/compatibility.md lists.
import assert from "node:assert/strict";
import {
  type McpServeRecording,
  type McpStep,
  type RefusalCase,
  runMcpServeScenario,
  runServeRefusals,
} from "../support/mcp_serve_scenario.ts";
import { VERSION } from "../../src/version.ts";

interface Fixture extends McpServeRecording {
  refusals: RefusalCase[];
}

const FIXTURE: Fixture = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/mcp/reference_mcp_serve.json", import.meta.url)),
);

type Json = Record<string, unknown>;

/**
 * A conversation without what each gateway fills differently: the reference's rows have the sender's label as
 * display name and title (ours have none), and `updatedAt` is a time.
 */
function conversation(value: unknown): Json | null {
  if (value === null || value === undefined) return null;
  const { displayName: _d, derivedTitle: _t, updatedAt, ...rest } = value as Json;
  return { ...rest, updatedAt: updatedAt === null ? null : "<time>" };
}

/** A transcript message as both gateways write it: role and content. */
function message(value: unknown): Json {
  const m = value as Json;
  return { role: m.role, content: m.content };
}

/** An event without its ids and the gateway's raw payload (the session row each gateway carries differs). */
function event(value: unknown): Json | null {
  if (value === null) return null;
  const { raw: _raw, messageId, conversation: c, ...rest } = value as Json;
  return {
    ...rest,
    ...(c !== undefined ? { conversation: conversation(c) } : {}),
    ...(messageId !== undefined ? { messageId: typeof messageId } : {}),
  };
}

/** A step's answer with the per-gateway parts normalized (see the helpers above). */
function normalized(step: McpStep): unknown {
  const answer = step.answer as { content?: { text: string }[]; structuredContent?: Json; isError?: boolean };
  const s = answer.structuredContent;
  const first = answer.content?.[0]?.text ?? "";
  // Text answers that print the payload as JSON are compared by their summary line; the payload is below.
  const text = first.split("\n\n")[0];
  const base = { text, isError: answer.isError ?? false };
  if (!s) return base;
  if ("conversations" in s) return { ...base, conversations: (s.conversations as unknown[]).map(conversation) };
  if ("conversation" in s) return { ...base, conversation: conversation(s.conversation) };
  if ("messages" in s) return { ...base, messages: (s.messages as unknown[]).map(message) };
  if ("attachments" in s) return { ...base, attachments: s.attachments, message: message(s.message) };
  if ("events" in s) {
    return { ...base, events: (s.events as unknown[]).map(event), next_cursor: s.next_cursor, gap: s.gap };
  }
  if ("event" in s) return { ...base, event: event(s.event), gap: s.gap };
  if ("approvals" in s) return { ...base, approvals: s.approvals };
  // messages_send: the send's channel and message id (ours also says the account, recipient and chunks).
  const result = s.result as Json;
  return { ...base, channel: result.channel, messageId: typeof result.messageId };
}

/** A step's request; the id of a message the scenario read back is each gateway's own. */
function request(step: McpStep): unknown {
  const { name, arguments: args } = step.request as { name: string; arguments: Json };
  const id = args.message_id;
  return { name, arguments: { ...args, ...(id !== undefined && id !== "nope" ? { message_id: "<id>" } : {}) } };
}

function channelNotification(value: unknown): unknown {
  const n = value as { method: string; params: { content: string; meta: Json } };
  const meta = n.params.meta;
  return {
    method: n.method,
    content: n.params.content,
    meta: { ...meta, message_id: typeof meta.message_id },
  };
}

/** Runs the scenario on our gateway with `bridge`'s `mcp serve` ("ours" or "ref"). */
async function scenarioOnOurGateway(bridge: string): Promise<McpServeRecording> {
  const root = await Deno.makeTempDir({ prefix: "oc-mcp-serve-" });
  try {
    return await runMcpServeScenario("ours", root, bridge);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** Every step, notification, Telegram send and the bridge's end as the reference's bridge recorded them. */
function assertAsRecorded(ours: McpServeRecording): void {
  assert.deepEqual(ours.tools, FIXTURE.tools);
  assert.deepEqual(ours.steps.map((s) => s.step), FIXTURE.steps.map((s) => s.step));
  for (const [i, step] of ours.steps.entries()) {
    assert.deepEqual(request(step), request(FIXTURE.steps[i]!), step.step);
    assert.deepEqual(normalized(step), normalized(FIXTURE.steps[i]!), step.step);
  }
  assert.deepEqual(ours.notifications.map(channelNotification), FIXTURE.notifications.map(channelNotification));
  assert.deepEqual(ours.telegramSent, FIXTURE.telegramSent);
  assert.equal(ours.exitCode, 0, "the bridge exits once its stdin closes");
  assert.equal(ours.stderr, FIXTURE.stderr);
}

Deno.test("mcp serve answers an MCP client as the reference's bridge does, live events and a reply through Telegram included", async () => {
  const ours = await scenarioOnOurGateway("ours");
  assert.deepEqual(ours.initialize, {
    ...FIXTURE.initialize,
    serverVersion: { name: "openclaw", version: VERSION },
  });
  assertAsRecorded(ours);
});

Deno.test("the reference's own mcp serve against our gateway answers as against the reference's (sessions.get, route rows, session.message, send)", async () => {
  assertAsRecorded(await scenarioOnOurGateway("ref"));
});

Deno.test("mcp serve refuses secrets given twice, unreadable secret files and a bad Claude mode in the reference's words", async () => {
  assert.deepEqual(await runServeRefusals("ours"), FIXTURE.refusals);
});
