// The web_fetch result object as the reference returns it (its keys, in its order): the body and
// metadata wrapped as untrusted content within `maxChars`, and a truncated body spilled to a file.
import { sanitizeExternalText, wrapperOverhead, wrapWebFetchText, wrapWithin } from "./external_content.ts";
import { truncateUtf16Safe } from "../text/utf16_slice.ts";

const FIELD_MAX_CHARS = 256;
const METADATA_MAX_CHARS = 512;
const SPILL_MAX_CHARS = 2_000_000;

interface Body {
  text: string;
  truncated: boolean;
  spill?: { path: string; chars: number; truncated?: true };
}

/** The body within `maxChars`; when cut, the full text goes to a private temp file named in a footer. */
async function spill(value: string, maxChars: number, sourceTruncated: boolean): Promise<Body> {
  const wrapped = wrapWithin(value, maxChars);
  if (!wrapped.truncated) return sourceTruncated ? { ...wrapped, truncated: true } : wrapped;
  const content = truncateUtf16Safe(value, SPILL_MAX_CHARS);
  // Owner-only and never an existing file: Deno.makeTempFile creates it new with mode 0600.
  const path = await Deno.makeTempFile({ prefix: "openclaw-web-fetch-", suffix: ".log" });
  await Deno.writeTextFile(path, wrapWebFetchText(content, true));
  const capped = value.length > SPILL_MAX_CHARS;
  const note = sourceTruncated
    ? " Spilled available content from truncated response."
    : capped
    ? ` Spilled first ${content.length} chars.`
    : "";
  const footer = `\n\n[Showing truncated web_fetch content. Full output: ${path}.${note}]`;
  const compact = `[Full output: ${path}]`;
  const text = footer.length <= maxChars
    ? `${wrapWithin(value, maxChars - footer.length).text}${footer}`
    : compact.length <= maxChars
    ? compact
    : wrapped.text;
  return {
    text,
    truncated: true,
    spill: { path, chars: content.length, ...(sourceTruncated || capped ? { truncated: true as const } : {}) },
  };
}

/** What a fetch produced, before it is bounded and wrapped. */
export interface PayloadInput {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string;
  extractMode: string;
  extractor: string;
  maxChars: number;
  tookMs: number;
  text: string;
  title?: string | undefined;
  warning?: string | undefined;
  sourceTruncated: boolean;
}

/**
 * The result object: metadata and body wrapped as untrusted content, sharing `maxChars`. A body cut
 * short is also written whole (up to 2,000,000 characters) to a private temp file the result names,
 * so the model can read the rest.
 */
export async function buildPayload(input: PayloadInput): Promise<Record<string, unknown>> {
  let metadataTruncated = false;
  let metadataLeft = Math.min(METADATA_MAX_CHARS, Math.floor(input.maxChars / 2));
  const wrapMetadata = (value: string | undefined) => {
    if (!value) return undefined;
    const room = Math.min(FIELD_MAX_CHARS, Math.max(0, metadataLeft - wrapperOverhead(false)));
    const clean = sanitizeExternalText(value);
    if (clean.length > room) metadataTruncated = true;
    if (room === 0) return undefined;
    const wrapped = wrapWebFetchText(clean.slice(0, room), false);
    metadataLeft -= wrapped.length;
    return wrapped;
  };
  const warning = wrapMetadata(input.warning);
  const title = wrapMetadata(input.title);
  const body = await spill(
    input.text,
    input.maxChars - (title?.length ?? 0) - (warning?.length ?? 0),
    input.sourceTruncated,
  );
  return {
    url: input.url,
    finalUrl: input.finalUrl,
    contentType: input.contentType.slice(0, 256),
    status: input.status,
    ...(title ? { title } : {}),
    extractMode: input.extractMode,
    extractor: input.extractor,
    externalContent: { untrusted: true, source: "web_fetch", wrapped: true },
    truncated: body.truncated || metadataTruncated || input.sourceTruncated,
    length: body.text.length,
    rawLength: input.text.length,
    ...(body.spill ? { spill: body.spill } : {}),
    fetchedAt: new Date().toISOString(),
    tookMs: input.tookMs,
    text: body.text,
    ...(warning ? { warning } : {}),
  };
}
