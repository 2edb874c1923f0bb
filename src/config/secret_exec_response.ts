// What an exec secret provider printed, read as the reference reads it: `{protocolVersion: 1, values: {id: value},
// errors?: {id: {code}}}`; a provider with `jsonOnly: false` asked for one id may print the bare value instead.
// Pure, so every refusal is tested without a child process.
import { isJsonObject } from "../log/json_object.ts";
import { SecretRefResolutionError } from "./secret_ref_resolver.ts";

/** The per-id error codes a provider may name; any other code is not echoed (it might carry a secret). */
const SAFE_ERROR_CODES = new Set(["AMBIGUOUS_DUPLICATE_KEY", "NOT_FOUND"]);

/** The values by id from a provider's stdout; an id the provider refused maps to its error. */
export function parseExecResponse(
  stdout: string,
  request: { alias: string; ids: string[]; jsonOnly: boolean },
): Map<string, unknown> {
  const { alias, ids, jsonOnly } = request;
  const trimmed = stdout.trim();
  const fail = (message: string) => new SecretRefResolutionError(message);
  if (!trimmed) throw fail(`Exec provider "${alias}" returned empty stdout.`);
  const single = !jsonOnly && ids.length === 1 ? ids[0] : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    if (single !== undefined) return new Map([[single, trimmed]]);
    throw fail(`Exec provider "${alias}" returned invalid JSON.`);
  }
  if (!isJsonObject(parsed)) {
    if (single !== undefined && typeof parsed === "string") return new Map([[single, parsed]]);
    throw fail(`Exec provider "${alias}" response must be an object.`);
  }
  if (parsed.protocolVersion !== 1) throw fail(`Exec provider "${alias}" protocolVersion must be 1.`);
  const values = parsed.values;
  if (!isJsonObject(values)) throw fail(`Exec provider "${alias}" response missing "values".`);
  const errors = isJsonObject(parsed.errors) ? parsed.errors : undefined;
  const out = new Map<string, unknown>();
  for (const id of ids) {
    if (errors && Object.hasOwn(errors, id)) {
      const entry = errors[id];
      const code = isJsonObject(entry) && typeof entry.code === "string" ? entry.code : undefined;
      const safe = code && SAFE_ERROR_CODES.has(code) ? ` (${code})` : "";
      out.set(id, fail(`Exec provider "${alias}" failed for id "${id}"${safe}.`));
    } else if (Object.hasOwn(values, id)) out.set(id, values[id]);
  }
  return out;
}
