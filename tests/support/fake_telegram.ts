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
}

/** A running fake Bot API. */
export interface FakeTelegram {
  /** The `apiRoot` to configure. */
  url: string;
  sent: SentMessage[];
  /** Files uploaded with the send* media methods, bytes and all. */
  uploads: SentUpload[];
  webhook: { url: string; "secret_token"?: string } | undefined;
  /** The highest `offset` a getUpdates has sent: updates below it were acknowledged and are gone. */
  confirmedOffset: number;
  /** Queues an update as Telegram would deliver it; returns its update_id. */
  push(update: Record<string, unknown>): number;
  /** A text message update from a user, in a private chat or a group. */
  text(from: number, text: string, chat?: { id: number; type: "group" | "supergroup" }): Record<string, unknown>;
  /** Waits until `test` holds for the sent messages. */
  waitForSent(test: (sent: SentMessage[]) => boolean, timeoutMs?: number): Promise<SentMessage[]>;
  stop(): Promise<void>;
}

/** Starts the fake on a loopback port; only `token` is accepted (others get 401 as from Telegram). */
export function startFakeTelegram(token: string): FakeTelegram {
  const updates: Record<string, unknown>[] = [];
  const sent: SentMessage[] = [];
  const uploads: SentUpload[] = [];
  let nextUpdate = 1;
  let nextMessage = 100;
  const pollers = new Set<() => void>();
  const closing = new AbortController();
  const fake: FakeTelegram = {
    url: "",
    sent,
    uploads,
    webhook: undefined,
    confirmedOffset: 0,
    push(update) {
      const id = nextUpdate++;
      updates.push({ "update_id": id, ...update });
      for (const wake of pollers) wake();
      return id;
    },
    text(from, text, chat) {
      const user = { id: from, "is_bot": false, "first_name": `User${from}`, username: `user${from}` };
      return {
        message: {
          "message_id": nextMessage++,
          date: Math.floor(Date.now() / 1000),
          from: user,
          chat: chat ? { ...chat, title: "Test group" } : { id: from, type: "private", "first_name": user.first_name },
          text,
        },
      };
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
      case "sendMessage": {
        sent.push({ chatId: params.chat_id as number, text: String(params.text) });
        return ok({
          "message_id": nextMessage++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: params.chat_id, type: "private" },
          from: FAKE_BOT,
          text: params.text,
        });
      }
      default:
        return ok(true);
    }
  });
  /** A multipart send*: the file (the field says `attach://<part>`, as grammY uploads) recorded with its bytes. */
  async function upload(method: string, form: FormData): Promise<Record<string, unknown>> {
    const chatId = String(form.get("chat_id"));
    const caption = form.get("caption");
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
