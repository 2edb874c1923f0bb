// The Web API client an account uses, and what it asks of it besides sends: the live probe (`auth.test`) and senders'
// names (`users.info`), with the Web API's error codes read.
import { SocketModeClient } from "@slack/socket-mode";
import { WebClient } from "@slack/web-api";
import type { Logger } from "../../log/logger.ts";
import { messageOf } from "../errors.ts";
import type { ProbeResult } from "../types.ts";
import { libraryLogger } from "./library_logger.ts";
import type { SlackSettings } from "./settings.ts";

/** Web API errors that no retry can fix (the token is wrong or revoked, the workspace gone). */
export const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "user_removed_from_team",
  "team_disabled",
  "missing_scope",
]);

/** The Web API's error code (`invalid_auth`) of a failed call, if it carries one. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = error.data;
  return typeof data === "object" && data !== null && "error" in data && typeof data.error === "string"
    ? data.error
    : undefined;
}

/** The account's client: sends fail within seconds rather than the library's ten retries over half an hour. */
export function slackWebClient(settings: SlackSettings, log: Logger): WebClient {
  return new WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    logger: libraryLogger(log),
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
  });
}

/**
 * The account's Socket Mode client for one connection: the library's reconnect is off (the account reconnects with
 * its own backoff), and its Web API client retries apps.connections.open twice, not ten times over half an hour.
 */
export function slackSocketClient(settings: SlackSettings, log: Logger): SocketModeClient {
  return new SocketModeClient({
    appToken: settings.appToken ?? "",
    autoReconnectEnabled: false,
    // The reference's pong timeout.
    clientPingTimeout: 15_000,
    logger: libraryLogger(log),
    clientOptions: {
      slackApiUrl: settings.apiUrl,
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    },
  });
}

/** `auth.test` within the timeout, no retries, as the reference probes: who the token is, or why it fails. */
export async function probeSlack(settings: SlackSettings, log: Logger, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  const client = new WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    logger: libraryLogger(log),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
  try {
    const auth = await client.auth.test();
    return {
      ok: true,
      elapsedMs: elapsedMs(),
      details: {
        username: auth.user ?? "",
        ...(auth.user_id ? { userId: auth.user_id } : {}),
        ...(auth.team ? { team: auth.team } : {}),
      },
    };
  } catch (error) {
    return { ok: false, error: slackErrorCode(error) ?? messageOf(error), elapsedMs: elapsedMs() };
  }
}

/**
 * What kind a conversation is (`conversations.info`: `im`, `mpim`, `channel` or `group`, read as the reference reads
 * it), or undefined when Slack does not say (no scope, not a member, an error).
 */
export async function conversationType(web: WebClient, channel: string, log: Logger): Promise<string | undefined> {
  try {
    const info = (await web.conversations.info({ channel })).channel;
    return info?.is_im
      ? "im"
      : info?.is_mpim
      ? "mpim"
      : info?.is_channel
      ? "channel"
      : info?.is_group
      ? "group"
      : undefined;
  } catch (error) {
    log.debug(`slack: conversations.info ${channel} failed: ${messageOf(error)}`);
    return undefined;
  }
}

/** How many names are remembered before the memory starts over. */
const NAMES_KEPT = 1000;

/** Users' names as the reference shows them (display name, else real name, else handle), remembered. */
export class UserNames {
  #web: WebClient;
  #log: Logger;
  #names = new Map<string, string>();

  constructor(web: WebClient, log: Logger) {
    this.#web = web;
    this.#log = log;
  }

  /** The name of a user id (`users.info`); the id itself for a bot or when Slack does not say. */
  async of(userId: string): Promise<string> {
    const known = this.#names.get(userId);
    if (known) return known;
    if (!/^[UW]/.test(userId)) return userId;
    try {
      const info = await this.#web.users.info({ user: userId });
      const profile = info.user?.profile;
      const name = profile?.display_name || profile?.real_name || info.user?.name || userId;
      if (this.#names.size >= NAMES_KEPT) this.#names.clear();
      this.#names.set(userId, name);
      return name;
    } catch (error) {
      this.#log.debug(`slack: users.info ${userId} failed: ${messageOf(error)}`);
      return userId;
    }
  }
}
