// What the account reads from Discord's REST answers, checked rather than assumed: a proxy, a
// fake or an API change can answer anything, and a wrong shape must fail one request, not
// travel on as a typed value.

import type { APIChannel } from "discord-api-types/v10";
import { ChannelError } from "../errors.ts";

/** The bot user, as far as the account uses it. */
export interface BotUser {
  id: string;
  username: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const unexpected = (what: string) =>
  new ChannelError("unavailable", `Discord answered ${what} with an unexpected shape: check DISCORD_API_URL`);

/** The `id` of a created object (a message, a DM channel). */
export function idOf(value: unknown, what: string): string {
  if (isRecord(value) && typeof value.id === "string" && value.id) return value.id;
  throw unexpected(what);
}

/** `GET /users/@me`: the bot's id and username. */
export function botUserOf(value: unknown): BotUser {
  if (isRecord(value) && typeof value.id === "string" && value.id && typeof value.username === "string") {
    return { id: value.id, username: value.username };
  }
  throw unexpected("GET /users/@me");
}

/** `GET /channels/{id}`: a channel object (id and numeric type; the directory reads the rest field by field). */
export function isChannel(value: unknown): value is APIChannel {
  return isRecord(value) && typeof value.id === "string" && typeof value.type === "number";
}
