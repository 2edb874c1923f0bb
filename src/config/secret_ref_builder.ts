// The SecretRef `openclaw config set --ref-provider/--ref-source/--ref-id` (and a batch `ref`
// entry) builds, checked part by part in the reference's words.
import { ConfigEditError } from "./config_edit.ts";

/** A secret provider alias, as the reference allows it. */
export const PROVIDER_ALIAS = /^[a-z][a-z0-9_-]{0,63}$/;
const ENV_ID = /^[A-Z][A-Z0-9_]{0,127}$/;

/** The SecretRef `--ref-provider/--ref-source/--ref-id` build, checked as the reference checks it. */
export function buildSecretRef(input: { provider: string; source: string; id: string }): {
  source: string;
  provider: string;
  id: string;
} {
  const provider = input.provider.trim();
  if (!provider) throw new ConfigEditError("ref.provider is required.");
  if (!PROVIDER_ALIAS.test(provider)) {
    throw new ConfigEditError(`ref.provider must match /^[a-z][a-z0-9_-]{0,63}$/ (example: "default").`);
  }
  const source = input.source.trim();
  if (!["env", "file", "exec", "store"].includes(source)) {
    throw new ConfigEditError("ref.source must be one of: env, file, exec, store.");
  }
  const id = input.id.trim();
  if (!id) throw new ConfigEditError("ref.id is required.");
  if ((source === "env" || source === "store") && !ENV_ID.test(id)) {
    throw new ConfigEditError(`ref.id must match /^[A-Z][A-Z0-9_]{0,127}$/ for ${source} refs.`);
  }
  if (source === "file" && id !== "value" && !id.startsWith("/")) {
    throw new ConfigEditError('ref.id must be an absolute JSON pointer (or "value" for singleValue mode).');
  }
  return { source, provider, id };
}
