import { Hono } from "hono";
import { type AgentTool, ToolError } from "../agent/tool.ts";
import { httpToolAllowed } from "../agent/tools.ts";
import { agentOfKey } from "../sessions/store.ts";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import { admission } from "./admission.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import { apiError, HttpError } from "./http_error.ts";
import { parseJsonObject, readApiBody } from "./json_body.ts";
import type { HttpEnv } from "./types.ts";

/** An agent's tools as its runs are offered them (catalog and tool policy), and its workspace. */
export interface AgentToolSet {
  tools: AgentTool[];
  workspace: string;
}

/** What `/tools/invoke` needs. */
export interface ToolsDeps {
  authorize(request: Request, remoteAddr: string): BearerVerdict;
  /** The tools an agent's runs may use; undefined for an agent the config does not have. */
  agentTools(agentId: string): Promise<AgentToolSet | undefined>;
  /** `gateway.tools.{allow,deny}`, read per request. */
  policy(): { allow?: string[] | undefined; deny?: string[] | undefined };
  defaultAgentId(): string;
  /** The work admission fence (503 while a host suspension holds). */
  work?: WorkAdmission | undefined;
}

/** Largest `/tools/invoke` body. */
export const MAX_TOOLS_BODY_BYTES = 2 * 1024 * 1024;

function toolError(status: number, type: string, message: string): HttpError {
  return new HttpError(status, message, { json: { ok: false, error: { type, message } } });
}

/** Reads the JSON object body (empty is `{}`); a body too large, too slow or not an object is thrown as the refusal. */
async function readToolsBody(request: Request): Promise<Record<string, unknown>> {
  const parsed = parseJsonObject(await readApiBody(request, MAX_TOOLS_BODY_BYTES), { emptyIsObject: true });
  if (!parsed.ok) throw apiError(400, parsed.syntax ?? "body must be a JSON object");
  return parsed.value;
}

function isArgs(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The agent and session a call names: `agentId`, else the session key's agent, else the default agent. */
function target(body: Record<string, unknown>, defaultAgentId: string): { agentId: string; sessionKey: string } {
  const key = typeof body.sessionKey === "string" && body.sessionKey !== "main" ? body.sessionKey : undefined;
  const keyAgent = key?.startsWith("agent:") ? agentOfKey(key) : undefined;
  const asked = typeof body.agentId === "string" ? body.agentId : undefined;
  if (asked && keyAgent && asked !== keyAgent) {
    throw toolError(400, "invalid_request", `agentId ${asked} does not match session key ${key}`);
  }
  const agentId = asked ?? keyAgent ?? defaultAgentId;
  return { agentId, sessionKey: key ?? `agent:${agentId}:main` };
}

/** The arguments with the body's `action` merged in when the tool takes one and `args` did not set it. */
function argsOf(body: Record<string, unknown>, tool: AgentTool): Record<string, unknown> {
  const args = isArgs(body.args) ? { ...body.args } : {};
  const properties = tool.parameters.properties;
  if (typeof body.action === "string" && args.action === undefined && isArgs(properties) && "action" in properties) {
    args.action = body.action;
  }
  return args;
}

/**
 * `POST /tools/invoke`: one tool of the agent's, under its tool policy and the HTTP deny list.
 * Unknown and denied tools get the same 404, so a caller cannot probe which dangerous tools exist.
 */
export function toolsRoutes(deps: ToolsDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const admitted = admission({ enabled: () => true, method: "POST", authorize: deps.authorize, work: deps.work });
  app.all("/tools/invoke", admitted, async (c) => {
    const body = await readToolsBody(c.req.raw);
    const name = typeof body.name === "string" ? body.name : typeof body.tool === "string" ? body.tool : undefined;
    if (!name) throw toolError(400, "invalid_request", "tools.invoke requires name");
    const { agentId, sessionKey } = target(body, deps.defaultAgentId());
    const set = await deps.agentTools(agentId);
    if (!set) throw toolError(400, "invalid_request", `Unknown agent id "${agentId}"`);
    const tool = set.tools.find((t) => t.name === name);
    if (!tool || !httpToolAllowed(name, deps.policy(), new Set(set.tools.map((t) => t.name)))) {
      throw toolError(404, "not_found", `Tool not available: ${name}`);
    }
    if (body.dryRun === true) return Response.json({ ok: true, result: { dryRun: true, tool: name } });
    const toolCallId = typeof body.idempotencyKey === "string" ? `http-${body.idempotencyKey}` : crypto.randomUUID();
    try {
      const result = await tool.execute(argsOf(body, tool), {
        runId: `http-tools-${crypto.randomUUID()}`,
        toolCallId,
        agentId,
        sessionKey,
        workspace: set.workspace,
        signal: c.req.raw.signal,
        // Gateway auth on this surface is trusted operator access (the reference's rule).
        senderIsOwner: true,
        update: () => {},
      });
      return Response.json({ ok: true, result: { content: result.content, details: result.details ?? {} } });
    } catch (error) {
      throw error instanceof ToolError
        ? toolError(400, "invalid_request", error.message)
        : toolError(500, "tool_error", `${name} failed`);
    }
  });
  return app;
}
