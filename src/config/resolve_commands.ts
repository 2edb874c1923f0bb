// The `commands` section's authorization keys: who may run chat commands (`commands.allowFrom`)
// and who is the gateway's owner on a channel (`commands.ownerAllowFrom`), as the reference reads them.
import type { RawConfig } from "./schema.ts";

/** `commands.allowFrom` and `commands.ownerAllowFrom` after validation. */
export interface ResolvedCommands {
  /**
   * Per channel (`"*"` for every channel), the senders allowed to run commands; when set at all it is
   * the only authorization source for commands. Absent: the channel's own allowlist and pairing decide.
   */
  allowFrom?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Owner entries as `channel:senderId` (a bare id matches on every channel); empty: no channel sender is the owner. */
  ownerAllowFrom: readonly string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is string | number => typeof entry === "string" || typeof entry === "number")
      .map((entry) => String(entry).trim()).filter((entry) => entry !== "")
    : [];
}

/** Reads `commands.allowFrom` and `commands.ownerAllowFrom` (anything malformed counts as absent). */
export function resolveCommands(config: RawConfig): ResolvedCommands {
  const section = (config as { commands?: unknown }).commands;
  const commands = section && typeof section === "object" ? section as Record<string, unknown> : {};
  const rawAllow = commands.allowFrom;
  let allowFrom: Record<string, string[]> | undefined;
  if (rawAllow && typeof rawAllow === "object" && !Array.isArray(rawAllow)) {
    allowFrom = {};
    for (const [channel, list] of Object.entries(rawAllow)) allowFrom[channel.toLowerCase()] = strings(list);
  }
  return { allowFrom, ownerAllowFrom: strings(commands.ownerAllowFrom) };
}
