// `openclaw config set --batch-json|--batch-file`: a JSON5 array of `{path, value|ref|provider}`
// entries, turned into edit operations in the reference's words. Pure: the command reads the file.
import JSON5 from "json5";
import { isJsonObject } from "../log/json_object.ts";
import { ConfigEditError, type EditOperation } from "./config_edit.ts";
import { buildSecretRef, PROVIDER_ALIAS } from "./secret_ref_builder.ts";
import { parseConfigPathDetailed } from "./config_path.ts";

function secretRefOf(value: unknown, label: string) {
  if (!isJsonObject(value)) throw new ConfigEditError(`${label} must be an object with source/provider/id.`);
  const { source, provider, id } = value;
  if (typeof provider !== "string" || typeof source !== "string" || typeof id !== "string") {
    throw new ConfigEditError(`${label} must include string fields: source, provider, id.`);
  }
  // The builder's checks, named by this entry's label instead of `ref`.
  try {
    return buildSecretRef({ provider, source, id });
  } catch (error) {
    if (!(error instanceof ConfigEditError)) throw error;
    throw new ConfigEditError(error.message.replace(/^ref\./, `${label}.`));
  }
}

/**
 * The operations of a batch, in order: `value` sets a JSON value, `ref` a checked SecretRef,
 * `provider` a secret provider at `secrets.providers.<alias>`. `label` names the source
 * (`--batch-json` or `--batch-file`) in every refusal.
 */
export function batchOperations(raw: string, label: string): EditOperation[] {
  let parsed: unknown;
  try {
    parsed = JSON5.parse(raw);
  } catch (error) {
    throw new ConfigEditError(`Failed to parse ${label}: ${error}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigEditError(`${label} must be a JSON array.`);
  if (parsed.length === 0) throw new ConfigEditError(`${label} must contain at least one config update.`);
  return parsed.map((entry: unknown, index): EditOperation => {
    const at = `${label}[${index}]`;
    if (!isJsonObject(entry)) throw new ConfigEditError(`${at} must be an object.`);
    const rawPath = typeof entry.path === "string" ? entry.path.trim() : "";
    if (!rawPath) throw new ConfigEditError(`${at}.path is required.`);
    const kinds = ["value", "ref", "provider"].filter((key) => Object.hasOwn(entry, key));
    if (kinds.length !== 1) throw new ConfigEditError(`${at} must include exactly one of: value, ref, provider.`);
    const parsed = parseConfigPathDetailed(rawPath);
    const path = parsed.tokens;
    // Only a path with a quoted number (`["0"]`) carries the set: the common operation stays plain.
    const quoted = parsed.quotedNumeric.size > 0 ? { quotedNumeric: parsed.quotedNumeric } : {};
    if (kinds[0] === "ref") {
      return { inputMode: "json", path, ...quoted, value: secretRefOf(entry.ref, `batch[${index}].ref`) };
    }
    if (kinds[0] === "provider") {
      if (path.length !== 3 || path[0] !== "secrets" || path[1] !== "providers") {
        throw new ConfigEditError(
          'Provider builder mode requires path "secrets.providers.<alias>" (example: secrets.providers.vault).',
        );
      }
      if (!PROVIDER_ALIAS.test(String(path[2]))) {
        throw new ConfigEditError(
          `Provider alias "${path[2]}" must match /^[a-z][a-z0-9_-]{0,63}$/ (example: "default").`,
        );
      }
      if (!isJsonObject(entry.provider)) {
        throw new ConfigEditError(`batch[${index}].provider invalid at <provider>: expected an object`);
      }
      return { inputMode: "json", path, value: entry.provider };
    }
    return { inputMode: "json", path, ...quoted, value: entry.value };
  });
}
