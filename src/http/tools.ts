import { Hono } from "hono";
import { httpToolAllowed, type Tool } from "../agent/tools.ts";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import { readBody } from "./body.ts";
import { admit, openAiError } from "./_openai_shared.ts";
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

function toolError(status: number, type: string, message: string): Response {
  return Response.json({ ok: false, error: { type, message } }, { status });
}

/**
 * `POST /tools/invoke`: one built-in tool, policy-checked. Unknown and denied tools get the same
 * 404, so a caller cannot probe which dangerous tools exist.
 */
export function toolsRoutes(deps: ToolsDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.all("/tools/invoke", async (c) => {
    const refused = admit(c.req.raw, c.env.remoteAddr, { enabled: true, method: "POST", authorize: deps.authorize });
    if (refused) return refused;
    const read = await readBody(c.req.raw, { maxBytes: MAX_TOOLS_BODY_BYTES });
    if (!read.ok) {
      return read.reason === "too_large"
        ? openAiError(413, "Payload too large", "invalid_request_error", { connection: "close" })
        : openAiError(408, "Request body timeout", "invalid_request_error", { connection: "close" });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(new TextDecoder().decode(read.bytes) || "{}");
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new SyntaxError("body must be a JSON object");
      }
    } catch (error) {
      return openAiError(400, (error as Error).message);
    }
    const name = typeof body.name === "string" ? body.name : typeof body.tool === "string" ? body.tool : undefined;
    if (!name) return toolError(400, "invalid_request", "tools.invoke requires name");
    if (!httpToolAllowed(name, deps.policy(), deps.tools)) {
      return toolError(404, "not_found", `Tool not available: ${name}`);
    }
    const args = body.args && typeof body.args === "object" && !Array.isArray(body.args)
      ? body.args as Record<string, unknown>
      : {};
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
      if (error instanceof TypeError) return toolError(400, "invalid_request", error.message);
      return toolError(500, "tool_error", `${name} failed`);
    }
  });
  return app;
}
