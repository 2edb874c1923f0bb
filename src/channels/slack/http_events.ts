// Slack's HTTP Events API on the gateway's port: each POST is checked against the signing secret first (an
// unsigned, forged or stale request gets an empty 401, as the reference's receiver answers), then
// `url_verification` is answered with its challenge, and an `event_callback` is handed to the account, which
// answers 200 once the event is stored (an error status makes Slack send it again; a retry of a stored event
// carries the same `event_id`, which the queue turns away).
import { isJsonObject } from "../../log/json_object.ts";
import type { Logger } from "../../log/logger.ts";
import { messageOf } from "../errors.ts";
import { signatureProblem } from "./signature.ts";

/** Largest body accepted: events are a few KiB; anything near this is not Slack's. */
const MAX_BODY_BYTES = 1024 * 1024;

/** What the handler needs from the account. */
export interface SlackHttpEventsOptions {
  signingSecret: string;
  log: Logger;
  label: string;
  /** An `event_callback` body with Slack's retry headers; resolves once it is stored. */
  onEvent(body: Record<string, unknown>, retry: { num?: number; reason?: string }): Promise<void>;
  /** The clock (tests move it). */
  now?: () => number;
}

async function readCapped(request: Request, max: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.length > max ? undefined : new TextDecoder().decode(bytes);
}

const empty = (status: number) => new Response(null, { status });

/** The handler mounted at the account's `webhookPath`. */
export function slackHttpEvents(options: SlackHttpEventsOptions): (request: Request) => Promise<Response> {
  const now = options.now ?? Date.now;
  return async (request) => {
    if (request.method !== "POST") return empty(404);
    const body = await readCapped(request, MAX_BODY_BYTES);
    if (body === undefined) return empty(413);
    const problem = await signatureProblem(options.signingSecret, request.headers, body, now());
    if (problem) {
      options.log.warn(`${options.label}: Failed to parse and verify the request data: ${problem}`);
      return empty(401);
    }
    let parsed: unknown;
    try {
      const type = request.headers.get("content-type") ?? "";
      // Interactivity and slash commands come form-encoded; the Events API sends JSON.
      parsed = type.includes("application/x-www-form-urlencoded")
        ? Object.fromEntries(new URLSearchParams(body))
        : JSON.parse(body);
    } catch (error) {
      options.log.warn(`${options.label}: Malformed request body: ${messageOf(error)}`);
      return empty(400);
    }
    if (!isJsonObject(parsed)) return empty(400);
    if (parsed.ssl_check === "1") return empty(200);
    if (parsed.type === "url_verification") {
      return Response.json({ challenge: parsed.challenge });
    }
    if (parsed.type !== "event_callback") {
      // Slash commands and interactive payloads are not served yet: acknowledged so Slack does not retry them.
      options.log.info(`${options.label}: HTTP payload of type ${String(parsed.type ?? parsed.command)} ignored`);
      return empty(200);
    }
    const num = Number(request.headers.get("x-slack-retry-num") ?? "");
    const reason = request.headers.get("x-slack-retry-reason") ?? undefined;
    try {
      await options.onEvent(parsed, {
        ...(Number.isInteger(num) && num > 0 ? { num } : {}),
        ...(reason ? { reason } : {}),
      });
    } catch (error) {
      // Not stored: an error status leaves the event with Slack, which sends it again.
      options.log.warn(`${options.label}: event ${String(parsed.event_id)} not stored: ${messageOf(error)}`);
      return empty(500);
    }
    return empty(200);
  };
}
