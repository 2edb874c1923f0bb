// One check for config values that must be one of a fixed set of words (a mode, a scope, a level):
// a type guard, so the narrowed value carries its literal type without an assertion.

/** Whether `value` is one of `choices`, narrowing it to their literal type. */
export function isOneOf<T extends string>(choices: readonly T[], value: unknown): value is T {
  return choices.some((choice) => choice === value);
}
