// A small Slack for tests, speaking the real wire protocols: the Web API (POST /api/<method>, form or JSON
// bodies, `Authorization: Bearer`, `{ok: false, error}` answers) for auth.test, apps.connections.open,
// chat.postMessage, conversations.open, files.getUploadURLExternal, files.completeUploadExternal and the upload
// URL; private file downloads (`url_private_download`, bot token required); and the Socket Mode WebSocket
// (`hello`, `events_api` envelopes the client must ack by `envelope_id`, `disconnect`). The gateway points at it
// with SLACK_API_URL, the reference's own override.

/** The fake workspace and bot. */
export const FAKE_SLACK = {
  team: "T0FAKE001",
  appId: "A0FAKE001",
  botUserId: "U0BOT0001",
  botId: "B0BOT0001",
  botName: "openclaw",
  general: "C0GENERAL",
  other: "C0OTHER01",
  /** A group DM (MPIM) the bot is in: `conversations.info` says `is_mpim`. */
  groupDm: "G0MPIM001",
  /** Display names `users.info` gives (others: `user_not_found`). */
  users: { U0ALICE01: "Alice", U0BOB0001: "Bob" } as Record<string, string>,
};

/** A message the gateway posted (chat.postMessage). */
export interface SlackPost {
  channel: string;
  text: string;
  threadTs?: string;
  ts: string;
}

/** A file the gateway uploaded through the external upload flow. */
export interface SlackUpload {
  fileId: string;
  filename: string;
  bytes: Uint8Array;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
}

/** A running fake Slack. */
export interface FakeSlack {
  /** The SLACK_API_URL to give the gateway (`http://127.0.0.1:<port>/api/`). */
  apiUrl: string;
  /** The fake's origin, for file URLs. */
  origin: string;
  posts: SlackPost[];
  uploads: SlackUpload[];
  /** The ids of the private files requested (with or without the token), in order. */
  downloads: string[];
  /** Web API calls received, by method name, in order. */
  calls: string[];
  /** The parameters of each call in `calls` (form fields or JSON), tokens left out. */
  callParams: Record<string, unknown>[];
  /** Envelope ids the client acknowledged. */
  acked: string[];
  /** Socket Mode connections opened in all. */
  connections(): number;
  /** Socket Mode connections open now. */
  openSockets(): number;
  /** Sends an `events_api` envelope on the live socket; returns its envelope id. */
  sendEvent(event: Record<string, unknown>, options?: { eventId?: string }): string;
  /** The Events API body (`event_callback`) the fake would send for an event. */
  eventBody(event: Record<string, unknown>, eventId?: string): Record<string, unknown>;
  /** A DM event from a user (channel `D…`); returns the message ts. */
  dm(user: string, text: string, extra?: Record<string, unknown>): { event: Record<string, unknown>; ts: string };
  /** A channel message event; `mention` writes `<@bot>` first. */
  channelMessage(
    user: string,
    channel: string,
    text: string,
    options?: { mention?: boolean; threadTs?: string; parentUserId?: string; files?: unknown[] },
  ): { event: Record<string, unknown>; ts: string };
  /** Serves `bytes` at a private URL that needs the bot token; returns a Slack file object for an event. */
  hostFile(name: string, mimetype: string, bytes: Uint8Array): Record<string, unknown>;
  /** The DM channel the fake gives a user. */
  dmChannel(user: string): string;
  /** Sends `{type: "disconnect"}` (Slack's refresh) on the live socket. */
  refresh(): void;
  /** Holds every `apps.connections.open` answer until the returned function is called. */
  holdConnectionsOpen(): () => void;
  /** Closes the live socket abruptly (a dropped connection). */
  drop(): void;
  /** Waits until `test` holds (checked every 25 ms) or throws after the deadline. */
  waitFor(what: string, test: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const API = "/api/";

/** Starts the fake on a loopback port; only `botToken` and `appToken` are accepted (others: `invalid_auth`). */
export function startFakeSlack(botToken: string, appToken: string): FakeSlack {
  const posts: SlackPost[] = [];
  const uploads: SlackUpload[] = [];
  const calls: string[] = [];
  const callParams: Record<string, unknown>[] = [];
  const acked: string[] = [];
  const files = new Map<string, { bytes: Uint8Array; mimetype: string }>();
  const downloads: string[] = [];
  const pendingUploads = new Map<string, { filename: string; bytes?: Uint8Array }>();
  let socket: WebSocket | undefined;
  let held: PromiseWithResolvers<void> | undefined;
  let connections = 0;
  let open = 0;
  let seq = 0;
  let clock = Math.floor(Date.now() / 1000);
  const ts = () => `${clock++}.${String(++seq).padStart(6, "0")}`;

  const ok = (body: Record<string, unknown>) => Response.json({ ok: true, ...body });
  const fail = (error: string) => Response.json({ ok: false, error });

  async function params(request: Request): Promise<Record<string, unknown>> {
    const type = request.headers.get("content-type") ?? "";
    if (type.includes("application/json")) {
      const body = await request.json();
      return typeof body === "object" && body !== null ? body : {};
    }
    const form = new URLSearchParams(await request.text());
    return Object.fromEntries(form.entries());
  }

  function list(value: unknown): Record<string, unknown>[] {
    const parsed = typeof value === "string" ? JSON.parse(value) : value;
    return Array.isArray(parsed) ? parsed : [];
  }

  async function api(request: Request, method: string): Promise<Response> {
    calls.push(method);
    const auth = request.headers.get("authorization");
    const body = await params(request);
    const { token: _token, ...shown } = body;
    callParams.push(shown);
    if (method === "apps.connections.open") {
      if (auth !== `Bearer ${appToken}`) return fail("invalid_auth");
      await held?.promise;
      return ok({ url: `${fake.origin.replace(/^http/, "ws")}/link/?ticket=${crypto.randomUUID()}` });
    }
    if (auth !== `Bearer ${botToken}` && body.token !== botToken) return fail("invalid_auth");
    switch (method) {
      case "auth.test":
        return ok({
          url: "https://fake.slack.com/",
          team: "Fake Team",
          user: FAKE_SLACK.botName,
          "team_id": FAKE_SLACK.team,
          "user_id": FAKE_SLACK.botUserId,
          "bot_id": FAKE_SLACK.botId,
          "is_enterprise_install": false,
        });
      case "chat.postMessage": {
        const sent = ts();
        posts.push({
          channel: String(body.channel),
          text: String(body.text ?? ""),
          ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
          ts: sent,
        });
        return ok({ channel: body.channel, ts: sent, message: { text: body.text, ts: sent } });
      }
      case "users.info": {
        const name = FAKE_SLACK.users[String(body.user)];
        if (!name) return fail("user_not_found");
        return ok({
          user: {
            id: body.user,
            name: name.toLowerCase(),
            profile: { "display_name": name, "real_name": `${name} Example` },
          },
        });
      }
      case "conversations.info": {
        // The two channels, the group DM (an MPIM) and DMs are known; others are not found (not a member).
        const id = String(body.channel);
        if (id === FAKE_SLACK.groupDm) return ok({ channel: { id, "is_mpim": true, "is_group": true } });
        if (id.startsWith("D")) return ok({ channel: { id, "is_im": true } });
        if (id === FAKE_SLACK.general || id === FAKE_SLACK.other) return ok({ channel: { id, "is_channel": true } });
        return fail("channel_not_found");
      }
      case "conversations.open":
        return ok({ channel: { id: fake.dmChannel(String(body.users)) } });
      case "files.getUploadURLExternal": {
        const fileId = `F${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
        pendingUploads.set(fileId, { filename: String(body.filename) });
        return ok({ upload_url: `${fake.origin}/upload/${fileId}`, file_id: fileId });
      }
      case "files.completeUploadExternal": {
        const done = list(body.files).map((entry) => {
          const id = String(entry.id);
          const pending = pendingUploads.get(id);
          uploads.push({
            fileId: id,
            filename: pending?.filename ?? "",
            bytes: pending?.bytes ?? new Uint8Array(),
            ...(body.channel_id ? { channel: String(body.channel_id) } : {}),
            ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
            ...(body.initial_comment ? { initialComment: String(body.initial_comment) } : {}),
          });
          return { id, title: entry.title ?? pending?.filename };
        });
        return ok({ files: done });
      }
    }
    return fail("unknown_method");
  }

  async function upload(request: Request, fileId: string): Promise<Response> {
    const pending = pendingUploads.get(fileId);
    if (!pending) return new Response("unknown upload", { status: 404 });
    const type = request.headers.get("content-type") ?? "";
    if (type.includes("multipart/form-data")) {
      const form = await request.formData();
      for (const value of form.values()) {
        if (value instanceof File) pending.bytes = new Uint8Array(await value.arrayBuffer());
      }
    } else {
      pending.bytes = new Uint8Array(await request.arrayBuffer());
    }
    return new Response(`OK - ${pending.bytes?.length ?? 0}`);
  }

  const send = (frame: unknown) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith(API) && request.method === "POST") return api(request, path.slice(API.length));
    const uploadId = /^\/upload\/(F\w+)$/.exec(path)?.[1];
    if (uploadId && request.method === "POST") return upload(request, uploadId);
    const fileId = /^\/files-pri\/(F\w+)\//.exec(path)?.[1];
    if (fileId) {
      downloads.push(fileId);
      const file = files.get(fileId);
      // Slack answers an unauthenticated download with its sign-in page, not the file.
      if (!file || request.headers.get("authorization") !== `Bearer ${botToken}`) {
        return new Response("<html>sign in</html>", { headers: { "content-type": "text/html" } });
      }
      return new Response(file.bytes.slice(), { headers: { "content-type": file.mimetype } });
    }
    if (path.startsWith("/link") && request.headers.get("upgrade") === "websocket") {
      const { socket: ws, response } = Deno.upgradeWebSocket(request);
      ws.onopen = () => {
        connections++;
        open++;
        socket = ws;
        ws.send(JSON.stringify({
          type: "hello",
          "num_connections": 1,
          "debug_info": { host: "fake-slack", approximate_connection_time: 18060 },
          "connection_info": { app_id: FAKE_SLACK.appId },
        }));
      };
      ws.onmessage = (event) => {
        const frame = JSON.parse(String(event.data));
        if (typeof frame?.envelope_id === "string") acked.push(frame.envelope_id);
      };
      ws.onclose = () => {
        open--;
        if (socket === ws) socket = undefined;
      };
      return response;
    }
    return new Response("Not Found", { status: 404 });
  });

  const origin = `http://127.0.0.1:${server.addr.port}`;
  const fake: FakeSlack = {
    apiUrl: `${origin}${API}`,
    origin,
    posts,
    uploads,
    downloads,
    calls,
    callParams,
    acked,
    connections: () => connections,
    openSockets: () => open,
    eventBody(event, eventId = `Ev${crypto.randomUUID().slice(0, 10).toUpperCase()}`) {
      return {
        token: "verification-token",
        "team_id": FAKE_SLACK.team,
        "api_app_id": FAKE_SLACK.appId,
        event,
        type: "event_callback",
        "event_id": eventId,
        "event_time": Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: FAKE_SLACK.team, user_id: FAKE_SLACK.botUserId, is_bot: true }],
        "is_ext_shared_channel": false,
        "event_context": `4-${eventId}`,
      };
    },
    sendEvent(event, options = {}) {
      const envelopeId = crypto.randomUUID();
      send({
        "envelope_id": envelopeId,
        payload: fake.eventBody(event, options.eventId),
        type: "events_api",
        "accept_response_payload": false,
        "retry_attempt": 0,
        "retry_reason": "",
      });
      return envelopeId;
    },
    dmChannel: (user) => `D${user.slice(1)}`,
    dm(user, text, extra = {}) {
      const sent = ts();
      const event = {
        type: "message",
        channel: fake.dmChannel(user),
        user,
        text,
        ts: sent,
        "event_ts": sent,
        "channel_type": "im",
        team: FAKE_SLACK.team,
        ...extra,
      };
      return { event, ts: sent };
    },
    channelMessage(user, channel, text, options = {}) {
      const sent = ts();
      const event = {
        type: "message",
        channel,
        user,
        text: options.mention ? `<@${FAKE_SLACK.botUserId}> ${text}` : text,
        ts: sent,
        "event_ts": sent,
        "channel_type": "channel",
        team: FAKE_SLACK.team,
        ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
        ...(options.parentUserId ? { parent_user_id: options.parentUserId } : {}),
        ...(options.files ? { files: options.files, subtype: "file_share" } : {}),
      };
      return { event, ts: sent };
    },
    hostFile(name, mimetype, bytes) {
      const id = `F${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
      files.set(id, { bytes, mimetype });
      const url = `${origin}/files-pri/${id}/${encodeURIComponent(name)}`;
      return {
        id,
        name,
        title: name,
        mimetype,
        filetype: name.split(".").pop() ?? "bin",
        size: bytes.length,
        "url_private": url,
        "url_private_download": `${url}?download=1`,
        mode: "hosted",
      };
    },
    refresh() {
      send({ type: "disconnect", reason: "refresh_requested", debug_info: { host: "fake-slack" } });
    },
    holdConnectionsOpen() {
      const hold = Promise.withResolvers<void>();
      held = hold;
      return () => {
        if (held === hold) held = undefined;
        hold.resolve();
      };
    },
    drop() {
      const ws = socket;
      socket = undefined;
      ws?.close(4000, "dropped by the test");
    },
    async waitFor(what, test, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!test()) {
        if (Date.now() > deadline) {
          throw new Error(`fake Slack: ${what} not met; posts ${JSON.stringify(posts)}; calls ${calls.join(",")}`);
        }
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
