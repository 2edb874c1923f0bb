// Freezing a value kept between callers (a parsed transcript message, a loaded skill): a caller that changed a shared
// object would corrupt every later reader's copy, so it fails at once instead (strict mode throws on the write).

/** Freezes `value` and every object in it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
