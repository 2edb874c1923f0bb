// One bounded poll for state that has no event to wait on (a list filled by a socket handler, a
// file another process writes). The deadline is generous on purpose: it only bounds a failure, so
// a loaded machine slows a passing test down instead of failing it.

/** How long {@link until} waits by default. */
export const UNTIL_TIMEOUT_MS = 15_000;

/** Polls `check` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = UNTIL_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
