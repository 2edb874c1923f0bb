// The QR login the Control UI drives (`web.login.start`, then `web.login.wait`), answered in the
// reference's shapes and words (extensions/whatsapp/src/login-qr.ts): one login per account, fresh
// for three minutes; start answers with the first QR as a PNG data URL, wait with the outcome or a
// newer QR.

import { within } from "../../async/within.ts";
import type { Logger } from "../../log/logger.ts";
import { clearAuthDir, isLinked, linkedIdentity } from "./auth_dir.ts";
import { followPairing, PAIRING_MESSAGES, trackedSocket } from "./pairing.ts";
import type { WaSocket, WaSocketFactory } from "./socket.ts";

/** How long a cancel waits for the credential writes in flight (the reference's save-queue barrier). */
const CREDS_FLUSH_TIMEOUT_MS = 15_000;

/** How long a login's QR stays usable, as the reference keeps it. */
const LOGIN_TTL_MS = 180_000;

/** The account a login links. */
export interface LoginAccount {
  accountId: string;
  authDir: string;
  managedAuthDir: boolean;
  waWebSocketUrl: string | undefined;
}

/** `web.login.start`'s answer, as the reference shapes it. */
export interface WebLoginStartResult {
  message: string;
  qrDataUrl?: string;
  connected?: boolean;
}

/** `web.login.wait`'s answer, as the reference shapes it. */
export interface WebLoginWaitResult {
  connected: boolean;
  message: string;
  qrDataUrl?: string;
}

interface ActiveLogin {
  id: string;
  startedAt: number;
  socket: WaSocket;
  qr: string | undefined;
  qrDataUrl: string | undefined;
  connected: boolean;
  error: string | undefined;
  errorStatus: number | undefined;
  done: Promise<void>;
  /** Resolves at the next change (a new QR drawn, the pairing ended). */
  changed: Promise<void>;
  signal: () => void;
}

/** Options for {@link WhatsAppWebLogins}. */
export interface WebLoginDeps {
  factory: WaSocketFactory;
  renderQr: (qr: string) => Promise<string>;
  log: Logger;
}

/** The gateway's QR logins, one per account. */
export class WhatsAppWebLogins {
  #deps: WebLoginDeps;
  #active = new Map<string, ActiveLogin>();
  /** Each account's start in progress: a second start waits for it, so one account never has two pairing sockets. */
  #starting = new Map<string, Promise<unknown>>();

  constructor(deps: WebLoginDeps) {
    this.#deps = deps;
  }

  /** Starts (or reuses) a login and answers with its first QR. `running`: the account is connected now. */
  start(
    account: LoginAccount,
    options: { force?: boolean | undefined; timeoutMs?: number | undefined; running: boolean },
  ): Promise<WebLoginStartResult> {
    const before = this.#starting.get(account.accountId) ?? Promise.resolve();
    const next = before.then(() => this.#start(account, options));
    const settled = next.catch(() => {});
    this.#starting.set(account.accountId, settled);
    void settled.then(() => {
      if (this.#starting.get(account.accountId) === settled) this.#starting.delete(account.accountId);
    });
    return next;
  }

  async #start(
    account: LoginAccount,
    options: { force?: boolean | undefined; timeoutMs?: number | undefined; running: boolean },
  ): Promise<WebLoginStartResult> {
    const linked = await isLinked(account.authDir);
    if (linked && !options.force && options.running) {
      const self = await linkedIdentity(account.authDir);
      return {
        message: `WhatsApp is already linked (${
          self.e164 ?? self.jid ?? "unknown"
        }). Say “relink” if you want a fresh QR.`,
      };
    }
    if (linked && options.force && !(await clearAuthDir(account.authDir, account.managedAuthDir))) {
      return {
        message:
          "WhatsApp login failed: existing auth could not be cleared. Remove or fix the configured WhatsApp auth directory, then retry login.",
      };
    }
    const existing = this.#active.get(account.accountId);
    if (existing && Date.now() - existing.startedAt < LOGIN_TTL_MS && existing.qrDataUrl) {
      return { qrDataUrl: existing.qrDataUrl, message: "QR already active. Scan it in WhatsApp → Linked Devices." };
    }
    this.#reset(account.accountId);
    const timeoutMs = Math.max(5000, options.timeoutMs ?? 30_000);
    const firstQr = Promise.withResolvers<void>();
    // QR codes may come before the login is recorded: the first is kept until then.
    const recorded: { login?: ActiveLogin } = {};
    let pending: string | undefined;
    const onQr = (qr: string) => {
      if (recorded.login) void this.#showQr(recorded.login, qr);
      else pending = qr;
      firstQr.resolve();
    };
    let tracked;
    try {
      tracked = await trackedSocket(this.#deps.factory, account, onQr);
    } catch (error) {
      return { message: `Failed to start WhatsApp login: ${String(error)}` };
    }
    const signal = Promise.withResolvers<void>();
    const login: ActiveLogin = {
      id: crypto.randomUUID(),
      startedAt: Date.now(),
      socket: tracked.socket,
      qr: undefined,
      qrDataUrl: undefined,
      connected: false,
      error: undefined,
      errorStatus: undefined,
      done: Promise.resolve(),
      changed: signal.promise,
      signal: () => {},
    };
    login.signal = this.#signaller(login, signal.resolve);
    this.#active.set(account.accountId, login);
    recorded.login = login;
    const current = login;
    current.done = followPairing({
      first: tracked,
      factory: this.#deps.factory,
      options: account,
      managed: account.managedAuthDir,
      onQr,
      onSocket: (socket) => current.socket = socket,
      log: (line) => this.#deps.log.info(`whatsapp/${account.accountId}: ${line}`),
      cancelled: () => this.#active.get(account.accountId) !== current,
    }).then((outcome) => {
      if (outcome.outcome === "connected") current.connected = true;
      else {
        current.error = outcome.message;
        current.errorStatus = outcome.statusCode;
      }
    }, (error) => {
      current.error = String(error);
    }).finally(() => current.signal());
    if (pending) void this.#showQr(current, pending);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), timeoutMs));
    const first = await Promise.race([
      firstQr.promise.then(() => "qr" as const),
      current.done.then(() => "done" as const),
      timedOut,
    ]);
    clearTimeout(timer);
    if (first === "timeout") {
      this.#reset(account.accountId);
      return { message: "Failed to get QR: Error: Timed out waiting for WhatsApp QR" };
    }
    if (first === "done" && !current.qr) {
      if (current.connected) {
        const self = await linkedIdentity(account.authDir);
        this.#reset(account.accountId);
        return {
          message: `WhatsApp recovered the existing linked session (${self.e164 ?? self.jid ?? "unknown"}).`,
          connected: true,
        };
      }
      this.#reset(account.accountId);
      return { message: current.error ? `WhatsApp login failed: ${current.error}` : "WhatsApp login failed." };
    }
    try {
      const qrDataUrl = current.qrDataUrl ?? await this.#deps.renderQr(current.qr ?? pending ?? "");
      current.qrDataUrl ??= qrDataUrl;
      return { qrDataUrl, message: "Scan this QR in WhatsApp → Linked Devices." };
    } catch (error) {
      this.#reset(account.accountId);
      return { message: `Failed to render the WhatsApp QR: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Waits for the login to end or its QR to change, up to `timeoutMs` (default 120 s). */
  async wait(
    accountId: string,
    options: { timeoutMs?: number | undefined; currentQrDataUrl?: string | undefined },
  ): Promise<WebLoginWaitResult> {
    const login = this.#active.get(accountId);
    if (!login) return { connected: false, message: "No active WhatsApp login in progress." };
    if (Date.now() - login.startedAt >= LOGIN_TTL_MS) {
      this.#reset(accountId);
      return { connected: false, message: "The login QR expired. Ask me to generate a new one." };
    }
    const deadline = Date.now() + Math.max(1000, options.timeoutMs ?? 120_000);
    while (true) {
      if (login.error) {
        const message = login.errorStatus === 401
          ? PAIRING_MESSAGES.loggedOutQr
          : `WhatsApp login failed: ${login.error}`;
        this.#reset(accountId);
        return { connected: false, message };
      }
      if (login.connected) {
        this.#reset(accountId);
        return { connected: true, message: "✅ Linked! WhatsApp is ready." };
      }
      if (login.qrDataUrl && options.currentQrDataUrl && login.qrDataUrl !== options.currentQrDataUrl) {
        return {
          connected: false,
          message: "QR refreshed. Scan the latest code in WhatsApp → Linked Devices.",
          qrDataUrl: login.qrDataUrl,
        };
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        return { connected: false, message: "Still waiting for the QR scan. Let me know when you’ve scanned it." };
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const outcome = await Promise.race([
        login.changed.then(() => "changed" as const),
        new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), remaining)),
      ]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        return { connected: false, message: "Still waiting for the QR scan. Let me know when you’ve scanned it." };
      }
    }
  }

  /** Ends every login (gateway stop) once the credential writes in flight have landed (bounded). */
  async stop(): Promise<void> {
    await Promise.all([...this.#active.keys()].map((accountId) => this.cancel(accountId)));
  }

  /** Ends an account's login, if one runs, once its credential writes in flight are done (they are being removed). */
  async cancel(accountId: string): Promise<void> {
    const socket = this.#active.get(accountId)?.socket;
    this.#reset(accountId);
    const flushed = socket?.flushed?.();
    if (flushed) await within(flushed, CREDS_FLUSH_TIMEOUT_MS);
  }

  /** Draws a new QR and wakes the waiters once it is drawn. */
  async #showQr(login: ActiveLogin, qr: string): Promise<void> {
    login.qr = qr;
    try {
      const url = await this.#deps.renderQr(qr);
      if (login.qr === qr) login.qrDataUrl = url;
    } catch (error) {
      this.#deps.log.warn(`whatsapp: drawing the QR failed: ${String(error)}`);
    }
    login.signal();
  }

  /** A wake-up for the login's waiters, re-armed each time. */
  #signaller(login: ActiveLogin, first: () => void): () => void {
    let resolve = first;
    return () => {
      const wake = resolve;
      const next = Promise.withResolvers<void>();
      login.changed = next.promise;
      resolve = next.resolve;
      wake();
    };
  }

  /** Forgets an account's login and closes its socket (once linked, the account opens its own on the saved credentials). */
  #reset(accountId: string): void {
    const login = this.#active.get(accountId);
    if (!login) return;
    this.#active.delete(accountId);
    login.socket.end(new Error("OpenClaw WhatsApp socket close"));
  }
}
