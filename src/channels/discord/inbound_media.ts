// The files a Discord message carries (its `attachments`: images, voice messages, audio, any file), fetched
// as the reference fetches them: from Discord's CDN only (cdn.discordapp.com, media.discordapp.net, any
// *.discordapp.com / *.discordapp.net host; https), without the bot token (the CDN's signed URLs need none),
// at most the account's `mediaMaxMb` (default 100), with the reference's timeouts (60 s without data, 120 s
// in all); kept in the gateway's media store. One that cannot be kept (too large, failed, not on the CDN)
// is named to the agent as the reference names it: `[discord attachment unavailable]` after the text.

import { lookup as dnsLookup } from "node:dns/promises";
import type { WebFetchSsrfPolicy } from "../../config/resolve_web_fetch.ts";
import { pinnedFetch } from "../../agent/pinned_fetch.ts";
import { checkHost, type LookupFn } from "../../agent/web_fetch_guard.ts";
import { MediaRefusedError, type MediaStore, type StoredMedia } from "../../media/media_types.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { readAtMost } from "../capped_body.ts";
import { messageOf } from "../errors.ts";

/** Discord's message flag for a voice message (recorded in the app, with a waveform). */
export const IS_VOICE_MESSAGE = 1 << 13;

/** The hosts Discord serves attachments from, as the reference's CDN allowlist names them. */
const CDN_HOSTS = ["cdn.discordapp.com", "media.discordapp.net"];
const CDN_SUFFIXES = [".discordapp.com", ".discordapp.net"];

/** The reference's attachment timeouts: no 60 s without data, 120 s for the whole download. */
const TIMEOUTS = { idleMs: 60_000, totalMs: 120_000 };

/**
 * Where a CDN name may resolve, as the reference's DISCORD_MEDIA_SSRF_POLICY has it: public addresses, and the
 * RFC 2544 benchmark range (some proxies answer there); never private, loopback, link-local or metadata ones.
 */
const CDN_ADDRESS_POLICY: WebFetchSsrfPolicy = {
  dangerouslyAllowPrivateNetwork: false,
  allowedHostnames: [],
  blockedHostnames: [],
  allowRfc2544BenchmarkRange: true,
  allowIpv6UniqueLocalRange: false,
};

/** How many redirects a download may follow (each one checked against the CDN allowlist). */
const MAX_REDIRECTS = 3;

/** One attachment as the MESSAGE_CREATE describes it. */
export interface DiscordAttachmentRef {
  id: string;
  url: string | undefined;
  fileName: string | undefined;
  /** The size Discord reports. */
  size: number | undefined;
  contentType: string | undefined;
  voice: boolean;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** The attachments of a raw MESSAGE_CREATE (none when it has no readable list). */
export function discordAttachmentsOf(message: unknown): DiscordAttachmentRef[] {
  if (!isJsonObject(message) || !Array.isArray(message.attachments)) return [];
  const voiceMessage = typeof message.flags === "number" && (message.flags & IS_VOICE_MESSAGE) !== 0;
  return message.attachments.filter(isJsonObject).map((a) => ({
    id: text(a.id) ?? "attachment",
    url: text(a.url),
    fileName: text(a.filename),
    size: typeof a.size === "number" ? a.size : undefined,
    contentType: text(a.content_type),
    // A voice message's file carries its waveform; the message says so in its flags.
    voice: voiceMessage || typeof a.waveform === "string",
  }));
}

/** The reference's note for attachments that could not be kept, after the message's text. */
export function unavailableNotice(body: string, count: number): string {
  if (count === 0) return body;
  const notice = `[discord ${count > 1 ? `${count} attachments` : "attachment"} unavailable]`;
  return body.trim() ? `${body.trim()}\n\n${notice}` : notice;
}

/**
 * Whether a URL is Discord's CDN (https), or, when the gateway was pointed at another Discord (`DISCORD_API_URL`,
 * already checked to be https or loopback http), that origin and nothing else, as the reference's endpoint guard has it.
 */
export function isDiscordCdn(url: URL, extraOrigin: string | undefined): boolean {
  if (extraOrigin !== undefined) return url.origin === extraOrigin;
  if (url.protocol !== "https:") return false;
  const host = url.hostname.toLowerCase();
  return CDN_HOSTS.includes(host) || CDN_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** What fetching attachments needs: the store, the limit, where files may come from. */
export interface DiscordFileFetch {
  store: MediaStore;
  /** The account's `mediaMaxMb` in bytes. */
  maxBytes: number;
  /** The origin standing in for Discord (`DISCORD_API_URL`'s), when one is set. */
  extraOrigin?: string | undefined;
  /** Stands in for the pinned connection to the CDN (tests); the addresses are checked all the same. */
  fetch?: typeof fetch;
  /** Resolves a CDN name (DNS by default). */
  lookup?: LookupFn | undefined;
  timeouts?: { idleMs: number; totalMs: number } | undefined;
}

/** The kept files, and why the others were not (one reason each, for the log). */
export interface FetchedAttachments {
  media: StoredMedia[];
  failures: string[];
}

/** Fetches a message's attachments, in order, into the store (see the file comment). */
export async function fetchDiscordAttachments(
  refs: readonly DiscordAttachmentRef[],
  deps: DiscordFileFetch,
): Promise<FetchedAttachments> {
  const result: FetchedAttachments = { media: [], failures: [] };
  for (const ref of refs) {
    try {
      result.media.push(await fetchOne(ref, deps));
    } catch (error) {
      result.failures.push(`attachment ${ref.id}: ${messageOf(error)}`);
    }
  }
  return result;
}

/**
 * One GET, redirects left to the caller. A CDN name is checked where it resolves and the connection made to the
 * checked addresses only (no DNS rebinding), as the reference's SSRF guard does; the origin DISCORD_API_URL names
 * is the operator's own choice and is fetched as it is.
 */
async function request(url: URL, signal: AbortSignal, deps: DiscordFileFetch): Promise<Response> {
  if (deps.extraOrigin !== undefined) return await (deps.fetch ?? fetch)(url, { redirect: "manual", signal });
  const lookup = deps.lookup ?? (async (host: string) => await dnsLookup(host, { all: true }));
  const addresses = await checkHost(url.hostname, CDN_ADDRESS_POLICY, lookup);
  signal.throwIfAborted();
  if (deps.fetch) return await deps.fetch(url, { redirect: "manual", signal });
  return await pinnedFetch(url, { headers: {}, signal, addresses });
}

async function fetchOne(ref: DiscordAttachmentRef, deps: DiscordFileFetch): Promise<StoredMedia> {
  const limitMb = Math.round(deps.maxBytes / 1_048_576);
  const tooLarge = () => new MediaRefusedError(`exceeds the ${limitMb}MB limit (channels.discord.mediaMaxMb)`);
  if (!ref.url) throw new Error("missing url");
  if (ref.size !== undefined && ref.size > deps.maxBytes) throw tooLarge();
  const timeouts = deps.timeouts ?? TIMEOUTS;
  // A stalled CDN must not hold the message (and its replay) forever.
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`download timed out after ${timeouts.totalMs} ms`)),
    timeouts.totalMs,
  );
  try {
    let url = new URL(ref.url);
    for (let hop = 0;; hop++) {
      if (!isDiscordCdn(url, deps.extraOrigin)) throw new Error(`${url.origin} is not Discord's CDN`);
      if (url.username || url.password) {
        throw new Error("credentials (user:password@) are not allowed in an attachment URL");
      }
      // No credentials: the bot token goes to Discord's API only, never to a file host.
      const response = await request(url, abort.signal, deps);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        // The reference follows none on a custom endpoint.
        const most = deps.extraOrigin === undefined ? MAX_REDIRECTS : 0;
        if (hop >= most) throw new Error(`more than ${most} redirects`);
        url = new URL(location, url);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`download answered HTTP ${response.status}`);
      }
      const bytes = await readAtMost(response, deps.maxBytes, timeouts.idleMs);
      if (!bytes) throw tooLarge();
      return await deps.store.save(bytes, {
        direction: "inbound",
        mimeType: ref.contentType,
        fileName: ref.fileName,
        voice: ref.voice || undefined,
        maxBytes: deps.maxBytes,
      });
    }
  } finally {
    clearTimeout(timer);
  }
}
