import { within } from "../../async/within.ts";
import { getLogger } from "../../log/logger.ts";
import type { IrcAccountConfig } from "../../config/resolve.ts";
import type { AccountEntry } from "../accounts.ts";
import type { AccountContext } from "../catalog.ts";
import { ChannelError, messageOf } from "../errors.ts";
import { freshStatus, type KeptStatus, Reconnector } from "../reconnect.ts";
import type { AccountHost, ChannelAccount, ConnectionStatus, ProbeResult } from "../types.ts";
import { connectIrc } from "./connect.ts";
import { FloodQueue } from "./flood_queue.ts";
import { readIrcLines } from "./line_reader.ts";
import { privmsgLines } from "./privmsg.ts";
import { type IrcLine, ircLower, mentions, nickOf, sanitize, stripAddress } from "./protocol.ts";
import { capabilityStep, nickservLines, registrationLines, saslPlainLine } from "./registration.ts";
import { type IrcSettings, ircSettings } from "./settings.ts";

/** Builds an IRC account from its raw settings (the catalog calls this). */
export function createIrcAccount(account: AccountEntry<IrcAccountConfig>, context: AccountContext): ChannelAccount {
  return new IrcAccount(ircSettings(account, context.env), context.host);
}

const REGISTER_TIMEOUT_MS = 30_000;
/** Silence after which we ping the server, and after which the link counts as dead. */
const IDLE_PING_MS = 60_000;
const IDLE_DEAD_MS = 150_000;
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
  #queue: FloodQueue;
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
    this.#queue = new FloodQueue({
      messagesPerSecond: settings.messagesPerSecond,
      write: (line) => this.#writeNow(line),
      open: () => this.#registered,
    });
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
    this.#conn = await connectIrc(host, port, tls);
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
      for (const line of registrationLines(this.#settings, this.#nick)) await this.#writeNow(line);
      await this.#readLines(this.#conn);
      if (this.#reconnector.running && this.#failure) throw new Error(this.#failure);
      if (this.#reconnector.running) throw new Error("the server closed the connection");
    } finally {
      clearTimeout(registerTimer);
      clearInterval(idleTimer);
      this.#registered = false;
      this.#failure = undefined;
      this.#queue.rejectAll(new Error("IRC connection closed before the line was sent"));
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
    const events = {
      received: () => void (this.#lastRx = Date.now()),
      closedByUs: () => !this.#reconnector.running || Boolean(this.#failure),
    };
    for await (const line of readIrcLines(conn, events)) await this.#handle(line);
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
        for (const identify of nickservLines(this.#settings.nickserv)) await this.#writeNow(identify);
        for (const channel of this.#settings.channels) await this.#writeNow(`JOIN ${sanitize(channel)}`);
        this.#queue.drain();
        this.#host.ready({ connection: this.#connection });
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
      case "CAP": {
        const step = capabilityStep(line);
        if (step.send) await this.#writeNow(step.send);
        if (step.fail) this.#fail(step.fail);
        return;
      }
      case "AUTHENTICATE":
        if (first === "+" && this.#settings.sasl) await this.#writeNow(saslPlainLine(this.#settings.sasl));
        return;
      case "903":
        return await this.#writeNow("CAP END");
      case "902":
      case "904":
      case "905":
        return this.#fail(`SASL authentication failed (${line.command}); check channels.irc.sasl`);
      case "PRIVMSG":
        return await this.#privmsg(line.prefix, first, second);
    }
  }

  /**
   * Hands a message to the gateway and waits until it is stored (IRC never sends it again): the next line
   * is read only then. A message that cannot be stored is logged and lost, as on any network without replay.
   */
  async #privmsg(prefix: string, target: string, text: string): Promise<void> {
    const nick = nickOf(prefix);
    if (!nick || ircLower(nick) === ircLower(this.#nick)) return;
    // CTCP (VERSION, PING, ACTION...) is not conversation.
    if (text.startsWith("\x01")) return;
    const direct = ircLower(target) === ircLower(this.#nick);
    this.#status.lastInboundAt = Date.now();
    const messageId = `${this.#connection}-${++this.#counter}`;
    const stored = this.#host.inbound({
      channel: "irc",
      accountId: this.accountId,
      messageId,
      peerKind: direct ? "direct" : "channel",
      senderId: prefix,
      senderAliases: this.#settings.allowNameMatching ? [nick] : [],
      senderName: nick,
      groupId: direct ? undefined : target,
      replyTo: direct ? nick : target,
      text: stripAddress(text, this.#nick),
      mentioned: direct || mentions(text, this.#nick),
    }, { eventId: messageId });
    await stored.catch((error) =>
      this.#log.error(`irc/${this.accountId}: message from ${nick} lost: ${messageOf(error)}`)
    );
  }

  /** Writes a protocol line at once (registration, PONG): these must never wait behind chat. */
  async #writeNow(line: string): Promise<void> {
    const conn = this.#conn;
    if (!conn) throw new ChannelError("unavailable", `IRC account ${this.accountId} is not connected`);
    const bytes = new TextEncoder().encode(`${line}\r\n`);
    let written = 0;
    while (written < bytes.length) written += await conn.write(bytes.subarray(written));
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
    let lines: string[];
    try {
      lines = privmsgLines(target, text);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#queue.push(lines).then(() => {
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
    try {
      // Answered by the PONG, failed by a failed write, unanswered when the time is up.
      const answered = await within(
        new Promise<true>((resolve, reject) => {
          this.#pongWaiters.set(token, () => resolve(true));
          this.#writeNow(`PING :${token}`).catch(reject);
        }),
        timeoutMs,
      );
      if (!answered) return { ok: false, error: `no PONG within ${timeoutMs} ms`, elapsedMs: elapsedMs() };
      return { ok: true, elapsedMs: elapsedMs(), details: { server: this.#settings.host, nick: this.#nick } };
    } catch (error) {
      return { ok: false, error: messageOf(error), elapsedMs: elapsedMs() };
    } finally {
      this.#pongWaiters.delete(token);
    }
  }
}
