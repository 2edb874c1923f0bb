// The HTTP side of the work admission fence (rpc/work_admission.ts): while a host suspension closes
// admission, the routes that start work (the OpenAI-compatible API, `/tools/invoke`, hooks, join URLs)
// answer 503 as the reference does; an admitted request counts as active work until its handler answers.
import type { WorkAdmission } from "../rpc/work_admission.ts";
import { HttpError } from "./http_error.ts";

const SUSPENDED_MESSAGE = "Gateway is temporarily unavailable while suspending or restarting";

/** The reference's 503 for work refused while admission is closed. */
export function admissionClosed(): HttpError {
  return new HttpError(503, SUSPENDED_MESSAGE, {
    json: { error: { message: SUSPENDED_MESSAGE, type: "service_unavailable", code: "gateway_unavailable" } },
    headers: { "cache-control": "no-store", "retry-after": "1" },
  });
}

/** Runs `handle` as one admitted root of work, or throws the 503 while admission is closed; without a fence, just runs it. */
export async function admittedWork<T>(work: WorkAdmission | undefined, handle: () => Promise<T>): Promise<T> {
  if (!work) return await handle();
  const root = work.begin("http:request");
  if (!root) throw admissionClosed();
  try {
    return await handle();
  } finally {
    root.release();
  }
}
