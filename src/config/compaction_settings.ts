// `agents.defaults.compaction` as the agent runtime reads it, with the reference's defaults.
import { isJsonObject } from "../log/json_object.ts";

/** Compaction settings (`agents.defaults.compaction.*`). */
export interface CompactionSettings {
  /** `enabled`: automatic compaction near the window (manual `/compact` works either way). */
  enabled: boolean;
  /** `keepRecentTokens`: the recent tail kept word for word. */
  keepRecentTokens: number;
  /** `model`: a `provider/model` that writes summaries instead of the run's own model. */
  model?: string | undefined;
}

/** The reference's defaults: automatic compaction on, a 20,000-token recent tail. */
export const DEFAULT_COMPACTION: CompactionSettings = { enabled: true, keepRecentTokens: 20_000 };

/** Reads a `compaction` section as written; anything malformed keeps its default. */
export function compactionSettings(raw: unknown): CompactionSettings {
  const section = isJsonObject(raw) ? raw : {};
  const keep = section.keepRecentTokens;
  return {
    enabled: section.enabled !== false,
    keepRecentTokens: typeof keep === "number" && Number.isInteger(keep) && keep > 0
      ? keep
      : DEFAULT_COMPACTION.keepRecentTokens,
    ...(typeof section.model === "string" && section.model.trim() ? { model: section.model.trim() } : {}),
  };
}
