// The media limits of the OpenAI-compatible endpoints: `gateway.http.endpoints.chatCompletions.images`
// and `gateway.http.endpoints.responses.{maxUrlParts,files,images}`, with the reference's defaults
// (OpenClaw 2026.9.6 src/media/input-files.ts, src/gateway/openai-http.ts, openresponses-http.ts).
import type { RawConfig } from "./schema.ts";

/** How one kind of media part is taken: URL sources, their fetch bounds, sizes and types. */
export interface MediaSourceLimits {
  allowUrl: boolean;
  /** Host names (or `*.suffix` patterns) a URL source may name; absent: any public host. */
  urlAllowlist?: string[] | undefined;
  /** Normalized MIME types accepted (lower case, no parameters). */
  allowedMimes: ReadonlySet<string>;
  /** Decoded bytes of one part. */
  maxBytes: number;
  maxRedirects: number;
  timeoutMs: number;
}

/** `files` adds the text cap and the PDF extraction bounds. */
export interface FileSourceLimits extends MediaSourceLimits {
  maxChars: number;
  pdf: { maxPages: number; maxPixels: number; minTextChars: number };
}

/** Everything both endpoints read per request (resolved with the config, so a reload applies at once). */
export interface HttpMediaLimits {
  chatCompletions: { maxImageParts: number; maxTotalImageBytes: number; images: MediaSourceLimits };
  responses: { maxUrlParts: number; files: FileSourceLimits; images: MediaSourceLimits };
}

/** The image types both endpoints take by default. */
export const DEFAULT_IMAGE_MIMES = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif"];
/** The file types `/v1/responses` takes by default. */
export const DEFAULT_FILE_MIMES = [
  "text/plain",
  "text/markdown",
  "text/html",
  "text/csv",
  "application/json",
  "application/pdf",
];

type RawMediaFetch = NonNullable<
  NonNullable<NonNullable<NonNullable<RawConfig["gateway"]>["http"]>["endpoints"]>["responses"]
>["files"];

/** A MIME type as compared: lower case, parameters dropped. */
export function normalizeMime(value: string | undefined): string | undefined {
  const base = value?.split(";")[0]?.trim().toLowerCase();
  return base ? base : undefined;
}

function mimeSet(values: string[] | undefined, fallback: string[]): ReadonlySet<string> {
  const list = values && values.length > 0 ? values : fallback;
  return new Set(list.flatMap((value) => normalizeMime(value) ?? []));
}

function allowlist(values: string[] | undefined): string[] | undefined {
  const kept = (values ?? []).map((value) => value.trim()).filter((value) => value !== "");
  return kept.length > 0 ? kept : undefined;
}

function sourceLimits(raw: RawMediaFetch, allowUrl: boolean, fallbackMimes: string[], maxBytes: number) {
  return {
    allowUrl: raw?.allowUrl ?? allowUrl,
    urlAllowlist: allowlist(raw?.urlAllowlist),
    allowedMimes: mimeSet(raw?.allowedMimes, fallbackMimes),
    maxBytes: raw?.maxBytes ?? maxBytes,
    maxRedirects: raw?.maxRedirects ?? 3,
    timeoutMs: raw?.timeoutMs ?? 10_000,
  };
}

function positive(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** The media limits in force; chat completions takes no URL source unless `images.allowUrl`, responses does. */
export function resolveHttpMedia(config: RawConfig): HttpMediaLimits {
  const endpoints = config.gateway?.http?.endpoints;
  const files = endpoints?.responses?.files;
  const pdf = files?.pdf ?? {};
  return {
    chatCompletions: {
      maxImageParts: 8,
      maxTotalImageBytes: 20 * 1024 * 1024,
      images: sourceLimits(endpoints?.chatCompletions?.images, false, DEFAULT_IMAGE_MIMES, 10 * 1024 * 1024),
    },
    responses: {
      maxUrlParts: endpoints?.responses?.maxUrlParts ?? 8,
      images: sourceLimits(endpoints?.responses?.images, true, DEFAULT_IMAGE_MIMES, 10 * 1024 * 1024),
      files: {
        ...sourceLimits(files, true, DEFAULT_FILE_MIMES, 5 * 1024 * 1024),
        maxChars: files?.maxChars ?? 60_000,
        pdf: {
          maxPages: positive(pdf.maxPages, 4),
          maxPixels: positive(pdf.maxPixels, 4_000_000),
          minTextChars: typeof pdf.minTextChars === "number" && pdf.minTextChars >= 0 ? pdf.minTextChars : 200,
        },
      },
    },
  };
}
