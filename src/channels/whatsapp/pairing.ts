// Linking a device, as the reference follows it (`waitForWhatsAppLoginResult`): QR codes until the
// phone scans one; WhatsApp then closes the socket asking for a restart (515), the fresh socket opens
// with the saved credentials, and the device is linked. A timed-out socket (408) is replaced once; a
// logged-out one (401) has its stale credentials cleared and gets one fresh start.

import { within } from "../../async/within.ts";
import { messageOf } from "../errors.ts";
import { clearAuthDir, isLinked } from "./auth_dir.ts";
import { closeStatusOf, WA_CLOSE, type WaSocket, type WaSocketFactory, type WaSocketOptions } from "./socket.ts";

/** The longest a restart after pairing waits for the paired credentials to be written. */
const CREDS_SAVE_TIMEOUT_MS = 15_000;

/** How a pairing ended. */
export type PairingOutcome =
  | { outcome: "connected"; socket: WaSocket; restarted: boolean }
  | { outcome: "logged-out"; message: string; statusCode: 401 }
  | { outcome: "failed"; message: string; statusCode?: number | undefined };

/** The reference's words for the restarts and failures of a pairing. */
export const PAIRING_MESSAGES = {
  restart: "WhatsApp asked for a restart after pairing (code 515); waiting for creds to save…",
  timeoutRestart: "WhatsApp connection timed out before login; retrying with a fresh socket…",
  loggedOutRelink:
    "WhatsApp reported the session is logged out. Cleared cached web session; please rerun openclaw channels login and scan the QR again.",
  notPersisted: "WhatsApp connected, but the linked credentials were not found on disk. Retry login in a moment.",
  loggedOutQr: "WhatsApp reported the session is logged out. Cleared cached web session; please scan a new QR.",
} as const;

/** A socket whose first `open` or `close` is awaited; QR codes go to `onQr` as they come. */
export interface TrackedSocket {
  socket: WaSocket;
  settled: Promise<{ open: true } | { open: false; error: unknown }>;
}

/** Builds a socket and starts listening at once, so no early event is missed. */
export async function trackedSocket(
  factory: WaSocketFactory,
  options: WaSocketOptions,
  onQr: (qr: string) => void,
): Promise<TrackedSocket> {
  const socket = await factory(options);
  const settled = Promise.withResolvers<{ open: true } | { open: false; error: unknown }>();
  socket.ev.on("connection.update", (update) => {
    if (update.qr) onQr(update.qr);
    if (update.connection === "open") settled.resolve({ open: true });
    if (update.connection === "close") settled.resolve({ open: false, error: update.lastDisconnect?.error });
  });
  return { socket, settled: settled.promise };
}

/** A Baileys close as the reference words it: `status=<code> <message>`. */
export function formatCloseError(error: unknown): string {
  const code = closeStatusOf(error);
  const text = error === undefined ? "Connection closed" : messageOf(error);
  return code === undefined ? text : `status=${code} ${text}`;
}

/** Waits (briefly) for Baileys' queued credential save to reach the disk. */
async function credentialsSaved(authDir: string): Promise<boolean> {
  for (let tries = 0; tries < 50; tries++) {
    if (await isLinked(authDir)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Follows a pairing socket (and its replacements) until the device is linked, logged out, or it fails. */
export async function followPairing(params: {
  first: TrackedSocket;
  factory: WaSocketFactory;
  options: WaSocketOptions;
  /** Whether the auth directory is the managed default (logout may remove it whole). */
  managed: boolean;
  onQr: (qr: string) => void;
  onSocket?: (socket: WaSocket) => void;
  log?: (line: string) => void;
  /** Stops following (the login was replaced or cancelled). */
  cancelled?: () => boolean;
}): Promise<PairingOutcome> {
  let current = params.first;
  let postPairing = false;
  let timedOut = false;
  let loggedOut = false;
  const replaced = (): PairingOutcome => {
    // The socket followed now may be one built after the login was cancelled: nobody else closes it.
    current.socket.end(new Error("OpenClaw WhatsApp socket close"));
    return { outcome: "failed", message: "WhatsApp login was replaced by a newer request." };
  };
  const replace = async (): Promise<PairingOutcome | undefined> => {
    try {
      current = await trackedSocket(params.factory, params.options, params.onQr);
    } catch (error) {
      return { outcome: "failed", message: formatCloseError(error), statusCode: closeStatusOf(error) };
    }
    if (params.cancelled?.()) return replaced();
    params.onSocket?.(current.socket);
    return undefined;
  };
  while (true) {
    const event = await current.settled;
    if (params.cancelled?.()) return replaced();
    if (event.open) {
      if (!(await credentialsSaved(params.options.authDir))) {
        return { outcome: "failed", message: PAIRING_MESSAGES.notPersisted };
      }
      return { outcome: "connected", socket: current.socket, restarted: postPairing || timedOut || loggedOut };
    }
    const code = closeStatusOf(event.error);
    if ((code === WA_CLOSE.restartRequired && !postPairing) || (code === WA_CLOSE.timedOut && !timedOut)) {
      if (code === WA_CLOSE.restartRequired) postPairing = true;
      else timedOut = true;
      params.log?.(code === WA_CLOSE.restartRequired ? PAIRING_MESSAGES.restart : PAIRING_MESSAGES.timeoutRestart);
      // "Waiting for creds to save": the paired credentials (`me`) may still be on their way to disk, and a
      // socket built before they land reads the unpaired ones and registers again (a fresh QR, no link).
      const saving = code === WA_CLOSE.restartRequired ? current.socket.flushed?.() : undefined;
      if (saving) await within(saving, CREDS_SAVE_TIMEOUT_MS);
      const failure = await replace();
      if (failure) return failure;
      continue;
    }
    if (code === WA_CLOSE.loggedOut) {
      if (loggedOut) return { outcome: "logged-out", message: PAIRING_MESSAGES.loggedOutRelink, statusCode: 401 };
      current.socket.end(new Error("OpenClaw WhatsApp socket close"));
      await clearAuthDir(params.options.authDir, params.managed);
      loggedOut = true;
      const failure = await replace();
      if (failure) return failure;
      continue;
    }
    return { outcome: "failed", message: formatCloseError(event.error), statusCode: code };
  }
}
