// Hook replays: a retried agent request with the same idempotency key (and the same path and
// resolved dispatch fields) gets the first request's run instead of a new one. Failed admissions
// are forgotten (a retry tries again); a finished run is remembered 5 minutes, 1,000 at most.
// Restarting the gateway forgets everything, as in the reference.
import { createHash } from "node:crypto";
import type { HookAdmission } from "../automation/hook_runs.ts";

const TERMINAL_TTL_MS = 5 * 60_000;
const MAX_TERMINAL = 1000;

/** The replay memory of one hooks endpoint. */
export class HookReplays {
  #entries = new Map<string, { admission: Promise<HookAdmission>; settledAt?: number }>();

  /** The remembered admission for `key`, or the one `dispatch` starts (remembered while it holds). */
  run(key: string | undefined, dispatch: () => Promise<HookAdmission>): Promise<HookAdmission> {
    if (!key) return dispatch();
    this.#prune(Date.now());
    const existing = this.#entries.get(key);
    if (existing) return existing.admission;
    const entry: { admission: Promise<HookAdmission>; settledAt?: number } = { admission: dispatch() };
    this.#entries.set(key, entry);
    entry.admission.then((result) => {
      if (!result.ok) {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
        return;
      }
      const settle = () => {
        entry.settledAt = Date.now();
      };
      result.completion.then(settle, settle);
    }, () => this.#entries.delete(key));
    return entry.admission;
  }

  #prune(now: number): void {
    const terminal: string[] = [];
    for (const [key, entry] of this.#entries) {
      if (entry.settledAt === undefined) continue;
      if (entry.settledAt < now - TERMINAL_TTL_MS) this.#entries.delete(key);
      else terminal.push(key);
    }
    for (const key of terminal.slice(0, Math.max(0, terminal.length - MAX_TERMINAL))) this.#entries.delete(key);
  }
}

const digest = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");

/**
 * The replay key: the idempotency key (trimmed, 1-256 chars) scoped by path and dispatch fields,
 * as digests (like the reference): the scope holds the whole message, and 1,000 remembered
 * 256 KB messages would be a quarter gigabyte of keys.
 */
export function replayKey(idempotencyKey: string | undefined, path: string, scope: unknown): string | undefined {
  return idempotencyKey ? `${digest(JSON.stringify([path, scope]))}:${digest(idempotencyKey)}` : undefined;
}

/** The idempotency key: `Idempotency-Key`, then `X-OpenClaw-Idempotency-Key`, then the payload's. */
export function idempotencyKeyOf(
  headers: Record<string, string>,
  payload: Record<string, unknown>,
): string | undefined {
  for (const raw of [headers["idempotency-key"], headers["x-openclaw-idempotency-key"], payload.idempotencyKey]) {
    if (typeof raw !== "string") continue;
    const trimmed = raw.trim();
    if (trimmed && trimmed.length <= 256) return trimmed;
  }
  return undefined;
}
