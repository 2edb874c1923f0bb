// `image_url` parts of `/v1/chat/completions`, taken as the reference takes them: from the active
// turn only (the last user or tool message; a tool message carries none), at most 8, each a
// base64 `data:` URL or, with `chatCompletions.images.allowUrl`, an http(s) URL fetched through
// the SSRF guard; 10 MB each and 20 MB in all by default. Any refusal is the reference's one 400.
import type { HttpMediaLimits } from "../config/resolve_http_media.ts";
import { apiError } from "./http_error.ts";
import { getLogger } from "../log/logger.ts";
// Loaded only for a URL source: it brings node:http/https and DNS, which a data-only request never needs.
import type { MediaFetchHooks } from "./media_fetch.ts";
import { base64DecodedBytes, decodeWithin, normalizeImage, type RunImage } from "./media_image.ts";
import { MediaInputError } from "./media_input_error.ts";
import type { MediaResolver } from "./turn_media.ts";

/** The reference's prompt for an active user message with images and no text. */
export const IMAGE_ONLY_USER_MESSAGE = "User sent image(s) with no text.";

/** The reference's answer to every refused `image_url` part. */
export const INVALID_IMAGE_URL = "Invalid image_url content in `messages`.";

/** The active turn's `image_url` URLs, or "invalid" when one has none; undefined when it has no image part. */
export type ImageUrls = string[] | "invalid";

function urlOf(part: Record<string, unknown>): string | undefined {
  const value = part.image_url;
  const raw = typeof value === "string"
    ? value
    : value && typeof value === "object" && "url" in value && typeof value.url === "string"
    ? value.url
    : undefined;
  const trimmed = raw?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The image parts of the active turn, or undefined when there are none: the scan a text-only
 * request pays is one look at the last user message's parts.
 */
export function activeTurnImageUrls(messages: readonly { role?: unknown; content?: unknown }[]): ImageUrls | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (!message || typeof message !== "object") continue;
    const role = message.role === "function" ? "tool" : message.role;
    if (role === "tool") return undefined;
    if (role !== "user") continue;
    if (!Array.isArray(message.content)) return undefined;
    const urls: string[] = [];
    for (const part of message.content) {
      if (!part || typeof part !== "object" || part.type !== "image_url") continue;
      const url = urlOf(part);
      if (!url) return "invalid";
      urls.push(url);
    }
    return urls.length > 0 ? urls : undefined;
  }
  return undefined;
}

type Source = { type: "base64"; mediaType: string | undefined; data: string } | { type: "url"; url: string };

function sourceOf(url: string): Source {
  const match = /^data:([^,]*?),(.*)$/is.exec(url);
  if (!match) return { type: "url", url };
  const meta = match[1]!.split(";").map((part) => part.trim()).filter(Boolean);
  if (!meta.some((part) => part.toLowerCase() === "base64")) {
    throw new MediaInputError("image_url data URI must be base64 encoded");
  }
  const data = match[2]!.trim();
  if (!data) throw new MediaInputError("image_url data URI is missing payload data");
  return { type: "base64", mediaType: meta.find((part) => part.includes("/")), data };
}

async function resolveOne(
  source: Source,
  limits: HttpMediaLimits["chatCompletions"]["images"],
  signal: AbortSignal,
  hooks: MediaFetchHooks,
): Promise<RunImage> {
  if (source.type === "url") {
    const fetched = await (await import("./media_fetch.ts")).fetchMediaUrl(
      source.url,
      limits,
      "image_url",
      signal,
      hooks,
    );
    return normalizeImage(fetched.bytes, fetched.contentType, limits);
  }
  const { bytes, canonical } = decodeWithin(source.data, limits.maxBytes, "Image", "image_url");
  return normalizeImage(bytes, source.mediaType ?? "image/png", limits, canonical);
}

async function resolveAll(
  urls: ImageUrls,
  limits: HttpMediaLimits["chatCompletions"],
  signal: AbortSignal,
  hooks: MediaFetchHooks,
): Promise<RunImage[]> {
  if (urls === "invalid") throw new MediaInputError("image_url part is missing a valid URL");
  if (urls.length > limits.maxImageParts) {
    throw new MediaInputError(`Too many image_url parts (${urls.length}; limit ${limits.maxImageParts})`);
  }
  const images: RunImage[] = [];
  let total = 0;
  for (const url of urls) {
    const source = sourceOf(url);
    if (source.type === "base64" && total + base64DecodedBytes(source.data) > limits.maxTotalImageBytes) {
      throw new MediaInputError(
        `Total image payload too large (${
          total + base64DecodedBytes(source.data)
        }; limit ${limits.maxTotalImageBytes})`,
      );
    }
    const image = await resolveOne(source, limits.images, signal, hooks);
    total += base64DecodedBytes(image.data);
    if (total > limits.maxTotalImageBytes) {
      throw new MediaInputError(`Total image payload too large (${total}; limit ${limits.maxTotalImageBytes})`);
    }
    images.push(image);
  }
  return images;
}

/**
 * The active turn's images for the run; a refused part is the reference's 400 (its detail logged
 * as the reference logs it), or our own words where the reference would have converted.
 */
export async function chatImages(
  urls: ImageUrls,
  limits: HttpMediaLimits["chatCompletions"],
  signal: AbortSignal,
  hooks: MediaFetchHooks = {},
): Promise<RunImage[]> {
  try {
    return await resolveAll(urls, limits, signal, hooks);
  } catch (error) {
    if (!(error instanceof MediaInputError)) throw error;
    // The client is told only the reference's one sentence; the operator sees why.
    getLogger("gateway/http").warn("openai-compat: invalid image_url content: {detail}", { detail: String(error) });
    throw apiError(400, error.clientMessage ?? INVALID_IMAGE_URL);
  }
}

/** The resolver of a chat completions request's images (turn_media.ts). */
export function chatMedia(urls: ImageUrls): MediaResolver {
  return async (limits, signal) => ({ images: await chatImages(urls, limits.chatCompletions, signal) });
}
