// Every layer logs and reports what was thrown; `catch` gives `unknown`, so the text of a thrown
// value is read here once instead of `(error as Error).message` at every edge.

/** The message of anything thrown: an Error's own message, else the value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The stack of anything thrown (its message when the runtime kept no stack), else the value as text. */
export function stackOf(error: unknown): string {
  return error instanceof Error ? error.stack ?? String(error) : String(error);
}
