import { getLogger } from "../../log/logger.ts";
import type { RawIrcAccount } from "../../config/schema.ts";
import type { AccountEntry } from "../accounts.ts";
import type { AccountContext } from "../catalog.ts";
import { ChannelError, messageOf } from "../errors.ts";
import { freshStatus, type KeptStatus, Reconnector } from "../reconnect.ts";
import type { AccountHost, ChannelAccount, ConnectionStatus, ProbeResult } from "../types.ts";
import { type IrcLine, ircLower, mentions, nickOf, parseLine, sanitize, splitBytes, stripAddress } from "./protocol.ts";
import { type IrcSettings, ircSettings } from "./settings.ts";

/** Builds an IRC account from its raw settings (the catalog calls this). */
export function createIrcAccount(account: AccountEntry<RawIrcAccount>, context: AccountContext): ChannelAccount {
  return new IrcAccount(ircSettings(account, context.env), context.host);
}

const REGISTER_TIMEOUT_MS = 30_000;
/** Silence after which we ping the server, and after which the link counts as dead. */
const IDLE_PING_MS = 60_000;
const IDLE_DEAD_MS = 150_000;
/** Lines a hostile server could make us buffer without a newline. */
const MAX_LINE_CHARS = 16_384;
/** Bytes of a PRIVMSG line the text may take: 512 minus our prefix as others see it and the command. */
const LINE_BUDGET = 512 - 2 - 100;
const FLOOD_BURST = 5;
/** Longest nick or channel a message may go to. */
const MAX_TARGET_BYTES = 200;

interface Outgoing {
  line: string;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * One IRC identity: connects (TLS or plain), registers (server password, SASL PLAIN, a free
 * nick), identifies to NickServ, joins its channels, answers PINGs, and reconnects with
 * exponential backoff when the link drops. Outbound lines pass a token bucket (a burst of 5,
 * then `messagesPerSecond`) so the server's flood protection never kills the connection.
 */
class IrcAccount implements ChannelAccount {
  readonly channel = "irc" as const;
  readonly accountId: string;
  readonly textChunkLimit: number;
  readonly streamBreak = "line" as const;
  #settings: IrcSettings;
  #host: AccountHost;
  #log = getLogger("channels/irc");
  #conn: Deno.Conn | undefined;
  #nick: string;
  #registered = false;
  #reconnector: Reconnector;
  #outbox: Outgoing[] = [];
  #tokens = FLOOD_BURST;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #lastRx = 0;
  #pongWaiters = new Map<string, () => void>();
  #connection = "";
  #counter = 0;
  #status: KeptStatus;

  constructor(settings: IrcSettings, host: AccountHost) {
    this.#settings = settings;
    this.#host = host;
    this.accountId = settings.accountId;
    this.textChunkLimit = settings.textChunkLimit;
    this.#nick = settings.nick;
    this.#status = freshStatus(settings.accountId, {
      mode: settings.tls ? "tls" : "plain",
      baseUrl: `${settings.tls ? "ircs" : "irc"}://${settings.host}:${settings.port}`,
      port: settings.port,
    });
    this.#reconnector = new Reconnector({
      status: this.#status,
      log: this.#log,
      label: `irc/${this.accountId}`,
      attempt: async () => {
        try {
          await this.#session();
        } finally {
          this.#closeConn();
        }
        return "again";
      },
    });
  }

  status(): ConnectionStatus {
    return {
      ...this.#status,
      running: this.#reconnector.running,
      connected: this.#registered,
      ...(this.#registered ? { bot: { username: this.#nick } } : {}),
    };
  }

  start(): void {
    this.#reconnector.start();
  }

  stop(): Promise<void> {
    return this.#reconnector.stop(async () => {
      if (this.#conn && this.#registered) await this.#writeNow("QUIT :OpenClaw gateway stopping").catch(() => {});
      this.#closeConn();
    });
  }

  /** One connection, from connect to close; resolves when the server closed it cleanly. */
  async #session(): Promise<void> {
    const { host, port, tls } = this.#settings;
    try {
      if (tls) {
        const conn = await Deno.connectTls({ hostname: host, port });
        this.#conn = conn;
        await conn.handshake();
      } else this.#conn = await Deno.connect({ hostname: host, port });
    } catch (error) {
      this.#closeConn();
      const message = messageOf(error);
      const hint = /certificate/i.test(message)
        ? " (a server with a private CA needs DENO_CERT pointing at that CA's PEM file)"
        : "";
      throw new Error(`cannot connect to ${host}:${port}${tls ? " over TLS" : ""}: ${message}${hint}`);
    }
    this.#connection = crypto.randomUUID().slice(0, 8);
    this.#nick = this.#settings.nick;
    this.#lastRx = Date.now();
    const registerTimer = setTimeout(() => {
      if (!this.#registered) this.#fail("registration timed out (no welcome from the server in 30 s)");
    }, REGISTER_TIMEOUT_MS);
    const idleTimer = setInterval(() => {
      const idle = Date.now() - this.#lastRx;
      if (idle > IDLE_DEAD_MS) this.#fail(`no data from the server for ${Math.round(idle / 1000)} s`);
      else if (idle > IDLE_PING_MS) void this.#writeNow(`PING :keepalive-${Date.now()}`).catch(() => {});
    }, IDLE_PING_MS / 2);
    try {
      if (this.#settings.sasl) await this.#writeNow("CAP LS 302");
      if (this.#settings.password) await this.#writeNow(`PASS ${sanitize(this.#settings.password)}`);
      await this.#writeNow(`NICK ${this.#nick}`);
      await this.#writeNow(`USER ${sanitize(this.#settings.username)} 0 * :${sanitize(this.#settings.realname)}`);
      await this.#readLines(this.#conn);
      if (this.#reconnector.running && this.#failure) throw new Error(this.#failure);
      if (this.#reconnector.running) throw new Error("the server closed the connection");
    } finally {
      clearTimeout(registerTimer);
      clearInterval(idleTimer);
      this.#registered = false;
      this.#failure = undefined;
      for (const item of this.#outbox.splice(0)) {
        item.reject(new Error("IRC connection closed before the line was sent"));
      }
    }
  }

  #failure: string | undefined;

  #fail(reason: string): void {
    this.#failure ??= reason;
    this.#closeConn();
  }

  #closeConn(): void {
    try {
      this.#conn?.close();
    } catch {
      // Already closed.
    }
    this.#conn = undefined;
  }

  async #readLines(conn: Deno.Conn): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    const chunk = new Uint8Array(16_384);
    while (true) {
      let n: number | null;
      try {
        n = await conn.read(chunk);
      } catch (error) {
        // We closed the socket ourselves (stop, or a failure already recorded): not a new error.
        if (!this.#reconnector.running || this.#failure) return;
        throw error;
      }
      if (n === null) return;
      this.#lastRx = Date.now();
      buffer += decoder.decode(chunk.subarray(0, n), { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = parseLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (line) await this.#handle(line);
        newline = buffer.indexOf("\n");
      }
      if (buffer.length > MAX_LINE_CHARS) throw new Error("the server sent an over-long line");
    }
  }

  async #handle(line: IrcLine): Promise<void> {
    const [first = "", second = ""] = line.params;
    switch (line.command) {
      case "PING":
        return await this.#writeNow(`PONG :${sanitize(first)}`);
      case "PONG": {
        const token = line.params.at(-1) ?? "";
        this.#pongWaiters.get(token)?.();
        return;
      }
      case "001":
        this.#registered = true;
        this.#nick = first || this.#nick;
        this.#reconnector.connected();
        this.#log.info(`irc/${this.accountId}: connected to ${this.#settings.host} as ${this.#nick}`);
        await this.#identify();
        for (const channel of this.#settings.channels) await this.#writeNow(`JOIN ${sanitize(channel)}`);
        this.#drain();
        return;
      case "433":
      case "432":
        // Nick taken or refused while registering: try a variant rather than giving up.
        if (!this.#registered) {
          this.#nick = line.command === "432" ? `openclaw${Math.floor(Math.random() * 1000)}` : `${this.#nick}_`;
          await this.#writeNow(`NICK ${this.#nick}`);
        }
        return;
      case "NICK":
        if (ircLower(nickOf(line.prefix)) === ircLower(this.#nick)) this.#nick = first;
        return;
      case "464":
        return this.#fail("the server refused the password (464); check channels.irc.password");
      case "465":
        return this.#fail(`banned from the server (465): ${line.params.at(-1)}`);
      case "ERROR":
        return this.#fail(`server error: ${first}`);
      case "CAP":
        return await this.#capability(line);
      case "AUTHENTICATE":
        if (first === "+" && this.#settings.sasl) {
          const { username, password } = this.#settings.sasl;
          const payload = btoa(
            String.fromCharCode(...new TextEncoder().encode(`${username}\0${username}\0${password}`)),
          );
          await this.#writeNow(`AUTHENTICATE ${payload}`);
        }
        return;
      case "903":
        return await this.#writeNow("CAP END");
      case "902":
      case "904":
      case "905":
        return this.#fail(`SASL authentication failed (${line.command}); check channels.irc.sasl`);
      case "PRIVMSG":
        return this.#privmsg(line.prefix, first, second);
    }
  }

  async #capability(line: IrcLine): Promise<void> {
    const sub = line.params[1]?.toUpperCase();
    const list = line.params.at(-1) ?? "";
    if (sub === "LS") {
      // A multi-line LS has `*` before the last param; wait for the final line.
      if (line.params[2] === "*") return;
      const offered = list.split(" ").map((cap) => cap.split("=")[0]);
      if (!offered.includes("sasl")) {
        await this.#writeNow("CAP END");
        return this.#fail("the server does not offer SASL, which channels.irc.sasl requires");
      }
      return await this.#writeNow("CAP REQ :sasl");
    }
    if (sub === "ACK" && list.split(" ").includes("sasl")) return await this.#writeNow("AUTHENTICATE PLAIN");
    if (sub === "NAK") return this.#fail("the server refused the SASL capability");
  }

  async #identify(): Promise<void> {
    const nickserv = this.#settings.nickserv;
    if (!nickserv) return;
    if (nickserv.registerEmail) {
      await this.#writeNow(
        `PRIVMSG ${nickserv.service} :REGISTER ${sanitize(nickserv.password)} ${sanitize(nickserv.registerEmail)}`,
      );
    }
    await this.#writeNow(`PRIVMSG ${nickserv.service} :IDENTIFY ${sanitize(nickserv.password)}`);
  }

  #privmsg(prefix: string, target: string, text: string): void {
    const nick = nickOf(prefix);
    if (!nick || ircLower(nick) === ircLower(this.#nick)) return;
    // CTCP (VERSION, PING, ACTION...) is not conversation.
    if (text.startsWith("\x01")) return;
    const direct = ircLower(target) === ircLower(this.#nick);
    this.#status.lastInboundAt = Date.now();
    this.#host.inbound({
      channel: "irc",
      accountId: this.accountId,
      messageId: `${this.#connection}-${++this.#counter}`,
      peerKind: direct ? "direct" : "channel",
      senderId: prefix,
      senderAliases: this.#settings.allowNameMatching ? [nick] : [],
      senderName: nick,
      groupId: direct ? undefined : target,
      replyTo: direct ? nick : target,
      text: stripAddress(text, this.#nick),
      mentioned: direct || mentions(text, this.#nick),
    });
  }

  /** Writes a protocol line at once (registration, PONG): these must never wait behind chat. */
  async #writeNow(line: string): Promise<void> {
    const conn = this.#conn;
    if (!conn) throw new ChannelError("unavailable", `IRC account ${this.accountId} is not connected`);
    const bytes = new TextEncoder().encode(`${line}\r\n`);
    let written = 0;
    while (written < bytes.length) written += await conn.write(bytes.subarray(written));
  }

  /** Sends queued lines as the token bucket allows. */
  #drain(): void {
    if (this.#drainTimer !== undefined) return;
    const step = () => {
      this.#drainTimer = undefined;
      if (!this.#registered) return;
      while (this.#tokens >= 1 && this.#outbox.length > 0) {
        this.#tokens--;
        const item = this.#outbox.shift()!;
        this.#writeNow(item.line).then(item.resolve, item.reject);
      }
      const interval = 1000 / this.#settings.messagesPerSecond;
      if (this.#outbox.length > 0 || this.#tokens < FLOOD_BURST) {
        this.#drainTimer = setTimeout(() => {
          this.#tokens = Math.min(FLOOD_BURST, this.#tokens + 1);
          step();
        }, interval);
      }
    };
    step();
  }

  send(target: string, text: string): Promise<{ messageId?: string }> {
    if (!this.#registered) {
      return Promise.reject(
        new ChannelError(
          "unavailable",
          `IRC account ${this.accountId} is not connected (${this.#status.lastError ?? "connecting"})`,
        ),
      );
    }
    if (!/^[^\s,\0]+$/.test(target)) {
      return Promise.reject(new ChannelError("invalid", `"${target}" is not an IRC nick or channel`));
    }
    // Servers cap nicks near 30 and channels near 50 bytes; a longer target leaves no room for text.
    if (new TextEncoder().encode(target).length > MAX_TARGET_BYTES) {
      return Promise.reject(
        new ChannelError(
          "invalid",
          `An IRC target is at most ${MAX_TARGET_BYTES} bytes; "${target.slice(0, 40)}…" is longer`,
        ),
      );
    }
    // IRC has no multi-line messages and no Markdown: one PRIVMSG per line, fences dropped.
    const lines = text.split("\n").map((l) => sanitize(l).trimEnd()).filter((l) =>
      l.trim() && !/^\s*```\w*\s*$/.test(l)
    );
    const pieces = lines.flatMap((l) => splitBytes(l, LINE_BUDGET - target.length));
    if (pieces.length === 0) {
      return Promise.reject(new ChannelError("invalid", "The message is empty once formatted for IRC"));
    }
    const sent = pieces.map((piece) =>
      new Promise<void>((resolve, reject) =>
        this.#outbox.push({ line: `PRIVMSG ${target} :${piece}`, resolve, reject })
      )
    );
    this.#drain();
    return Promise.all(sent).then(() => {
      this.#status.lastOutboundAt = Date.now();
      return {};
    });
  }

  async probe(timeoutMs: number): Promise<ProbeResult> {
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    if (!this.#registered) {
      return { ok: false, error: this.#status.lastError ?? "not connected yet", elapsedMs: elapsedMs() };
    }
    const token = `probe-${crypto.randomUUID().slice(0, 8)}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answered = await Promise.race([
        new Promise<true>((resolve) => this.#pongWaiters.set(token, () => resolve(true))),
        new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), timeoutMs)),
        this.#writeNow(`PING :${token}`).then(() => new Promise<never>(() => {})),
      ]);
      if (!answered) return { ok: false, error: `no PONG within ${timeoutMs} ms`, elapsedMs: elapsedMs() };
      return { ok: true, elapsedMs: elapsedMs(), details: { server: this.#settings.host, nick: this.#nick } };
    } catch (error) {
      return { ok: false, error: messageOf(error), elapsedMs: elapsedMs() };
    } finally {
      clearTimeout(timer);
      this.#pongWaiters.delete(token);
    }
  }
}
