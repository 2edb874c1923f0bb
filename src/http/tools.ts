import { Hono } from "hono";
import { httpToolAllowed, type Tool } from "../agent/tools.ts";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import { admission } from "./admission.ts";
import { apiError, HttpError } from "./http_error.ts";
import { parseJsonObject, readApiBody } from "./json_body.ts";
import type { HttpEnv } from "./types.ts";

/** What `/tools/invoke` needs. */
export interface ToolsDeps {
  authorize(request: Request, remoteAddr: string): BearerVerdict;
  tools: Readonly<Record<string, Tool>>;
  /** `gateway.tools.{allow,deny}`, read per request. */
  policy(): { allow?: string[] | undefined; deny?: string[] | undefined };
  defaultAgentId(): string;
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

/**
 * `POST /tools/invoke`: one built-in tool, policy-checked. Unknown and denied tools get the same
 * 404, so a caller cannot probe which dangerous tools exist.
 */
export function toolsRoutes(deps: ToolsDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const admitted = admission({ enabled: () => true, method: "POST", authorize: deps.authorize });
  app.all("/tools/invoke", admitted, async (c) => {
    const body = await readToolsBody(c.req.raw);
    const name = typeof body.name === "string" ? body.name : typeof body.tool === "string" ? body.tool : undefined;
    if (!name) throw toolError(400, "invalid_request", "tools.invoke requires name");
    if (!httpToolAllowed(name, deps.policy(), deps.tools)) {
      throw toolError(404, "not_found", `Tool not available: ${name}`);
    }
    const args = isArgs(body.args) ? body.args : {};
    if (body.dryRun === true) return Response.json({ ok: true, result: { dryRun: true, tool: name } });
    try {
      const details = await deps.tools[name]!.run(args, {
        agentId: typeof body.agentId === "string" ? body.agentId : deps.defaultAgentId(),
      });
      return Response.json({
        ok: true,
        result: { content: [{ type: "text", text: JSON.stringify(details) }], details },
      });
    } catch (error) {
      throw error instanceof TypeError
        ? toolError(400, "invalid_request", error.message)
        : toolError(500, "tool_error", `${name} failed`);
    }
  });
  return app;
}
