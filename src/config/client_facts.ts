// Settings clients are told about at connect and in `status` (hello-ok.snapshot.sessionDefaults,
// updateSchedule, the CLI projection), read from the config as written with the reference's defaults.
import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The main session's key suffix and `session.scope` (default `per-sender`). The suffix is always `main`: the reference
 * 2026.9.6 accepts `session.mainKey` but rewrites it to `main` when it loads the config, so its hello-ok, its session
 * keys and `sessions.abort` never see another value (tests/fixtures/sessions_abort/reference_main_key.json).
 */
export function mainSessionSettings(config: RawConfig): { mainKey: string; scope: string } {
  const session = isJsonObject(config.session) ? config.session : {};
  return { mainKey: "main", scope: text(session.scope) ?? "per-sender" };
}

/** `update.channel` as configured, or null. */
export function configuredUpdateChannel(config: RawConfig): string | null {
  const update = isJsonObject(config.update) ? config.update : {};
  return text(update.channel) ?? null;
}
