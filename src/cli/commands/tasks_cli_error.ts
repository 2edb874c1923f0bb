// The refusals of `openclaw tasks` before any work: a bad enum flag, a bad --limit, an inherited flag a
// subcommand does not take. Their words are the reference's; tasks.ts prints them as it does.

/** A refused `openclaw tasks` invocation, its message the reference's. */
export class TasksCliError extends Error {
  /** Names the refusal for the exit mapping. */
  override name = "TasksCliError";
}

/** `a`, `a or b`, `a, b, or c`: the reference's list of accepted values. */
function humanList(values: readonly string[]): string {
  if (values.length <= 1) return values.join("");
  if (values.length === 2) return `${values[0]} or ${values[1]}`;
  return `${values.slice(0, -1).join(", ")}, or ${values.at(-1)}`;
}

/** An optional enum flag: undefined when absent or blank, the value when listed, else refused. */
export function enumFilter<T extends string>(
  raw: string | undefined,
  flag: string,
  values: readonly T[],
): T | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  const match = values.find((value) => value === trimmed);
  if (!match) throw new TasksCliError(`${flag} must be ${humanList(values)}.`);
  return match;
}
