// A session entry's context size (`totalTokens`) as the reference keeps it: written when a run's answer lands, with
// `totalTokensFresh` and `totalTokensVersion: 1` saying it measures the last prompt. The reference's `sessions`
// and `status` tables and its `sessions.list` show the size only when both marks are there
// (resolveFreshSessionTotalTokens), so a row without them reads `unknown/200k (?%)`.

/** A model call's token usage as a transcript message keeps it. */
export interface AnswerUsage {
  input: number;
  output: number;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
}

/** The entry fields an answer's usage sets; `undefined` removes a field, as the reference's `void 0` drops it. */
export type TotalTokensUpdate = [
  path: "$.totalTokens" | "$.totalTokensFresh" | "$.totalTokensVersion",
  value: number | boolean | undefined,
][];

/**
 * The `totalTokens` fields an answer's usage writes, by the reference's rule at a run's end (its
 * updateSessionStoreAfterAgentRun and the reply runner's usage persistence): usage with any nonzero count sets the
 * last call's prompt tokens, fresh, version 1, or, with no prompt counted, clears them; all-zero usage (no call
 * made, an error) leaves the last size in place but no longer fresh.
 *
 * The reference counts a prompt as `input + cacheRead + cacheWrite` because its `input` leaves the cache out; this
 * gateway's `input` is the provider's whole prompt count (the AI SDK's `inputTokens.total`, cache included), so the
 * prompt is `input` itself and adding the cache would count it twice.
 */
export function totalTokensUpdates(usage: AnswerUsage): TotalTokensUpdate {
  const counted = [usage.input, usage.output, usage.cacheRead, usage.cacheWrite]
    .some((n) => typeof n === "number" && Number.isFinite(n) && n > 0);
  if (!counted) return [["$.totalTokensFresh", false], ["$.totalTokensVersion", undefined]];
  const prompt = Number.isFinite(usage.input) && usage.input > 0 ? Math.floor(usage.input) : undefined;
  if (prompt === undefined) {
    return [["$.totalTokens", undefined], ["$.totalTokensFresh", false], ["$.totalTokensVersion", undefined]];
  }
  return [["$.totalTokens", prompt], ["$.totalTokensFresh", true], ["$.totalTokensVersion", 1]];
}

/**
 * A row's context size when it is fresh, as the reference reads it (resolveFreshSessionTotalTokens): a
 * non-negative `totalTokens` marked fresh at version 1; otherwise undefined.
 */
export function freshTotalTokens(
  row: { totalTokens?: number | undefined; totalTokensFresh?: boolean | undefined; totalTokensVersion?: number },
): number | undefined {
  const total = row.totalTokens;
  if (typeof total !== "number" || !Number.isFinite(total) || total < 0) return undefined;
  return row.totalTokensFresh === true && row.totalTokensVersion === 1 ? total : undefined;
}
