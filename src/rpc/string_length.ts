// How the protocol counts a string's length for its `minLength`/`maxLength` bounds: TypeBox's own grapheme rule
// (the package's validators and the precompiled checks use it; it differs from Intl.Segmenter on emoji modifiers,
// `👍🏽` is two). Loaded with the first request that carries a newer field, so TypeBox stays off the start path.

/** Whether a string is within a length bound, counted as the protocol counts. */
export interface StringLength {
  atLeast(value: string, min: number): boolean;
  atMost(value: string, max: number): boolean;
}

/** TypeBox's length rule, loaded now. */
export async function loadStringLength(): Promise<StringLength> {
  const { Guard } = await import("typebox/guard");
  return {
    atLeast: (value, min) => Guard.IsMinLength(value, min),
    atMost: (value, max) => Guard.IsMaxLength(value, max),
  };
}
