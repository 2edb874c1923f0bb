// A small Discord server for tests, speaking the real wire protocol: REST under /api/v10 (users/@me,
// gateway/bot, users/@me/channels, channels/{id}, channels/{id}/messages, with rate-limit headers
// and a 429 on request) and the gateway WebSocket (HELLO, IDENTIFY → READY + GUILD_CREATE,
// heartbeat/ACK, MESSAGE_CREATE dispatches, RECONNECT, RESUME with the missed events replayed).
// Messages with files come as Discord takes them: multipart `payload_json` + `files[n]`, bytes recorded.
// The gateway points at it with DISCORD_API_URL, the reference's own override.

/** The fake bot's identity. */
export const FAKE_DISCORD_BOT = {
  id: "1100000000000000001",
  username: "oc_discord_bot",
  discriminator: "0",
  "global_name": "OpenClaw Test",
  avatar: null,
  bot: true,
};

/** The fake guild: one text channel, one more, and a thread under the first. */
export const FAKE_GUILD = {
  id: "1200000000000000001",
  name: "Test Server",
  general: "1300000000000000001",
  help: "1300000000000000002",
  thread: "1300000000000000003",
};

/** A file the gateway attached to a message (multipart `files[n]`), bytes and all. */
export interface PostedFile {
  /** The form field (`files[0]`). */
  field: string;
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A message the gateway posted. */
export interface PostedMessage {
  channelId: string;
  content: string;
  flags?: number;
  /** Attachments uploaded with it (multipart), with `payload_json`'s `attachments` entries. */
  files?: PostedFile[];
  attachments?: unknown[];
}

/** A file the fake serves as an attachment (its CDN), for a message to carry. */
export interface FakeAttachmentInput {
  bytes: Uint8Array;
  filename: string;
  contentType?: string;
  /** A voice message's file: a waveform and duration, as Discord describes one. */
  voice?: boolean;
}

/** A download of an attachment's bytes from the fake CDN. */
export interface AttachmentDownload {
  path: string;
  /** The Authorization header it came with (none is expected: the CDN needs no token). */
  authorization: string | null;
}

/** A running fake Discord. */
export interface FakeDiscord {
  /** The DISCORD_API_URL to give the gateway (`http://127.0.0.1:<port>/api/v10`). */
  apiUrl: string;
  posted: PostedMessage[];
  /** Gateway frames received from the client, in order (op and, for dispatch-like ops, the payload). */
  received: { op: number; d: unknown }[];
  /** The REST requests received, as `METHOD /path` (under /api/v10). */
  requests: string[];
  /** How many IDENTIFY and RESUME the gateway received. */
  counts: { identify: number; resume: number; heartbeat: number };
  /** The DM channel id the fake gives a user. */
  dmChannel(userId: string): string;
  /** Dispatches MESSAGE_CREATE for a DM from a user (with files served from the fake's CDN); returns the message id. */
  dm(userId: string, content: string, attachments?: FakeAttachmentInput[]): string;
  /** The attachment downloads the fake's CDN (`/attachments/...`) served or refused, in order. */
  downloads: AttachmentDownload[];
  /** Forgets every file served so far: their signed URLs now answer 404, as expired ones do. */
  expireAttachments(): void;
  /** Dispatches MESSAGE_CREATE in a guild channel; `mentionBot` writes `<@bot>` before the text. */
  guildMessage(
    userId: string,
    channelId: string,
    content: string,
    /** `type`: Discord's message type (0 normal, 19 reply, 6 a pin, 18 a thread created, 20 a slash command ...). */
    options?: { mentionBot?: boolean; everyone?: boolean; type?: number },
  ): string;
  /** Closes the live gateway connection with `code` (4000: unknown error, which clients resume from). */
  drop(code?: number): void;
  /**
   * The next RESUME also replays the last `n` events the client already had (Discord may replay from an older
   * sequence than the client last saw, e.g. when a heartbeat's sequence was not acknowledged).
   */
  replayAgainOnResume(n: number): void;
  /** Answers the next message POST with 429 and `retry_after`, as Discord's rate limiter does. */
  rateLimitNextPost(retryAfterS: number): void;
  /** Holds the next `GET` of `path` (under /api/v10) until the returned function is called (a slow Discord). */
  holdNext(path: string): () => void;
  /** How many requests are being held now. */
  held(): number;
  /** Gateway WebSocket connections open now. */
  openSockets(): number;
  /** Waits until `test` holds for the posted messages. */
  waitForPosted(test: (posted: PostedMessage[]) => boolean, timeoutMs?: number): Promise<PostedMessage[]>;
  /** Waits until the client has a live session (READY or RESUMED sent) `n` times in all. */
  waitForSessions(n: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const API = "/api/v10";
/** Discord's message flag for a voice message. */
const IS_VOICE_MESSAGE = 1 << 13;

/** Starts the fake on a loopback port; only `token` is accepted (others get 401 / close 4004 as from Discord). */
export function startFakeDiscord(
  token: string,
  options: { heartbeatIntervalMs?: number; closeIdentifyWith?: number } = {},
): FakeDiscord {
  const posted: PostedMessage[] = [];
  const received: FakeDiscord["received"] = [];
  const counts = { identify: 0, resume: 0, heartbeat: 0 };
  let sessions = 0;
  let nextId = 1400000000000000000n;
  const snowflake = () => String(nextId++);
  let socket: WebSocket | undefined;
  /** The session: its id, the events sent in it (replayed after a RESUME), and the sequence. */
  const session = { id: "", seq: 0, events: [] as { s: number; t: string; d: unknown }[] };
  const pendingRateLimits: number[] = [];
  const holds = new Map<string, Promise<void>[]>();
  let held = 0;
  let openSockets = 0;
  let rewind = 0;
  /** The bytes the fake CDN serves, by path. */
  const files = new Map<string, Uint8Array>();
  const user = (id: string) => ({
    id,
    username: `user${id.slice(-4)}`,
    discriminator: "0",
    global_name: null,
    avatar: null,
  });
  const channels = new Map<string, Record<string, unknown>>([
    [FAKE_GUILD.general, { id: FAKE_GUILD.general, type: 0, guild_id: FAKE_GUILD.id, name: "general" }],
    [FAKE_GUILD.help, { id: FAKE_GUILD.help, type: 0, guild_id: FAKE_GUILD.id, name: "help" }],
    [FAKE_GUILD.thread, {
      id: FAKE_GUILD.thread,
      type: 11,
      guild_id: FAKE_GUILD.id,
      name: "a thread",
      parent_id: FAKE_GUILD.general,
    }],
  ]);

  const send = (frame: unknown) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  };
  /** Sends a dispatch in the session; one sent while no client is connected waits for the RESUME. */
  const dispatch = (t: string, d: unknown) => {
    const event = { s: ++session.seq, t, d };
    session.events.push(event);
    send({ op: 0, ...event });
  };
  const messageCreate = (
    channelId: string,
    author: string,
    content: string,
    extra: Record<string, unknown>,
  ): string => {
    const id = snowflake();
    dispatch("MESSAGE_CREATE", {
      id,
      type: 0,
      channel_id: channelId,
      author: user(author),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      ...extra,
    });
    return id;
  };

  function onGatewayFrame(ws: WebSocket, frame: { op: number; d: Record<string, unknown> | number | null }) {
    received.push({ op: frame.op, d: frame.d });
    const d = typeof frame.d === "object" && frame.d !== null ? frame.d : {};
    switch (frame.op) {
      case 1:
        counts.heartbeat++;
        // On the connection the heartbeat came on, even while a newer one is opening.
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        return;
      case 2: {
        counts.identify++;
        if (d.token !== token) return ws.close(4004, "Authentication failed.");
        // A fatal close Discord sends after IDENTIFY (4014: Disallowed intent(s)).
        if (options.closeIdentifyWith) return ws.close(options.closeIdentifyWith, "Disallowed intent(s).");
        session.id = crypto.randomUUID().replaceAll("-", "");
        session.seq = 0;
        session.events = [];
        sessions++;
        dispatch("READY", {
          v: 10,
          user: FAKE_DISCORD_BOT,
          guilds: [{ id: FAKE_GUILD.id, unavailable: true }],
          session_id: session.id,
          resume_gateway_url: fake.apiUrl.replace(/^http/, "ws").replace(API, "/gateway"),
          shard: [0, 1],
          application: { id: FAKE_DISCORD_BOT.id, flags: 0 },
        });
        dispatch("GUILD_CREATE", {
          id: FAKE_GUILD.id,
          name: FAKE_GUILD.name,
          unavailable: false,
          channels: [...channels.values()].filter((c) => c.type !== 11),
          threads: [...channels.values()].filter((c) => c.type === 11),
          members: [],
          roles: [],
          // The rest of a complete GUILD_CREATE, which clients iterate.
          voice_states: [],
          presences: [],
          stage_instances: [],
          guild_scheduled_events: [],
          soundboard_sounds: [],
          emojis: [],
          stickers: [],
          member_count: 2,
          large: false,
          joined_at: new Date().toISOString(),
        });
        return;
      }
      case 6: {
        counts.resume++;
        if (d.token !== token || d.session_id !== session.id) {
          send({ op: 9, d: false, s: null, t: null });
          return;
        }
        // Discord replays what the client missed, then says RESUMED.
        const from = Number(d.seq) - rewind;
        rewind = 0;
        for (const event of session.events.filter((e) => e.s > from)) send({ op: 0, ...event });
        sessions++;
        send({ op: 0, s: ++session.seq, t: "RESUMED", d: {} });
        return;
      }
    }
  }

  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    Response.json(body, {
      status,
      headers: {
        "x-ratelimit-limit": "5",
        "x-ratelimit-remaining": "4",
        "x-ratelimit-reset-after": "1",
        "x-ratelimit-bucket": "fake-bucket",
        ...headers,
      },
    });

  async function rest(request: Request, path: string): Promise<Response> {
    fake.requests.push(`${request.method} ${path}`);
    if (request.headers.get("authorization") !== `Bot ${token}`) {
      return json({ message: "401: Unauthorized", code: 0 }, 401);
    }
    // A message with files comes as multipart: `payload_json` holds the body, `files[n]` the files.
    let files: PostedFile[] | undefined;
    let body: Record<string, unknown> = {};
    if (request.method === "POST" && request.headers.get("content-type")?.startsWith("multipart/form-data")) {
      const form = await request.formData();
      body = JSON.parse(String(form.get("payload_json") ?? "{}"));
      files = [];
      for (const [field, value] of form.entries()) {
        if (!(value instanceof File)) continue;
        files.push({
          field,
          name: value.name,
          contentType: value.type,
          bytes: new Uint8Array(await value.arrayBuffer()),
        });
      }
    } else if (request.method === "POST") body = await request.json() as Record<string, unknown>;
    const hold = request.method === "GET" ? holds.get(path)?.shift() : undefined;
    if (hold) {
      held++;
      await hold;
      held--;
    }
    if (path === "/users/@me" && request.method === "GET") return json(FAKE_DISCORD_BOT);
    // The reference's client asks for its application (id, flags) before it connects.
    if (path === "/oauth2/applications/@me") {
      // GATEWAY_MESSAGE_CONTENT (1 << 18): the privileged intent is enabled for this bot.
      return json({ id: FAKE_DISCORD_BOT.id, name: "OpenClaw Test", flags: 1 << 18, bot: FAKE_DISCORD_BOT });
    }
    if (path === "/gateway/bot") {
      return json({
        url: fake.apiUrl.replace(/^http/, "ws").replace(API, "/gateway"),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
    }
    if (path === "/users/@me/channels" && request.method === "POST") {
      const recipient = String(body.recipient_id);
      return json({ id: fake.dmChannel(recipient), type: 1, recipients: [user(recipient)] });
    }
    const channel = /^\/channels\/(\d+)(\/messages)?$/.exec(path);
    if (channel && !channel[2] && request.method === "GET") {
      // A DM channel the fake handed out (`9…`) is known too, as Discord knows every DM it opened.
      const dmUser = channel[1]!.startsWith("9") ? `1${channel[1]!.slice(1)}` : undefined;
      const known = channels.get(channel[1]!) ??
        (dmUser ? { id: channel[1]!, type: 1, recipients: [user(dmUser)], last_message_id: null } : undefined);
      return known ? json(known) : json({ message: "Unknown Channel", code: 10003 }, 404);
    }
    if (channel && channel[2] && request.method === "POST") {
      const retryAfter = pendingRateLimits.shift();
      if (retryAfter !== undefined) {
        return json({ message: "You are being rate limited.", retry_after: retryAfter, global: false }, 429, {
          "retry-after": String(Math.ceil(retryAfter)),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset-after": String(retryAfter),
          "x-ratelimit-scope": "user",
        });
      }
      const message: PostedMessage = {
        channelId: channel[1]!,
        content: String(body.content),
        flags: body.flags as number | undefined,
        ...(files ? { files, attachments: body.attachments as unknown[] } : {}),
      };
      posted.push(message);
      return json({
        id: snowflake(),
        channel_id: message.channelId,
        author: FAKE_DISCORD_BOT,
        content: message.content,
        timestamp: new Date().toISOString(),
        type: 0,
      });
    }
    return json({ message: "404: Not Found", code: 0 }, 404);
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const path = new URL(request.url).pathname;
    // Clients may encode `@` in `users/@me` (the reference's does).
    if (path.startsWith(API)) return rest(request, decodeURIComponent(path.slice(API.length)));
    if (path.startsWith("/attachments/")) {
      fake.downloads.push({ path, authorization: request.headers.get("authorization") });
      const bytes = files.get(path);
      // Discord's CDN answers a signed URL without credentials; one with a token is as good as any.
      return bytes ? new Response(bytes.slice()) : new Response("Not Found", { status: 404 });
    }
    if (path === "/gateway" && request.headers.get("upgrade") === "websocket") {
      const { socket: ws, response } = Deno.upgradeWebSocket(request);
      ws.onopen = () => {
        openSockets++;
        socket = ws;
        ws.send(
          JSON.stringify({
            op: 10,
            d: { heartbeat_interval: options.heartbeatIntervalMs ?? 41_250 },
            s: null,
            t: null,
          }),
        );
      };
      ws.onmessage = (event) => onGatewayFrame(ws, JSON.parse(String(event.data)));
      ws.onclose = () => {
        openSockets--;
        if (socket === ws) socket = undefined;
      };
      return response;
    }
    return new Response("Not Found", { status: 404 });
  });
  const fake: FakeDiscord = {
    apiUrl: `http://127.0.0.1:${server.addr.port}${API}`,
    posted,
    received,
    requests: [],
    counts,
    dmChannel: (userId) => `9${userId.slice(1)}`,
    downloads: [],
    expireAttachments: () => files.clear(),
    dm(userId, content, attachments = []) {
      const channelId = fake.dmChannel(userId);
      const described = attachments.map((file) => {
        const id = snowflake();
        const path = `/attachments/${channelId}/${id}/${file.filename}`;
        files.set(path, file.bytes);
        const origin = fake.apiUrl.slice(0, -API.length);
        return {
          id,
          filename: file.filename,
          size: file.bytes.length,
          // Signed, expiring CDN URLs, as Discord writes them.
          url: `${origin}${path}?ex=67a0b1c2&is=679f6042&hm=${"0".repeat(64)}&`,
          "proxy_url": `${origin}${path}`,
          ...(file.contentType ? { "content_type": file.contentType } : {}),
          ...(file.voice ? { "duration_secs": 2.5, waveform: "AAAAAAAAAAAA" } : {}),
        };
      });
      const voice = attachments.some((file) => file.voice);
      return messageCreate(channelId, userId, content, {
        attachments: described,
        ...(voice ? { flags: IS_VOICE_MESSAGE } : {}),
      });
    },
    guildMessage(userId, channelId, content, options = {}) {
      const text = options.mentionBot
        ? `<@${FAKE_DISCORD_BOT.id}> ${content}`
        : options.everyone
        ? `@everyone ${content}`
        : content;
      return messageCreate(channelId, userId, text, {
        mention_everyone: options.everyone === true,
        guild_id: FAKE_GUILD.id,
        member: { roles: [], nick: null, joined_at: new Date().toISOString(), deaf: false, mute: false },
        mentions: options.mentionBot ? [{ ...FAKE_DISCORD_BOT, member: {} }] : [],
        ...(options.type === undefined ? {} : { type: options.type }),
      });
    },
    drop(code = 4000) {
      const ws = socket;
      socket = undefined;
      ws?.close(code, "dropped by the test");
    },
    replayAgainOnResume(n) {
      rewind = n;
    },
    rateLimitNextPost(retryAfterS) {
      pendingRateLimits.push(retryAfterS);
    },
    holdNext(path) {
      const { promise, resolve } = Promise.withResolvers<void>();
      holds.set(path, [...holds.get(path) ?? [], promise]);
      return resolve;
    },
    held: () => held,
    openSockets: () => openSockets,
    async waitForPosted(test, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!test(posted)) {
        if (Date.now() > deadline) throw new Error(`fake Discord: condition not met; posted ${JSON.stringify(posted)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return posted;
    },
    async waitForSessions(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (sessions < n) {
        if (Date.now() > deadline) throw new Error(`fake Discord: ${sessions} sessions, waited for ${n}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      socket?.close(1000);
      await server.shutdown();
    },
  };
  return fake;
}
