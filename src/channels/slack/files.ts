// Files on Slack: inbound ones are fetched from their private URL with the bot token and kept in the media store;
// outbound ones go through Slack's external upload flow (files.getUploadURLExternal, a POST of the bytes to the URL
// it returns, files.completeUploadExternal into the conversation), as the reference uploads them.
import type { WebClient } from "@slack/web-api";
import type { MediaStore, OutboundMedia, StoredMedia } from "../../media/media_types.ts";
import { MediaRefusedError } from "../../media/media_types.ts";
import { ChannelError, messageOf } from "../errors.ts";
import type { SlackFile } from "./events.ts";
import { readAtMost } from "../capped_body.ts";

/** Reading a file from Slack may take a while; past this the message is answered without it. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

/** Slack's own hosts, the only ones the bot token is sent to (the reference's list). */
const SLACK_HOSTS = ["slack.com", "slack-edge.com", "slack-files.com"];

/**
 * A file or upload URL the token may go to: https on a Slack host, as the reference checks, or the Web API's own
 * origin (`SLACK_API_URL`, loopback in tests). Throws with the reference's words otherwise.
 */
export function checkedSlackUrl(raw: string, apiUrl: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ChannelError("invalid", `Invalid Slack file URL: ${raw}`);
  }
  if (url.origin === new URL(apiUrl).origin) return url;
  if (url.protocol !== "https:") {
    throw new ChannelError("invalid", `Refusing Slack file URL with non-HTTPS protocol: ${url.protocol}`);
  }
  const host = url.hostname.toLowerCase();
  if (!SLACK_HOSTS.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) {
    throw new ChannelError("invalid", `Refusing to send Slack token to non-Slack host "${url.hostname}" (url: ${raw})`);
  }
  return url;
}

/** The refusal of a file over the limit (its size when known). */
function tooLarge(file: SlackFile, maxBytes: number, size?: number): MediaRefusedError {
  const is = size === undefined ? "is" : `is ${size} bytes,`;
  return new MediaRefusedError(
    `Slack file ${file.name ?? file.id} ${is} over the ${maxBytes}-byte limit (channels.slack.mediaMaxMb)`,
  );
}

/** How long a download may go without data before it is given up (as Telegram's file downloads). */
const DOWNLOAD_IDLE_MS = 30_000;

/**
 * A download's bytes, refused as soon as they pass `maxBytes` (the declared length first, then as they arrive), so
 * a file whose event names no size, or the wrong one, is never held in memory whole; a stalled body is given up.
 */
async function readUpTo(response: Response, maxBytes: number, file: SlackFile): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  const bytes = await readAtMost(response, maxBytes, DOWNLOAD_IDLE_MS);
  if (!bytes) throw tooLarge(file, maxBytes, declared > maxBytes ? declared : undefined);
  return bytes;
}

/** What keeping a message's files needs. */
export interface InboundFileContext {
  botToken: string;
  /** The Web API base: its origin is trusted with the token besides Slack's hosts. */
  apiUrl: string;
  store: MediaStore;
  maxBytes: number;
  fetch?: typeof fetch;
}

/**
 * Downloads and keeps one Slack file. Slack answers a download without a valid token with its HTML sign-in page
 * (status 200), so an HTML answer for a file that is not HTML is refused rather than kept.
 */
export async function keepSlackFile(file: SlackFile, context: InboundFileContext): Promise<StoredMedia> {
  if (!file.url) throw new ChannelError("unavailable", `Slack file ${file.id} has no download URL`);
  if (file.size !== undefined && file.size > context.maxBytes) throw tooLarge(file, context.maxBytes, file.size);
  const response = await (context.fetch ?? fetch)(checkedSlackUrl(file.url, context.apiUrl), {
    headers: { authorization: `Bearer ${context.botToken}` },
    signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new ChannelError("unavailable", `Slack file ${file.id} download failed: HTTP ${response.status}`);
  }
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/html") && !file.mimetype?.startsWith("text/html")) {
    await response.body?.cancel();
    throw new ChannelError(
      "unavailable",
      `Slack file ${file.id} download returned a sign-in page: the bot token lacks files:read or the file is gone`,
    );
  }
  const bytes = await readUpTo(response, context.maxBytes, file);
  return await context.store.save(bytes, {
    direction: "inbound",
    mimeType: file.mimetype ?? type.split(";")[0],
    fileName: file.name,
    maxBytes: context.maxBytes,
  });
}

/** Keeps every file of a message; one that cannot be kept is logged and left out, the message still answered. */
export async function keepSlackFiles(
  files: readonly SlackFile[],
  context: InboundFileContext,
  warn: (message: string) => void,
): Promise<StoredMedia[]> {
  const kept: StoredMedia[] = [];
  for (const file of files) {
    try {
      kept.push(await keepSlackFile(file, context));
    } catch (error) {
      warn(`slack file ${file.id} not kept: ${messageOf(error)}`);
    }
  }
  return kept;
}

/** Where an upload goes: the conversation and, for a thread, its root. */
export interface UploadPlace {
  channel: string;
  threadTs: string | undefined;
}

/** Uploads one kept file into a conversation; returns Slack's file id. */
export async function uploadSlackFile(
  web: WebClient,
  place: UploadPlace,
  media: OutboundMedia,
  bytes: Uint8Array,
  apiUrl: string,
  fetchFn: typeof fetch = fetch,
): Promise<string> {
  const fileName = media.fileName ?? media.path.split("/").pop() ?? "upload";
  const url = await web.files.getUploadURLExternal({ filename: fileName, length: bytes.length });
  if (!url.ok || !url.upload_url || !url.file_id) {
    throw new ChannelError("unavailable", `Failed to get upload URL: ${url.error ?? "unknown error"}`);
  }
  const posted = await fetchFn(checkedSlackUrl(url.upload_url, apiUrl), {
    method: "POST",
    headers: { "content-type": media.mimeType },
    body: new Blob([bytes.slice()]),
  });
  await posted.body?.cancel();
  if (posted.status !== 200) throw new ChannelError("unavailable", `Failed to upload file: HTTP ${posted.status}`);
  const done = await web.files.completeUploadExternal({
    files: [{ id: url.file_id, title: fileName }],
    channel_id: place.channel,
    ...(media.caption ? { initial_comment: media.caption } : {}),
    ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
  });
  if (!done.ok) throw new ChannelError("unavailable", `Failed to complete upload: ${done.error ?? "unknown error"}`);
  return url.file_id;
}
