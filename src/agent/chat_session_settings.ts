// What `/usage`, `/activation` and `/send` typed in a chat do to the session's own settings (the ones the
// reference TUI sets with `sessions.patch`), and the reference's reply to each. Pure: the caller applies the patch.
import type { SessionPatch, SessionRow } from "../sessions/session_row.ts";
import { effectiveResponseUsage, isSessionDefaultValue, usageDisplay } from "../sessions/session_settings.ts";
import type { ParsedCommand } from "./chat_commands.ts";

/** The commands that set one of the session's own settings. */
export type SettingCommand = ParsedCommand & { key: "usage" | "activation" | "send" };

/** A command's reply, and the settings to write first (none when it only answers). */
export interface SessionSettingChange {
  patch?: SessionPatch;
  reply: string;
}

/** The next footer a bare `/usage` turns to: off → tokens → full → off. */
const USAGE_CYCLE: Record<string, string> = { off: "tokens", tokens: "full", full: "off" };

/**
 * `/usage [off|tokens|full|reset]` (a bare one cycles the footer), `/activation mention|always` and
 * `/send on|off|inherit`, read and answered as the reference's command handlers do; `row` is the session as stored.
 */
export function sessionSettingChange(command: SettingCommand, row: SessionRow | undefined): SessionSettingChange {
  const args = command.args.trim();
  switch (command.key) {
    case "usage": {
      // The reference answers `/usage cost` with a price summary; this gateway keeps no prices (usage.cost's costs are 0).
      if (args.toLowerCase().startsWith("cost")) {
        return {
          reply:
            "⚙️ /usage cost is not available on this gateway; `openclaw gateway usage-cost` reports tokens by day.",
        };
      }
      const requested = args ? usageDisplay(args) : undefined;
      const reset = args ? isSessionDefaultValue(args) : false;
      if (args && !requested && !reset) return { reply: "⚙️ Usage: /usage off|tokens|full|reset|cost" };
      if (reset) return { patch: { responseUsage: undefined }, reply: "⚙️ Usage footer: reset to default." };
      const next = requested ?? USAGE_CYCLE[effectiveResponseUsage(row?.responseUsage)]!;
      return { patch: { responseUsage: next }, reply: `⚙️ Usage footer: ${next}.` };
    }
    case "activation": {
      const mode = args.toLowerCase();
      if (mode !== "mention" && mode !== "always") return { reply: "⚙️ Usage: /activation mention|always" };
      return { patch: { groupActivation: mode }, reply: `⚙️ Group activation set to ${mode}.` };
    }
    case "send": {
      const mode = sendMode(args);
      if (!mode) return { reply: "⚙️ Usage: /send on|off|inherit" };
      const label = mode === "inherit" ? "inherit" : mode === "allow" ? "on" : "off";
      return {
        patch: { sendPolicy: mode === "inherit" ? undefined : mode },
        reply: `⚙️ Send policy set to ${label}.`,
      };
    }
  }
}

/** The policy `/send`'s word names: on/allow, off/deny, or inherit/default/reset (the configured rules again). */
function sendMode(word: string): "allow" | "deny" | "inherit" | undefined {
  const key = word.toLowerCase();
  if (key === "inherit" || key === "default" || key === "reset") return "inherit";
  if (key === "allow" || key === "on") return "allow";
  if (key === "deny" || key === "off") return "deny";
  return undefined;
}
