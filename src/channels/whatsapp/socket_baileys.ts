// The real socket: Baileys (the reference pins 7.0.0-rc14), with the linked-device credentials kept
// as the reference keeps them (Baileys' multi-file layout, creds.json written atomically), every
// file 0600 in a 0700 directory. This module is imported only when a WhatsApp account or login runs.

import {
  BufferJSON,
  downloadMediaMessage,
  extractMessageContent,
  getContentType,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  makeWASocket,
  proto,
  type SignalDataTypeMap,
  type WAMessage,
} from "baileys";
import { getLogger } from "../../log/logger.ts";
import { MediaRefusedError } from "../../media/media_types.ts";
import type { WaContent, WaMessage, WaSocket, WaSocketOptions } from "./socket.ts";

/** The version of this gateway, as the reference names its linked device (`openclaw`, `cli`, version). */
const BROWSER: [string, string, string] = ["openclaw", "cli", "2026.9.6"];

/** Baileys' key file names: `/` and `:` are not file-name safe. */
const fileNameOf = (file: string) => file.replace(/\//g, "__").replace(/:/g, "-");

/** Writes one credential file atomically (temp file, then rename), 0600. */
async function writeSecret(path: string, text: string): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, text, { mode: 0o600 });
  await Deno.chmod(temp, 0o600);
  await Deno.rename(temp, path);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path), BufferJSON.reviver);
  } catch {
    return null;
  }
}

/** Baileys' multi-file auth state, written with owner-only permissions; `flushed` waits for the writes in flight. */
async function fileAuthState(dir: string) {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.chmod(dir, 0o700);
  const stored = await readJson(`${dir}/creds.json`);
  const creds = stored && typeof stored === "object" ? (stored as ReturnType<typeof initAuthCreds>) : initAuthCreds();
  const inFlight = new Set<Promise<void>>();
  const track = (task: Promise<void>) => {
    inFlight.add(task);
    task.then(() => inFlight.delete(task), () => inFlight.delete(task));
    return task;
  };
  const write = (file: string, value: unknown) =>
    track(writeSecret(`${dir}/${fileNameOf(file)}`, JSON.stringify(value, BufferJSON.replacer)));
  return {
    flushed: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    creds,
    saveCreds: () => write("creds.json", creds),
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const data: { [id: string]: SignalDataTypeMap[T] } = {};
        await Promise.all(ids.map(async (id) => {
          let value = await readJson(`${dir}/${fileNameOf(`${type}-${id}.json`)}`);
          if (type === "app-state-sync-key" && value) {
            value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
          }
          if (value) data[id] = value as SignalDataTypeMap[T];
        }));
        return data;
      },
      set: async (data: { [T in keyof SignalDataTypeMap]?: { [id: string]: SignalDataTypeMap[T] | null } }) => {
        const tasks: Promise<void>[] = [];
        for (const [category, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            const path = `${dir}/${fileNameOf(`${category}-${id}.json`)}`;
            tasks.push(value ? write(`${category}-${id}.json`, value) : track(Deno.remove(path).catch(() => {})));
          }
        }
        await Promise.all(tasks);
      },
    },
  };
}

/** A pino-shaped logger over ours, quiet: Baileys logs every frame at trace level. */
function baileysLogger() {
  const log = getLogger("channels/whatsapp/baileys");
  const logger = {
    level: "warn",
    child: () => logger,
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: (object: unknown, message?: string) => log.debug(message ?? String(object)),
    error: (object: unknown, message?: string) => log.debug(message ?? String(object)),
    fatal: (object: unknown, message?: string) => log.warn(message ?? String(object)),
  };
  return logger;
}

/** WhatsApp's media CDN: what Baileys fetches when the message names no host of its own. */
const DEFAULT_MEDIA_HOST = "mmg.whatsapp.net";

/**
 * Refuses a file whose URL is not on WhatsApp's media CDN. The sender writes `url` and `directPath` (the message is
 * end-to-end encrypted, the server never checks them): without this anyone the gate admits (or a group member) could
 * make the gateway request any address it reaches (a cloud metadata endpoint, a local admin page).
 */
function checkMediaHost(message: WaMessage): void {
  const content = extractMessageContent(message.message as WAMessage["message"]);
  const type = content ? getContentType(content) : undefined;
  const media: unknown = type && content ? content[type] : undefined;
  const field = (name: string) => {
    const value = media && typeof media === "object" ? Reflect.get(media, name) : undefined;
    return typeof value === "string" && value ? value : undefined;
  };
  const url = field("url");
  const directPath = field("directPath") ?? (url ? undefined : field("thumbnailDirectPath"));
  let target: URL | undefined;
  try {
    // As Baileys builds it: the direct path on the URL's host (else the default CDN), or the URL itself.
    const host = url ? new URL(url).host : DEFAULT_MEDIA_HOST;
    target = new URL(directPath ? `https://${host}${directPath}` : url ?? "");
  } catch {
    target = undefined;
  }
  const hostname = target?.hostname.toLowerCase() ?? "";
  if (target?.protocol !== "https:" || !(hostname === "whatsapp.net" || hostname.endsWith(".whatsapp.net"))) {
    throw new MediaRefusedError(
      `WhatsApp media of ${
        message.key?.id ?? "a message"
      } is not on WhatsApp's media CDN (https://*.whatsapp.net): not fetched`,
    );
  }
}

/**
 * Downloads and decrypts the file a message carries (Baileys' `downloadMediaMessage`: the CDN URL or direct path,
 * AES-256-CBC with keys expanded from `mediaKey`); an expired link is asked again through `reupload`. The size the
 * sender declares proves nothing: the bytes are counted as they stream, and the download is cut off (the response
 * cancelled) once they pass `maxBytes`, as the reference's `saveMediaStream` does.
 */
export async function downloadBaileysMedia(
  message: WaMessage,
  maxBytes: number,
  reupload?: (message: WAMessage) => Promise<WAMessage>,
  options: { anyMediaHost?: boolean } = {},
): Promise<Uint8Array> {
  if (!options.anyMediaHost) checkMediaHost(message);
  const logger = baileysLogger();
  const stream = await downloadMediaMessage(
    message as WAMessage,
    "stream",
    {},
    reupload ? { reuploadRequest: reupload, logger: logger as never } : undefined,
  );
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      if (!(chunk instanceof Uint8Array)) continue;
      total += chunk.length;
      if (total > maxBytes) {
        throw new MediaRefusedError(
          `WhatsApp media of ${message.key?.id ?? "a message"} is over the ${
            Math.round(maxBytes / 1024 / 1024 * 100) / 100
          } MB limit (mediaMaxMb)`,
        );
      }
      chunks.push(chunk);
    }
  } finally {
    // Also on a throw: the decipher is torn down and, as it unpipes, the HTTP response Baileys piped into it is
    // cancelled (destroying the decipher alone leaves that response paused and its connection open).
    stream.once("unpipe", (source: unknown) => {
      if (source && typeof source === "object" && typeof Reflect.get(source, "destroy") === "function") {
        Reflect.apply(Reflect.get(source, "destroy"), source, []);
      }
    });
    stream.destroy();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Builds a real Baileys socket on the account's auth directory. */
export async function createBaileysSocket(options: WaSocketOptions): Promise<WaSocket> {
  const auth = await fileAuthState(options.authDir);
  const logger = baileysLogger();
  const sock = makeWASocket({
    auth: { creds: auth.creds, keys: makeCacheableSignalKeyStore(auth.keys, logger as never) },
    logger: logger as never,
    printQRInTerminal: false,
    browser: BROWSER,
    syncFullHistory: false,
    markOnlineOnConnect: false,
    keepAliveIntervalMs: 25_000,
    connectTimeoutMs: 60_000,
    defaultQueryTimeoutMs: 60_000,
    ...(options.waWebSocketUrl ? { waWebSocketUrl: options.waWebSocketUrl } : {}),
  });
  // Saved one after another, so an older state never overwrites a newer one.
  let saving = Promise.resolve();
  sock.ev.on("creds.update", () => {
    saving = saving.then(auth.saveCreds).catch((error) => logger.fatal(error, `saving WhatsApp credentials failed`));
  });
  const flushed = async () => {
    await saving;
    await auth.flushed();
  };
  return {
    ev: {
      on: (event, listener) => sock.ev.on(event, listener as never),
    },
    get user() {
      const user = sock.user;
      return user
        ? { id: user.id, ...(user.lid ? { lid: user.lid } : {}), ...(user.name ? { name: user.name } : {}) }
        : undefined;
    },
    sendMessage: async (jid: string, content: WaContent) =>
      (await sock.sendMessage(jid, content as never)) ?? undefined,
    // Another WhatsApp Web endpoint (the override) serves its files from its own hosts.
    downloadMedia: (message, maxBytes) =>
      downloadBaileysMedia(message, maxBytes, sock.updateMediaMessage, { anyMediaHost: !!options.waWebSocketUrl }),
    readMessages: (keys) => sock.readMessages(keys as never),
    end: (reason) => sock.end(reason),
    flushed,
  };
}
