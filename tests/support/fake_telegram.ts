// A small Telegram Bot API server for tests: getMe, long-polled getUpdates fed by the test,
// sendMessage recorded, setWebhook/deleteWebhook remembered. grammY talks to it via `apiRoot`.
// As Telegram does, a getUpdates with `offset` confirms every update below it: those are never sent again;
// the others are, to whichever client asks next (a restarted gateway too).

/** The fake bot's identity. */
export const FAKE_BOT = { id: 999000, "is_bot": true, "first_name": "OpenClaw Test", username: "oc_test_bot" };

/** A message the gateway sent. */
export interface SentMessage {
  chatId: number | string;
  text: string;
  /** The forum topic it was sent into (`message_thread_id`); absent when the send named none. */
  threadId?: number;
}

/** A file the gateway uploaded (sendPhoto, sendDocument, sendVoice, ... as multipart). */
export interface SentUpload {
  /** The Bot API method (`sendPhoto`, `sendDocument`, ...). */
  method: string;
  chatId: string;
  /** The parameter that carried the file (`photo`, `document`, `voice`, ...). */
  field: string;
  fileName: string;
  bytes: Uint8Array;
  caption?: string | undefined;
  /** The forum topic it was sent into (`message_thread_id`), if the send named one. */
  threadId?: number | undefined;
}

/** A chat a test message comes from: a group, or a forum supergroup (`is_forum`). */
export interface FakeChat {
  id: number;
  type: "group" | "supergroup";
  "is_forum"?: boolean;
}

/** A running fake Bot API. */
export interface FakeTelegram {
  /** The `apiRoot` to configure. */
  url: string;
  sent: SentMessage[];
  /** `performance.now()` when each of `sent` arrived, index for index (the channel benchmark's reply-out). */
  sentAt: number[];
  /** Files uploaded with the send* media methods, bytes and all. */
  uploads: SentUpload[];
  /** Chat actions (typing...) the gateway sent, with the topic they named (`message_thread_id`). */
  chatActions: { chatId: number | string; action: string; threadId?: number }[];
  /** When each chat action arrived (`performance.now()`), index for index with {@link chatActions}. */
  chatActionsAt: number[];
  webhook: { url: string; "secret_token"?: string } | undefined;
  /** The highest `offset` a getUpdates has sent: updates below it were acknowledged and are gone. */
  confirmedOffset: number;
  /** Queues an update as Telegram would deliver it; returns its update_id. */
  push(update: Record<string, unknown>): number;
  /**
   * A text message update from a user, in a private chat or a group; with `thread`, in that forum topic
   * (`message_thread_id`, `is_topic_message`, as Telegram marks a topic's messages; none for the General topic).
   */
  text(from: number, text: string, chat?: FakeChat, thread?: number): Record<string, unknown>;
  /** A message carrying a file served by getFile and `/file/bot<token>/<path>` (see {@link FakeTelegramFile}). */
  media(
    from: number,
    file: FakeTelegramFile,
    chat?: FakeChat,
  ): Record<string, unknown>;
  /** Paths of the files the gateway downloaded, in order. */
  downloads: string[];
  /** Waits until `test` holds for the sent messages. */
  waitForSent(test: (sent: SentMessage[]) => boolean, timeoutMs?: number): Promise<SentMessage[]>;
  stop(): Promise<void>;
}

/** A file a test sends the bot: the message field it arrives in, its bytes and what Telegram says about it. */
export interface FakeTelegramFile {
  field: "photo" | "voice" | "audio" | "document" | "video";
  bytes: Uint8Array;
  caption?: string;
  mimeType?: string;
  fileName?: string;
  /** The size Telegram reports (default the bytes' length): a test can claim a file too large to fetch. */
  size?: number;
}

/** Starts the fake on a loopback port; only `token` is accepted (others get 401 as from Telegram). */
export function startFakeTelegram(token: string): FakeTelegram {
  const updates: Record<string, unknown>[] = [];
  const sent: SentMessage[] = [];
  const uploads: SentUpload[] = [];
  let nextUpdate = 1;
  let nextMessage = 100;
  const pollers = new Set<() => void>();
  const files = new Map<string, { bytes: Uint8Array; path: string; size: number }>();
  const downloads: string[] = [];
  const closing = new AbortController();
  const fake: FakeTelegram = {
    url: "",
    sent,
    sentAt: [],
    uploads,
    chatActions: [],
    chatActionsAt: [],
    webhook: undefined,
    confirmedOffset: 0,
    downloads,
    push(update) {
      const id = nextUpdate++;
      updates.push({ "update_id": id, ...update });
      for (const wake of pollers) wake();
      return id;
    },
    text(from, text, chat, thread) {
      const user = { id: from, "is_bot": false, "first_name": `User${from}`, username: `user${from}` };
      return {
        message: {
          "message_id": nextMessage++,
          date: Math.floor(Date.now() / 1000),
          from: user,
          chat: chat ? { ...chat, title: "Test group" } : { id: from, type: "private", "first_name": user.first_name },
          ...(thread !== undefined ? { "message_thread_id": thread, "is_topic_message": true } : {}),
          text,
        },
      };
    },
    media(from, file, chat) {
      const update = fake.text(from, "", chat) as { message: Record<string, unknown> };
      delete update.message.text;
      const id = `file-${files.size + 1}`;
      const size = file.size ?? file.bytes.byteLength;
      const ext = { photo: "jpg", voice: "oga", audio: "mp3", document: "bin", video: "mp4" }[file.field];
      files.set(id, { bytes: file.bytes, path: `${file.field}s/file_${files.size}.${ext}`, size });
      const ref = { "file_id": id, "file_unique_id": `u-${id}`, "file_size": size };
      const extra = {
        ...(file.mimeType ? { "mime_type": file.mimeType } : {}),
        ...(file.fileName ? { "file_name": file.fileName } : {}),
      };
      update.message[file.field] = file.field === "photo"
        ? [{ ...ref, "file_id": `${id}-thumb`, width: 90, height: 90 }, { ...ref, width: 800, height: 600 }]
        : { ...ref, ...extra, ...(file.field === "voice" || file.field === "audio" ? { duration: 2 } : {}) };
      if (file.caption) update.message.caption = file.caption;
      return update;
    },
    async waitForSent(test, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!test(sent)) {
        if (Date.now() > deadline) throw new Error(`fake Telegram: condition not met; sent ${JSON.stringify(sent)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return sent;
    },
    async stop() {
      closing.abort();
      for (const wake of pollers) wake();
      await server.shutdown();
    },
  };
  const ok = (result: unknown) => Response.json({ ok: true, result });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(new URL(request.url).pathname);
    if (download) {
      const file = [...files.values()].find((f) => f.path === download[2]);
      if (download[1] !== token || !file) return new Response("Not Found", { status: 404 });
      downloads.push(file.path);
      return new Response(file.bytes.slice(), { headers: { "content-type": "application/octet-stream" } });
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(request.url).pathname);
    if (!match) return Response.json({ ok: false, error_code: 404, description: "Not Found" }, { status: 404 });
    if (match[1] !== token) {
      return Response.json({ ok: false, error_code: 401, description: "Unauthorized" }, { status: 401 });
    }
    if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
      return ok(await upload(match[2]!, await request.formData()));
    }
    const text = await request.text();
    const params = text ? JSON.parse(text) as Record<string, unknown> : {};
    switch (match[2]) {
      case "getMe":
        return ok(FAKE_BOT);
      case "deleteWebhook":
        fake.webhook = undefined;
        return ok(true);
      case "setWebhook":
        fake.webhook = { url: String(params.url), "secret_token": params.secret_token as string | undefined };
        return ok(true);
      case "getUpdates": {
        const offset = Number(params.offset ?? 0);
        if (offset > fake.confirmedOffset) {
          fake.confirmedOffset = offset;
          updates.splice(0, updates.length, ...updates.filter((u) => (u.update_id as number) >= offset));
        }
        const waitMs = Math.min(Number(params.timeout ?? 0), 30) * 1000;
        const ready = () => updates.filter((u) => (u.update_id as number) >= offset);
        if (ready().length === 0 && waitMs > 0 && !closing.signal.aborted) {
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              pollers.delete(done);
              resolve();
            };
            const timer = setTimeout(done, waitMs);
            pollers.add(done);
            request.signal.addEventListener("abort", done);
          });
        }
        return ok(ready());
      }
      case "getFile": {
        // A photo's thumbnail is served as its full size; Telegram refuses files over 20 MB to bots.
        const id = String(params.file_id).replace(/-thumb$/, "");
        const file = files.get(id);
        if (!file) return Response.json({ ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
        if (file.size > 20 * 1024 * 1024) {
          return Response.json({ ok: false, error_code: 400, description: "Bad Request: file is too big" });
        }
        return ok({
          "file_id": params.file_id,
          "file_unique_id": `u-${id}`,
          "file_size": file.size,
          "file_path": file.path,
        });
      }
      case "sendMessage": {
        const thread = params.message_thread_id;
        sent.push({
          chatId: params.chat_id as number,
          text: String(params.text),
          ...(typeof thread === "number" ? { threadId: thread } : {}),
        });
        fake.sentAt.push(performance.now());
        // As Telegram answers: a group's chat type, and the topic the message landed in (the reference checks it).
        const inGroup = String(params.chat_id).startsWith("-");
        return ok({
          "message_id": nextMessage++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: params.chat_id, type: inGroup ? "supergroup" : "private" },
          from: FAKE_BOT,
          ...(typeof thread === "number" ? { "message_thread_id": thread, "is_topic_message": true } : {}),
          text: params.text,
        });
      }
      case "sendChatAction": {
        const thread = params.message_thread_id;
        fake.chatActions.push({
          chatId: params.chat_id as number,
          action: String(params.action),
          ...(typeof thread === "number" ? { threadId: thread } : {}),
        });
        fake.chatActionsAt.push(performance.now());
        return ok(true);
      }
      default:
        return ok(true);
    }
  });
  /** A multipart send*: the file (the field says `attach://<part>`, as grammY uploads) recorded with its bytes. */
  async function upload(method: string, form: FormData): Promise<Record<string, unknown>> {
    const chatId = String(form.get("chat_id"));
    const caption = form.get("caption");
    const thread = form.get("message_thread_id");
    for (const [field, value] of form.entries()) {
      if (field === "chat_id" || field === "caption" || typeof value !== "string") continue;
      const attached = /^attach:\/\/(.+)$/.exec(value)?.[1];
      const file = attached ? form.get(attached) : null;
      if (!(file instanceof File)) continue;
      uploads.push({
        method,
        chatId,
        field,
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
        caption: typeof caption === "string" ? caption : undefined,
        ...(typeof thread === "string" ? { threadId: Number(thread) } : {}),
      });
    }
    return {
      "message_id": nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: Number(chatId), type: "private" },
      from: FAKE_BOT,
      ...(typeof caption === "string" ? { caption } : {}),
    };
  }
  fake.url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  return fake;
}
