// The request frame as a client sends it, checked once where the text is parsed (connection.ts),
// so everything after receives a typed `RequestFrame`.
import { isJsonObject } from "../log/json_object.ts";

/** A parsed request frame. */
export interface RequestFrame {
  type: "req";
  id: string;
  method: string;
  params?: unknown;
}

/** An error body as the protocol sends it. */
export interface ErrorShape {
  code: string;
  message: string;
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
}

/** Whether a parsed frame is a request: an object with a non-empty `id` and `method` and `type: "req"`. */
export function isRequestFrame(frame: unknown): frame is RequestFrame {
  return isJsonObject(frame) && typeof frame.id === "string" && frame.id !== "" &&
    typeof frame.method === "string" && frame.method !== "" && frame.type === "req";
}

/** Describes what makes a frame not a valid request, in the reference's words. */
export function requestFrameProblem(frame: unknown): string | undefined {
  if (!isJsonObject(frame)) return "must be object";
  const problems: string[] = [];
  if (typeof frame.id !== "string" || frame.id === "") problems.push("must have required property 'id'");
  if (typeof frame.method !== "string" || frame.method === "") problems.push("must have required property 'method'");
  if (frame.type !== "req") problems.push("at /type: must be equal to constant");
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/** The id to answer an invalid frame under: its own when it has a usable one, else `invalid`. */
export function answerIdOf(frame: unknown): string {
  return isJsonObject(frame) && typeof frame.id === "string" && frame.id !== "" ? frame.id : "invalid";
}
