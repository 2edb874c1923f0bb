// `input_image` and `input_file` parts of `/v1/responses`, taken as the reference takes them: each
// part's shape checked with the body (a bad one is the reference's "input: Invalid input"), URL
// sources counted over the whole input against `maxUrlParts`, and only the active user message's
// parts (none when a `function_call_output` follows it) given to the run: images for the model,
// files as `<file>` blocks with the system prompt. Any other refusal is the reference's bare
// "invalid request" 400, or our own words where the reference would have converted or rendered.
import type { HttpMediaLimits, MediaSourceLimits } from "../config/resolve_http_media.ts";
import { IMAGE_ONLY_USER_MESSAGE } from "./chat_images.ts";
import { DEFAULT_IMAGE_MIMES } from "../config/resolve_http_media.ts";
import { apiError } from "./http_error.ts";
import { getLogger } from "../log/logger.ts";
import { MAX_BODY_BYTES } from "./json_body.ts";
// Loaded only for a URL source: it brings node:http/https and DNS, which a data-only request never needs.
import type { MediaFetchHooks } from "./media_fetch.ts";
import { decodeWithin, normalizeImage, type RunImage } from "./media_image.ts";
import { MediaInputError } from "./media_input_error.ts";
import { extractFileText, fileContextBlock, parseContentType } from "./responses_files.ts";
import type { MediaResolver, MediaSlots, TurnMedia } from "./turn_media.ts";
import { isJsonObject } from "../log/json_object.ts";

/** The reference's prompt for an active user message with files and no text. */
export const FILE_ONLY_USER_MESSAGE = "User sent file(s) with no text.";

type Source =
  | { type: "url"; url: string }
  | { type: "base64"; mediaType: string; data: string; filename?: string | undefined };
interface MediaPart {
  kind: "input_image" | "input_file";
  source: Source;
  active: boolean;
}

const INVALID_INPUT = "input: Invalid input";

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function validUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The part's source as the reference's schema takes it, or a thrown "input: Invalid input". */
function sourceOf(part: Record<string, unknown>, kind: MediaPart["kind"]): Source {
  const source = part.source;
  if (!onlyKeys(part, ["type", "source"]) || !isJsonObject(source)) throw apiError(400, INVALID_INPUT);
  if (source.type === "url" && validUrl(source.url)) return { type: "url", url: source.url };
  if (source.type !== "base64" || typeof source.data !== "string" || source.data === "") {
    throw apiError(400, INVALID_INPUT);
  }
  const mediaType = source.media_type;
  const typeOk = kind === "input_image"
    ? typeof mediaType === "string" && DEFAULT_IMAGE_MIMES.includes(mediaType)
    : typeof mediaType === "string" && mediaType !== "";
  const filenameOk = kind === "input_file" && (source.filename === undefined || typeof source.filename === "string");
  if (!typeOk || (kind === "input_file" && !filenameOk)) throw apiError(400, INVALID_INPUT);
  return {
    type: "base64",
    mediaType: String(mediaType),
    data: source.data,
    ...(typeof source.filename === "string" ? { filename: source.filename } : {}),
  };
}

/**
 * The media parts of an input list, or undefined when it has none (a text-only request pays one
 * look at each message's parts); malformed parts are thrown as the reference's 400.
 */
export function responsesMediaParts(
  input: readonly unknown[],
): { parts: MediaPart[]; emptyPrompt: string } | undefined {
  let active = -1;
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (!isJsonObject(item)) continue;
    if (item.type === "function_call_output") break;
    if ((item.type === undefined || item.type === "message") && item.role === "user") {
      active = i;
      break;
    }
  }
  const parts: MediaPart[] = [];
  input.forEach((item, index) => {
    if (!isJsonObject(item) || !Array.isArray(item.content)) return;
    if (item.type !== undefined && item.type !== "message") return;
    for (const part of item.content) {
      if (!isJsonObject(part) || (part.type !== "input_image" && part.type !== "input_file")) continue;
      parts.push({ kind: part.type, source: sourceOf(part, part.type), active: index === active });
    }
  });
  if (parts.length === 0) return undefined;
  const activeKinds = parts.filter((p) => p.active).map((p) => p.kind);
  const emptyPrompt = activeKinds.includes("input_image")
    ? IMAGE_ONLY_USER_MESSAGE
    : activeKinds.includes("input_file")
    ? FILE_ONLY_USER_MESSAGE
    : "";
  return { parts, emptyPrompt };
}

async function bytesOf(
  source: Source,
  limits: MediaSourceLimits,
  kind: string,
  signal: AbortSignal,
  hooks: MediaFetchHooks,
): Promise<{ bytes: Uint8Array; contentType: string | undefined; canonical?: string }> {
  if (source.type === "url") {
    return await (await import("./media_fetch.ts")).fetchMediaUrl(source.url, limits, kind, signal, hooks);
  }
  const label = kind === "input_image" ? "Image" : "File";
  const { bytes, canonical } = decodeWithin(source.data, limits.maxBytes, label, kind);
  return { bytes, contentType: source.mediaType, canonical };
}

async function resolveParts(
  parts: MediaPart[],
  limits: HttpMediaLimits["responses"],
  signal: AbortSignal,
  hooks: MediaFetchHooks,
  slots: MediaSlots,
): Promise<TurnMedia> {
  const images: RunImage[] = [];
  const blocks: string[] = [];
  let urlParts = 0;
  for (const part of parts) {
    if (part.source.type === "url" && ++urlParts > limits.maxUrlParts) {
      throw new MediaInputError(`Too many URL-based input sources: ${urlParts} (limit: ${limits.maxUrlParts})`);
    }
    if (!part.active) continue;
    if (part.kind === "input_image") {
      const got = await bytesOf(part.source, limits.images, part.kind, signal, hooks);
      images.push(normalizeImage(got.bytes, got.contentType ?? "image/png", limits.images, got.canonical));
      continue;
    }
    const got = await bytesOf(part.source, limits.files, part.kind, signal, hooks);
    const filename = part.source.type === "base64" ? part.source.filename : undefined;
    const declared = { ...parseContentType(got.contentType), filename };
    const file = await extractFileText(got.bytes, declared, limits.files, signal, slots.pdf);
    blocks.push(fileContextBlock(file));
    if (file.images) images.push(...file.images);
  }
  return { images, ...(blocks.length > 0 ? { fileContext: blocks.join("\n\n") } : {}) };
}

/** The resolver of a responses request's media (turn_media.ts). */
export function responsesMedia(parts: MediaPart[], hooks: MediaFetchHooks = {}): MediaResolver {
  return async (limits, signal, slots) => {
    try {
      return await resolveParts(parts, limits.responses, signal, hooks, slots);
    } catch (error) {
      if (!(error instanceof MediaInputError)) throw error;
      // The client is told only "invalid request"; the operator sees why, as in the reference's log.
      getLogger("gateway/http").warn("openresponses: request parsing failed: {detail}", { detail: String(error) });
      throw apiError(400, error.clientMessage ?? "invalid request");
    }
  };
}

/** The reference's body limit of `/v1/responses`: 20 MB, or twice a larger `files.maxBytes`/`images.maxBytes`. */
export function responsesBodyLimit(media: HttpMediaLimits | undefined): number {
  if (!media) return MAX_BODY_BYTES;
  return Math.max(MAX_BODY_BYTES, media.responses.files.maxBytes * 2, media.responses.images.maxBytes * 2);
}
