/** Resolves after `ms` milliseconds (a retry step, a poll interval, a held-back refusal). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
