// A model ref's trailing sign-in profile, as the reference reads one (`provider/model@profile`): an `@` after the
// last `/` starts it, unless what follows is a date version (`@20250219`) or a local quantization (`@q4_k_m`,
// `@8bit`), which belong to the model id. Pure.

const DATE_VERSION = /^\d{8}(?:@|$)/;
const QUANTIZATION = /^(?:i?q\d+(?:_[a-z0-9]+)*|\d+bit)(?:@|$)/i;

/** The model ref without its sign-in profile, and the profile when one is written. */
export function splitAuthProfile(raw: string): { model: string; profile?: string } {
  const trimmed = raw.trim();
  let at = trimmed.indexOf("@", trimmed.lastIndexOf("/") + 1);
  if (at <= 0) return { model: trimmed };
  for (const suffix of [DATE_VERSION, QUANTIZATION]) {
    if (!suffix.test(trimmed.slice(at + 1))) continue;
    const next = trimmed.indexOf("@", at + 1);
    if (next < 0) return { model: trimmed };
    at = next;
  }
  const model = trimmed.slice(0, at).trim();
  const profile = trimmed.slice(at + 1).trim();
  return model && profile ? { model, profile } : { model: trimmed };
}
