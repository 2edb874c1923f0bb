// The size limit for files the gateway sends, as the reference's resolveOutboundMediaMaxBytes reads
// it for staging outbound media: the channel account's `mediaMaxMb`, the channel's, then
// `agents.defaults.mediaMaxMb`, else 5 MB (its MEDIA_MAX_BYTES).
import { objectOrEmpty } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** The reference's outbound staging cap when nothing is configured. */
export const OUTBOUND_MEDIA_DEFAULT_BYTES = 5 * 1024 * 1024;
const MB = 1024 * 1024;

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The size limit in bytes for files sent on one channel account. */
export function outboundMediaMaxBytes(config: RawConfig, channel: string, accountId: string): number {
  const section = objectOrEmpty(objectOrEmpty(config.channels)[channel]);
  const account = objectOrEmpty(objectOrEmpty(section.accounts)[accountId]);
  const mb = positive(account.mediaMaxMb) ?? positive(section.mediaMaxMb) ??
    positive(objectOrEmpty(objectOrEmpty(config.agents).defaults).mediaMaxMb);
  return mb === undefined ? OUTBOUND_MEDIA_DEFAULT_BYTES : Math.floor(mb * MB);
}
