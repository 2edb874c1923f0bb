// Which files an answer, the `message` tool or the `send` method may send, and reading them: a
// local path only from the agent's workspace and the media store (symlinks resolved first, so a
// link cannot lead out), a remote URL only through web_fetch's SSRF guard, and only the types the
// reference sends from the host (media, PDF, Office, archives, plain text). This is stricter than
// the reference, which lets a host-local file the agent may read be sent when `tools.fs.workspaceOnly`
// is off: a chat reply should never carry a file from elsewhere on the disk. Refusals keep its words.
import { lookup as dnsLookup } from "node:dns/promises";
import type { WebFetchSsrfPolicy } from "../config/resolve_web_fetch.ts";
import { tooLarge } from "../media/file_store.ts";
import { MediaRefusedError, type MediaStore, type StoredMedia } from "../media/media_types.ts";
import { OutboundMediaError } from "../media/outbound_refusal.ts";
import { guardedFetch, type LookupFn } from "./web_fetch_guard.ts";

/** The document types the reference sends from the host (its HOST_READ_ALLOWED_DOCUMENT_MIMES). */
const DOCUMENT_TYPES = new Set([
  "application/msword",
  "application/pdf",
  "application/vnd.ms-excel",
  "application/vnd.ms-excel.sheet.macroenabled.12",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/gzip",
  "application/x-7z-compressed",
  "application/x-tar",
  "application/zip",
]);
/** Text types sent only when the bytes really are text. */
const TEXT_TYPES = new Set(["text/csv", "text/markdown", "text/plain", "application/json", "application/yaml"]);
/** How long fetching one remote file may take. */
const FETCH_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;
/** The read cap when neither the channel nor the caller sets one (the reference's document cap, 100 MB). */
const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** What deciding and reading outbound files needs. */
export interface OutboundMediaRules {
  /** The agent's workspace (absolute): relative paths resolve against it, and its files may be sent. */
  workspace: string;
  /** Other directories whose files may be sent (the media store's). */
  roots: string[];
  store: MediaStore;
  /** The size limit in bytes (a channel's `mediaMaxMb`); the store's own when absent. */
  maxBytes?: number | undefined;
  /** web_fetch's SSRF policy (`tools.web.fetch.ssrfPolicy`), which remote files go through too. */
  ssrfPolicy: WebFetchSsrfPolicy;
  /** Resolves host names (tests); the system resolver otherwise. */
  lookup?: LookupFn | undefined;
  /** The home directory `~/` stands for. */
  home?: string | undefined;
  signal?: AbortSignal | undefined;
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

async function realRoots(roots: string[]): Promise<string[]> {
  const real: string[] = [];
  for (const root of roots) {
    try {
      const path = await Deno.realPath(root);
      // A root of `/` would allow everything: never.
      if (path !== "/") real.push(path);
    } catch {
      // A root that does not exist holds no files.
    }
  }
  return real;
}

function isText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  let control = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 9 || code === 10 || code === 13) continue;
    if (code < 32 || (code >= 127 && code <= 159)) control++;
  }
  return text.length === 0 || control / text.length < 0.05;
}

/** Refuses a file whose checked type is not one the reference sends from the host. */
export function checkSendableType(media: StoredMedia, bytes: Uint8Array): void {
  const type = media.mimeType.split(";")[0]!.trim().toLowerCase();
  if (type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/")) return;
  if (DOCUMENT_TYPES.has(type)) return;
  if (TEXT_TYPES.has(type) && isText(bytes)) return;
  throw new OutboundMediaError(
    "unsupported-format",
    `Host-local media sends only allow buffer-verified images, audio, video, PDF, Office documents, archives, and validated plain-text documents (got ${
      type || "unknown"
    }).`,
  );
}

/** The absolute path a local reference names: `file://` and `~/` read, relative to the workspace. */
export function localPathOf(reference: string, rules: Pick<OutboundMediaRules, "workspace" | "home">): string {
  let path = reference.trim().replace(/^file:(?:\/\/)?/i, "");
  try {
    path = decodeURI(path);
  } catch {
    // Not percent-encoded: taken as written.
  }
  if (path.startsWith("~/") && rules.home) path = `${rules.home}/${path.slice(2)}`;
  if (!path.startsWith("/")) path = `${rules.workspace.replace(/\/+$/, "")}/${path.replace(/^\.\//, "")}`;
  return path;
}

/**
 * Reads a workspace file through one open handle, at most `limit` bytes: the file opened must be
 * the one its path names after the open (same device and inode, still inside), so a path swapped
 * for a link between the check and the open is refused rather than followed.
 */
async function readChecked(real: string, path: string, roots: string[], limit: number): Promise<Uint8Array> {
  using file = await Deno.open(real, { read: true });
  const info = await file.stat();
  if (!info.isFile) throw new MediaRefusedError(`Local media path is not a file: ${path}`);
  if (info.size > limit) throw tooLarge(limit);
  const again = await Deno.realPath(path).catch(() => "");
  const now = again && roots.some((root) => inside(root, again)) ? await Deno.stat(again).catch(() => null) : null;
  if (!now || now.dev !== info.dev || now.ino !== info.ino) {
    throw new OutboundMediaError("not-allowed", `Local media path is not under an allowed directory: ${path}`);
  }
  // Read to the end, never past the limit: the file may grow after its size was seen.
  const buffer = new Uint8Array(Math.min(info.size, limit) + 1);
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) throw tooLarge(limit);
    const count = await file.read(buffer.subarray(filled));
    if (count === null) break;
    filled += count;
  }
  return buffer.slice(0, filled);
}

/**
 * Reads a local file the rules allow: its real path must stay under an allowed root. A workspace
 * file is copied, as checked, into the store's outbound side, and that copy is what the channel
 * sends: the workspace is the agent's to write, so its path may name another file by send time.
 */
async function readLocal(reference: string, rules: OutboundMediaRules): Promise<StoredMedia> {
  const path = localPathOf(reference, rules);
  let real: string;
  try {
    real = await Deno.realPath(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new OutboundMediaError("file-not-found", `Local media file not found: ${path}`);
    }
    throw new MediaRefusedError(`Local media path is not safe to read: ${path}`);
  }
  const stores = await realRoots(rules.roots);
  const workspace = await realRoots([rules.workspace]);
  const roots = [...workspace, ...stores];
  if (!roots.some((root) => inside(root, real))) {
    throw new OutboundMediaError("not-allowed", `Local media path is not under an allowed directory: ${path}`);
  }
  const info = await Deno.stat(real);
  if (!info.isFile) throw new MediaRefusedError(`Local media path is not a file: ${path}`);
  const limit = rules.maxBytes ?? DEFAULT_MAX_BYTES;
  if (stores.some((root) => inside(root, real)) && !workspace.some((root) => inside(root, real))) {
    // A file the store kept: the store's directory is the gateway's alone.
    const { bytes, media } = await rules.store.read(real, limit);
    checkSendableType(media, bytes);
    return media;
  }
  const bytes = await readChecked(real, path, roots, limit);
  const media = await rules.store.save(bytes, {
    direction: "outbound",
    fileName: real.split("/").pop(),
    maxBytes: limit,
  });
  checkSendableType(media, bytes);
  return media;
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new MediaRefusedError(`Media exceeds ${formatMb(maxBytes)} limit (got ${formatMb(declared)}): ${url}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? new ReadableStream<Uint8Array>()) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new MediaRefusedError(`Media exceeds ${formatMb(maxBytes)} limit: ${url}`);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2).replace(/\.?0+$/, "")}MB`;
}

/** The file name a URL's last path segment gives, decoded where it decodes (`a%E0.png` stays as written). */
function fileNameOf(url: string): string | undefined {
  const last = new URL(url).pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(last) || undefined;
  } catch {
    return last || undefined;
  }
}

/** Fetches a remote file through web_fetch's SSRF guard and keeps it in the store's outbound side. */
async function fetchRemote(url: string, rules: OutboundMediaRules): Promise<StoredMedia> {
  const maxBytes = rules.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const signal = rules.signal ? AbortSignal.any([rules.signal, timeout]) : timeout;
  let response: Response;
  try {
    ({ response } = await guardedFetch({
      url,
      policy: rules.ssrfPolicy,
      maxRedirects: MAX_REDIRECTS,
      headers: {},
      signal,
      lookup: rules.lookup ?? (async (host) => await dnsLookup(host, { all: true })),
    }));
  } catch (error) {
    throw new MediaRefusedError(
      `Failed to fetch media from ${url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new MediaRefusedError(`Failed to fetch media from ${url}: HTTP ${response.status}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(response, maxBytes, url);
  } catch (error) {
    // A body cut off or timed out is a file that could not be fetched, like a failed request.
    if (error instanceof MediaRefusedError) throw error;
    throw new MediaRefusedError(
      `Failed to fetch media from ${url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const claimed = response.headers.get("content-type")?.split(";")[0]?.trim();
  const name = fileNameOf(url);
  const media = await rules.store.save(bytes, {
    direction: "outbound",
    mimeType: claimed,
    fileName: name,
    maxBytes,
  });
  checkSendableType(media, bytes);
  return media;
}

/**
 * The file one reference names (a path, `file://` URL or http(s) URL), checked and read: a
 * {@link MediaRefusedError} says which rule refused it.
 */
export async function resolveOutboundMedia(reference: string, rules: OutboundMediaRules): Promise<StoredMedia> {
  const trimmed = reference.trim().replace(/^MEDIA\s*:\s*/i, "");
  if (/^https?:\/\//i.test(trimmed)) return await fetchRemote(trimmed, rules);
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^file:/i.test(trimmed)) {
    throw new MediaRefusedError(`Unsupported media reference (use a workspace path or an http(s) URL): ${trimmed}`);
  }
  return await readLocal(trimmed, rules);
}

/** Keeps bytes a caller hands over (the `buffer` argument: base64 or a data URL) in the store's outbound side. */
export async function saveOutboundBuffer(
  buffer: string,
  input: { fileName?: string | undefined; mimeType?: string | undefined },
  rules: Pick<OutboundMediaRules, "store" | "maxBytes">,
): Promise<StoredMedia> {
  const dataUrl = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(buffer.trim());
  let bytes: Uint8Array;
  try {
    const binary = atob((dataUrl?.[2] ?? buffer).replace(/\s+/g, ""));
    bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    throw new MediaRefusedError("buffer must be base64 or a base64 data: URL");
  }
  const media = await rules.store.save(bytes, {
    direction: "outbound",
    mimeType: input.mimeType ?? dataUrl?.[1],
    fileName: input.fileName,
    maxBytes: rules.maxBytes,
  });
  checkSendableType(media, bytes);
  return media;
}
