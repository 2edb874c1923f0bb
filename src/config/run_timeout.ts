// `agents.defaults.timeoutSeconds`, the deadline of every agent run that does not bring its own, read as
// the reference's resolveAgentTimeoutMs reads it: a whole number of seconds, 0 for none, 48 hours unset.

/** The reference's default run deadline when `agents.defaults.timeoutSeconds` is not written: 48 hours. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 172_800;

/** Whole numbers only, as the reference's resolveOptionalIntegerOption reads them; anything else is unset. */
export function integerOption(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : undefined;
}

/** `agents.defaults.timeoutSeconds` as written, resolved: a whole number ≥ 0, else the 48-hour default. */
export function configuredRunTimeoutSeconds(written: unknown): number {
  const seconds = integerOption(written);
  return seconds !== undefined && seconds >= 0 ? seconds : DEFAULT_RUN_TIMEOUT_SECONDS;
}
