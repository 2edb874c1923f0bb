// One web_fetch call: the guarded GET, the body read within its byte cap, HTML turned into
// markdown or text, and the result object the reference returns (its keys, in its order).
import { lookup as dnsLookup } from "node:dns/promises";
import type { ResolvedWebFetch } from "../config/resolve_web_fetch.ts";
import { wrapWithin } from "./external_content.ts";
import { htmlToMarkdown, markdownToText } from "./html_to_markdown.ts";
import { ToolError } from "./tool.ts";
import { guardedFetch, type LookupFn, readBounded } from "./web_fetch_guard.ts";
import { buildPayload } from "./web_fetch_payload.ts";

/** One call's request after argument checks. */
export interface WebFetchRequest {
  url: string;
  extractMode: "markdown" | "text";
  maxChars: number;
  settings: ResolvedWebFetch;
  signal: AbortSignal;
  /** Resolves host names; node's getaddrinfo-backed lookup unless a test supplies one. */
  lookup?: LookupFn | undefined;
}

const ERROR_MAX_CHARS = 4_000;
const ERROR_MAX_BYTES = 64_000;

async function systemLookup(hostname: string): Promise<{ address: string; family: number }[]> {
  return await dnsLookup(hostname, { all: true });
}

function contentTypeOf(response: Response): string {
  return (response.headers.get("content-type") ?? "application/octet-stream").split(";")[0]!.trim().toLowerCase() ||
    "application/octet-stream";
}

function looksLikeHtml(text: string): boolean {
  const head = text.trimStart().slice(0, 256).toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html");
}

function extract(body: string, contentType: string, mode: "markdown" | "text", pageUrl: string) {
  if (contentType === "text/markdown") {
    return { text: mode === "text" ? markdownToText(body) : body, extractor: "cf-markdown" };
  }
  if (contentType === "text/html" || contentType === "application/xhtml+xml") {
    const rendered = htmlToMarkdown(body, pageUrl);
    const text = mode === "text"
      ? markdownToText(rendered.text) || rendered.title || ""
      : rendered.text || rendered.title || "";
    if (!text) {
      throw new ToolError(
        "Web fetch extraction failed: Readability, provider fallback, and basic HTML cleanup returned no content.",
      );
    }
    return { text, title: rendered.title, extractor: "raw-html" };
  }
  if (contentType === "application/json" || contentType.endsWith("+json")) {
    try {
      return { text: JSON.stringify(JSON.parse(body), null, 2), extractor: "json" };
    } catch { /* not JSON after all: returned raw */ }
  }
  return { text: body, extractor: "raw" };
}

/** Runs one fetch and builds the reference's result object. */
export async function runWebFetch(request: WebFetchRequest): Promise<Record<string, unknown>> {
  let parsed: URL;
  try {
    parsed = new URL(request.url);
  } catch {
    throw new ToolError("Invalid URL: must be http or https");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ToolError("Invalid URL: must be http or https");
  }
  const started = Date.now();
  const timeoutSeconds = request.settings.timeoutSeconds;
  const deadline = AbortSignal.timeout(timeoutSeconds * 1000);
  const signal = AbortSignal.any([request.signal, deadline]);
  try {
    const { response, finalUrl } = await guardedFetch({
      url: parsed.href,
      policy: request.settings.ssrfPolicy,
      maxRedirects: request.settings.maxRedirects,
      headers: {
        Accept: "text/markdown, text/html;q=0.9, */*;q=0.1",
        "User-Agent": request.settings.userAgent,
        "Accept-Language": "en-US,en;q=0.9",
        ...request.settings.headers,
        // The body is read raw and capped by bytes: ask for no compression (node:http does not inflate).
        "Accept-Encoding": "identity",
      },
      signal,
      lookup: request.lookup ?? systemLookup,
    });
    const contentType = contentTypeOf(response);
    if (!response.ok) {
      const detail = await readBounded(response, ERROR_MAX_BYTES);
      const rendered = contentType === "text/html" || looksLikeHtml(detail.text)
        ? markdownToText(htmlToMarkdown(detail.text).text)
        : detail.text.trim();
      const wrapped = wrapWithin(rendered.slice(0, ERROR_MAX_CHARS) || response.statusText, ERROR_MAX_CHARS);
      throw new ToolError(`Web fetch failed (${response.status}): ${wrapped.text}`);
    }
    const body = await readBounded(response, request.settings.maxResponseBytes);
    const extracted = extract(body.text, contentType, request.extractMode, finalUrl);
    const warningText = body.truncated ? `Response body incomplete after ${body.bytesRead} bytes.` : undefined;
    return await buildPayload({
      url: request.url,
      finalUrl,
      status: response.status,
      contentType,
      extractMode: request.extractMode,
      maxChars: request.maxChars,
      tookMs: Date.now() - started,
      sourceTruncated: body.truncated,
      ...extracted,
      warning: warningText,
    });
  } catch (error) {
    if (deadline.aborted && !request.signal.aborted) {
      throw new ToolError(`Web fetch timed out after ${timeoutSeconds}s: ${parsed.origin}`);
    }
    throw error;
  }
}
