// The `read` tool as the reference declares it: text pages with a continuation notice, images
// (jpg/png/gif/webp) attached as image content for the model.
import { Buffer } from "node:buffer";
import { basename, dirname } from "node:path";
import { isEnvFile, redactEnvText } from "./env_redact.ts";
import { levenshtein } from "../text/edit_distance.ts";
import { assertRequiredParams } from "./tool_params.ts";
import { pageOf, READ_PAGE_MAX_BYTES, type ReadPage, readPage, type ReadPageRequest } from "./read_page.ts";
import { STREAM_READ_BYTES, streamWindow } from "./read_window.ts";
import { type AgentTool, ToolError, type ToolResult } from "./tool.ts";
import { resolveToolPath, type ToolPath } from "./tool_paths.ts";
import { openFileWithin, readFileWithin } from "./confined_fs.ts";
import { listDirectoryWithin } from "./confined_list.ts";

/** The largest file node's readFile reads (its kIoMaxLength), and so the reference's read. */
const MAX_READ_FILE_BYTES = 2 ** 31 - 1;
/** The reference's cap on an inline image (base64 bytes); larger ones it shrinks, this gateway omits. */
const MAX_IMAGE_BASE64_BYTES = 4_718_592;
const DESCRIPTION =
  "Read text/image file (jpg/png/gif/webp/bmp); images attach to model context. Text caps 2000 lines or 50KB. Continue with offset/limit, or cursor within a long line.";

/** Which settings the read tool takes. */
export interface FileToolSettings {
  /** `tools.fs.workspaceOnly`. */
  confined: boolean;
  home?: string | undefined;
  /** Bytes one read may return (the model's context window decides; 32 KB by default). */
  readMaxBytes?: number | undefined;
}

function startsWithBytes(bytes: Uint8Array, offset: number, ascii: string | number[]): boolean {
  const expected = typeof ascii === "string" ? [...ascii].map((c) => c.charCodeAt(0)) : ascii;
  return expected.every((value, i) => bytes[offset + i] === value);
}

/** The image type of a file from its first bytes (the formats the reference reads as images). */
export function detectImageMime(bytes: Uint8Array): string | undefined {
  if (startsWithBytes(bytes, 0, [0xff, 0xd8, 0xff])) return bytes[3] === 0xf7 ? undefined : "image/jpeg";
  if (startsWithBytes(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return startsWithBytes(bytes, 12, "IHDR") ? "image/png" : undefined;
  }
  if (startsWithBytes(bytes, 0, "GIF")) return "image/gif";
  if (startsWithBytes(bytes, 0, "RIFF") && startsWithBytes(bytes, 8, "WEBP")) return "image/webp";
  if (startsWithBytes(bytes, 0, "BM") && bytes.length >= 26) return "image/bmp";
  return undefined;
}

/** The image result; `size` is the file's (only its first bytes are at hand for a streamed one). */
function imageResult(bytes: Uint8Array, mimeType: string, size = bytes.length): ToolResult {
  const header = `Read image file [${mimeType}]`;
  const omitted = mimeType === "image/bmp"
    ? "[Image omitted: could not be converted to a supported inline image format.]"
    : undefined;
  const tooBig = !omitted && 4 * Math.ceil(size / 3) > MAX_IMAGE_BASE64_BYTES
    ? "[Image omitted: could not be resized below the inline image size limit.]"
    : undefined;
  const note = omitted ?? tooBig;
  if (note) {
    return {
      content: [{ type: "text", text: `${header}\n${note}` }],
      details: { kind: "text", content: `${header}\n${note}` },
    };
  }
  const data = Buffer.from(bytes).toString("base64");
  return {
    content: [{ type: "text", text: header }, { type: "image", data, mimeType }],
    details: { kind: "image", content: header, mimeType },
  };
}

/** Up to three names beside a missing file that are close to its name (the reference's "Did you mean"). */
async function similarNames(path: string, root: string | undefined): Promise<string[]> {
  const name = basename(path);
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length * 0.4));
  const entries: { entry: string; distance: number }[] = [];
  try {
    for (const entry of await listDirectoryWithin(dirname(path), root)) {
      const distance = levenshtein(wanted, entry.name.toLowerCase());
      if (entry.name !== name && distance <= limit) entries.push({ entry: entry.name, distance });
    }
  } catch {
    return [];
  }
  return entries.sort((a, b) => a.distance - b.distance || a.entry.localeCompare(b.entry)).slice(0, 3).map((e) =>
    e.entry
  );
}

function integerArg(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new ToolError(`${name} must be an integer at least ${min}`);
  }
  return value;
}

/** A large file's page (or image note), streamed: only the window returned is kept in memory. */
async function readLarge(
  target: ToolPath,
  size: number,
  request: ReadPageRequest,
  signal: AbortSignal,
): Promise<ToolResult | { page: ReadPage }> {
  const file = await openFileWithin(target.absolute, target.root);
  try {
    const head = new Uint8Array(32);
    const mime = detectImageMime(head.subarray(0, (await file.read(head)) ?? 0));
    if (mime) return imageResult(new Uint8Array(), mime, size);
    await file.seek(0, Deno.SeekMode.Start);
    return { page: pageOf(await streamWindow(chunksOf(file), request, signal), size, request) };
  } finally {
    file.close();
  }
}

async function* chunksOf(file: Deno.FsFile): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = new Uint8Array(1024 * 1024);
    const read = await file.read(chunk);
    if (read === null) return;
    yield chunk.subarray(0, read);
  }
}

/** The `read` tool for one workspace policy. */
export function readTool(settings: () => FileToolSettings): AgentTool {
  return {
    name: "read",
    label: "read",
    description: DESCRIPTION,
    parameters: {
      type: "object",
      required: ["path"],
      properties: {
        path: { type: "string", description: "File path; relative/absolute." },
        offset: { type: "integer", minimum: 1, description: "Start line; 1-based." },
        limit: { type: "number", description: "Max lines." },
        cursor: { type: "integer", minimum: 0, description: "Character position within the start line; 0-based." },
        optional: {
          type: "boolean",
          const: true,
          description: "Missing paths return structured not_found instead of failing.",
        },
      },
    },
    async execute(args, call) {
      if (call.signal.aborted) throw new ToolError("Operation aborted");
      assertRequiredParams(args, [{ keys: ["path"], label: "path" }]);
      const path = args.path as string;
      const offset = integerArg(args.offset, "Offset", 1);
      const cursor = integerArg(args.cursor, "Cursor", 0) ?? 0;
      const limit = typeof args.limit === "number" && Number.isFinite(args.limit) ? args.limit : undefined;
      const { confined, home, readMaxBytes } = settings();
      const target = await resolveToolPath(path, { workspace: call.workspace, confined, home, tempHint: true });
      const request = { offset, limit, cursor, maxBytes: readMaxBytes ?? READ_PAGE_MAX_BYTES };
      let page: ReadPage;
      try {
        const info = await Deno.stat(target.absolute);
        if (info.isDirectory) {
          throw new ToolError(
            `Read requires a file path, but ${path} is a directory. List the directory, then read a specific file.`,
          );
        }
        if (!info.isFile) throw new ToolError(`Read only supports regular files; no read was attempted: ${path}`);
        // node's readFile under the reference's read stops here with these words; loading such a file
        // whole would exhaust the gateway's memory for every session.
        if (info.size > MAX_READ_FILE_BYTES) throw new ToolError(`File size (${info.size}) is greater than 2 GiB`);
        if (info.size > STREAM_READ_BYTES) {
          const large = await readLarge(target, info.size, request, call.signal);
          if ("content" in large) return large;
          page = large.page;
        } else {
          const bytes = await readFileWithin(target.absolute, target.root, call.signal);
          const mime = detectImageMime(bytes);
          if (mime) return imageResult(bytes, mime);
          const decoded = new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "").replaceAll("\r\n", "\n");
          page = readPage(decoded, bytes.length, request);
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) throw error;
        if (args.optional === true) {
          return {
            content: [{ type: "text", text: `Optional file not found: ${path}.` }],
            details: { kind: "not_found", status: "not_found", path: path, optional: true },
          };
        }
        const suggestions = await similarNames(target.absolute, target.root);
        const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(", ")}?` : "";
        throw new ToolError(`File not found: ${target.absolute}.${hint}`);
      }
      const details = page.details ?? { kind: "text", content: page.text };
      if (!isEnvFile(path)) return { content: [{ type: "text", text: page.text }], details };
      return {
        content: [{ type: "text", text: redactEnvText(page.text) }],
        details: { ...details, content: redactEnvText(details.content) },
      };
    },
  };
}
