// The media settings as the reference reads them: `agents.defaults.mediaMaxMb` (the default size
// limit of a kept file, 20 MB), a channel's own `mediaMaxMb` over it, and `attachments.ttlHours`
// (how long kept media lives; unset means the general sweep is off and only staged outbound files
// age out). Values the schema would refuse fall back to the defaults.

import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** The reference's `agents.defaults.mediaMaxMb` default. */
export const DEFAULT_MEDIA_MAX_MB = 20;

const BYTES_PER_MB = 1024 * 1024;

const positive = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;

/** `agents.defaults.mediaMaxMb` in bytes (20 MB unless set). */
export function mediaMaxBytes(config: RawConfig): number {
  const agents = isJsonObject(config.agents) ? config.agents : {};
  const defaults = isJsonObject(agents.defaults) ? agents.defaults : {};
  return Math.floor((positive(defaults.mediaMaxMb) ?? DEFAULT_MEDIA_MAX_MB) * BYTES_PER_MB);
}

/** A channel's `mediaMaxMb` (account over channel root, as written) in bytes, or the fallback when unset. */
export function channelMediaMaxBytes(mediaMaxMb: unknown, fallbackBytes: number): number {
  const mb = positive(mediaMaxMb);
  return mb === undefined ? fallbackBytes : Math.floor(mb * BYTES_PER_MB);
}

/** The media store's settings in force: the default size limit and the retention (undefined: off). */
export interface MediaSettings {
  maxBytes: number;
  ttlMs: number | undefined;
}

/** The media store's settings from the config as written. */
export function mediaSettings(config: RawConfig): MediaSettings {
  return { maxBytes: mediaMaxBytes(config), ttlMs: mediaTtlMs(config) };
}

/** `attachments.ttlHours` in milliseconds, or undefined when unset (the general media sweep is off). */
export function mediaTtlMs(config: RawConfig): number | undefined {
  const attachments = isJsonObject(config.attachments) ? config.attachments : {};
  const hours = positive(attachments.ttlHours);
  return hours === undefined ? undefined : Math.round(hours * 3_600_000);
}
