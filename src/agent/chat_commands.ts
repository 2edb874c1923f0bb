// Slash commands typed in a chat (a channel message or WebChat's `chat.send`): the table of the ones
// this gateway handles itself (never sent to the model), their parsing, who may run them, and their
// `commands.list` entries in the reference's shape. Pure: running them is chat_command_run.ts.

/** The commands this gateway handles, by the reference's keys. */
export type ChatCommandKey =
  | "help"
  | "status"
  | "stop"
  | "reset"
  | "new"
  | "model"
  | "models"
  | "think"
  | "compact"
  | "approve"
  | "export-trajectory"
  | "whoami"
  | "usage"
  | "activation"
  | "send"
  | "name";

interface CommandArg {
  name: string;
  description: string;
  type: "string";
  /** The values a client offers (its menu), as the reference lists them: `{value, label}` each. */
  choices?: { value: string; label: string }[];
}

interface CommandSpec {
  key: ChatCommandKey;
  description: string;
  category: "status" | "session" | "options" | "management";
  acceptsArgs: boolean;
  args?: CommandArg[];
  textAliases: string[];
  /** Listed by `commands.list`: false for a command whose feature this gateway lacks (it only answers "unavailable"). */
  listed: boolean;
  /**
   * Runs only for the gateway's owner. "quiet": anyone else's goes on as text (`/export-trajectory`: a bundle holds the
   * session's prompts and paths); "refuse": an authorized non-owner is told who may and how (`/activation`, `/send`).
   */
  ownerOnly: false | "quiet" | "refuse";
  /** What the arguments must look like for the message to be this command at all (else it is ordinary text). */
  argsPattern?: RegExp;
}

// The reference's descriptions, categories, aliases and arguments (its built-in registry), for the commands we
// implement, in its registry's order (`commands.list` keeps it).
const COMMANDS: readonly CommandSpec[] = [
  spec("help", "Show available commands.", "status", { acceptsArgs: false }),
  spec("status", "Show current status.", "status", { acceptsArgs: true }),
  spec("approve", "Approve or deny exec requests.", "management", { acceptsArgs: true }),
  // Answered with the CLI command that makes the bundle (chat_command_run.ts), so not listed.
  spec("export-trajectory", "Export a JSONL trajectory bundle for the active session.", "status", {
    acceptsArgs: true,
    args: [{ name: "path", description: "Output directory (default: workspace)", type: "string" }],
    textAliases: ["/export-trajectory", "/trajectory"],
    listed: false,
    ownerOnly: "quiet",
  }),
  spec("whoami", "Show your sender id.", "status", { acceptsArgs: false, textAliases: ["/whoami", "/id"] }),
  spec("usage", "Usage footer or cost summary.", "options", {
    acceptsArgs: true,
    args: [choiceArg("mode", "off, tokens, full, or cost", ["off", "tokens", "full", "cost"])],
  }),
  spec("stop", "Stop the current run.", "session", { acceptsArgs: false }),
  // `/activation` and `/send` take one word or none; anything longer is ordinary text, as the reference parses them.
  spec("activation", "Set group activation mode.", "management", {
    acceptsArgs: true,
    args: [choiceArg("mode", "mention or always", ["mention", "always"])],
    ownerOnly: "refuse",
    argsPattern: /^[a-zA-Z]*$/,
  }),
  spec("send", "Set send policy.", "management", {
    acceptsArgs: true,
    args: [choiceArg("mode", "on, off, or inherit", ["on", "off", "inherit"])],
    ownerOnly: "refuse",
    argsPattern: /^[a-zA-Z]*$/,
  }),
  spec("reset", "Reset the current session.", "session", { acceptsArgs: true }),
  spec("new", "Start a new session.", "session", { acceptsArgs: true }),
  spec("name", "Name or rename the current session.", "session", {
    acceptsArgs: true,
    args: [{ name: "title", description: "New session name (omit to see a suggestion)", type: "string" }],
  }),
  spec("compact", "Compact the session context.", "session", {
    acceptsArgs: true,
    args: [{ name: "instructions", description: "Extra compaction instructions", type: "string" }],
  }),
  spec("think", "Set thinking level.", "options", {
    acceptsArgs: true,
    args: [{ name: "level", description: "Thinking level", type: "string" }],
    textAliases: ["/think", "/thinking", "/t"],
  }),
  spec("model", "Show or set the model; use -s, -a, or -g to choose scope.", "options", {
    acceptsArgs: true,
    args: [{
      name: "model",
      description: "Model id; add -s for session, -a for agent, or -g for global scope",
      type: "string",
    }],
  }),
  spec("models", "List model providers/models.", "options", { acceptsArgs: true }),
];

/** An argument with a fixed menu of values, each its own label. */
function choiceArg(name: string, description: string, values: string[]): CommandArg {
  return { name, description, type: "string", choices: values.map((value) => ({ value, label: value })) };
}

function spec(
  key: ChatCommandKey,
  description: string,
  category: CommandSpec["category"],
  options: {
    acceptsArgs: boolean;
    args?: CommandArg[];
    listed?: boolean;
    textAliases?: string[];
    ownerOnly?: CommandSpec["ownerOnly"];
    argsPattern?: RegExp;
  },
): CommandSpec {
  return {
    key,
    description,
    category,
    acceptsArgs: options.acceptsArgs,
    ...(options.args ? { args: options.args } : {}),
    textAliases: options.textAliases ?? [`/${key}`],
    listed: options.listed ?? true,
    ownerOnly: options.ownerOnly ?? false,
    ...(options.argsPattern ? { argsPattern: options.argsPattern } : {}),
  };
}

/** A command found in a message. */
export interface ParsedCommand {
  key: ChatCommandKey;
  /** What follows the command word, trimmed ("" when nothing). */
  args: string;
}

/**
 * The command a message is, or undefined for a message the model should get. A command is the whole
 * message: `/name` (any case, optionally `/name@bot` as Telegram sends it in groups, or `/name:` as
 * the reference also accepts) followed by its arguments; unknown `/words` are ordinary text.
 */
export function parseChatCommand(text: string): ParsedCommand | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("/")) return undefined;
  // `/think high`, `/think:high` and `/think: high` alike, as the reference reads directives.
  const match = /^(\/[^\s:@]+)(?:@[^\s:]+)?(?::\s*|\s+|$)([\s\S]*)$/.exec(trimmed);
  if (!match) return undefined;
  const word = match[1]!.toLowerCase();
  const found = COMMANDS.find((command) => command.textAliases.includes(word));
  if (!found) return undefined;
  const args = (match[2] ?? "").trim();
  if (!found.acceptsArgs && args) return undefined;
  if (found.argsPattern && !found.argsPattern.test(args)) return undefined;
  return { key: found.key, args };
}

/** Who sent a command, as the owner rules read it. */
export interface CommandSender {
  /** The gateway's owner: an operator client (WebChat, Control UI) or the HTTP API. */
  isOwner: boolean;
  /** Admitted by the channel's allowlist or pairing (a channel message that reached us at all is). */
  authorized: boolean;
  /** A Gateway client (WebChat, Control UI, TUI) rather than a channel sender: its owner authority is `operator.admin`. */
  gatewayClient: boolean;
  /** Sent in a group chat (a channel's group or room), not a direct message: `/activation` is for groups only. */
  inGroup?: boolean | undefined;
  /**
   * How this sender could become an owner, for an owner-only command's refusal (command_access.ts's
   * `commandOwnerHint`); a Gateway client's is always to ask for operator.admin.
   */
  ownerHint?: (() => string) | undefined;
}

/** The reference's hint to a Gateway client without owner authority. */
export const GATEWAY_CLIENT_OWNER_HINT = "Ask the operator to grant this Gateway client operator.admin access.";

/** What the owner rules decide for one command. */
export type CommandDecision =
  | { action: "run" }
  /** Not for this sender: the message goes on as ordinary text, as the reference treats unauthorized commands. */
  | { action: "ignore" }
  | { action: "refuse"; reply: string };

/**
 * The reference's owner rules for the commands we implement: every one needs an authorized sender
 * (a channel's allowlist or pairing; a Gateway client always is). `/new` and `/reset` stay open to
 * every channel-authorized sender, but a Gateway client needs `operator.admin` to reset; `/model`
 * with `-a`/`-g` (agent or global default) needs owner authority; `/activation` answers only in a
 * group, and it and `/send` tell a non-owner how to become one.
 */
export function decideCommand(command: ParsedCommand, sender: CommandSender): CommandDecision {
  if (!sender.isOwner && !sender.authorized) return { action: "ignore" };
  const entry = COMMANDS.find((c) => c.key === command.key)!;
  // The reference checks the chat before the sender's authority.
  if (command.key === "activation" && !sender.inGroup) {
    return { action: "refuse", reply: "⚙️ Group activation only applies to group chats." };
  }
  if (entry.ownerOnly === "quiet" && !sender.isOwner) return { action: "ignore" };
  if (entry.ownerOnly === "refuse" && !sender.isOwner) {
    const hint = sender.gatewayClient
      ? GATEWAY_CLIENT_OWNER_HINT
      : sender.ownerHint?.() ?? "Ask the operator to set commands.ownerAllowFrom to your channel user id.";
    return { action: "refuse", reply: `You are not authorized to use this owner-only command. ${hint}` };
  }
  if ((command.key === "new" || command.key === "reset") && sender.gatewayClient && !sender.isOwner) {
    return {
      action: "refuse",
      reply:
        "⚠️ You are not authorized to reset this session. Gateway resets require operator.admin and command access. " +
        "Ask your administrator to reset it, or send your message without the command.",
    };
  }
  if (command.key === "model" && modelScope(command.args) !== "session" && !sender.isOwner) {
    return {
      action: "refuse",
      reply: "Agent and global model defaults require owner authority or operator.admin scope.",
    };
  }
  return { action: "run" };
}

/** The scope a `/model` argument string asks for (`-s` session, the default; `-a` agent; `-g` global). */
export function modelScope(args: string): "session" | "agent" | "global" {
  const words = args.split(/\s+/);
  if (words.some((w) => w === "-g" || w === "--global")) return "global";
  if (words.some((w) => w === "-a" || w === "--agent")) return "agent";
  return "session";
}

/** A `/model` argument string without its scope flags: the model asked for, "" to show the current one. */
export function modelArgument(args: string): string {
  const scopeFlags = new Set(["-s", "--session", "-a", "--agent", "-g", "--global"]);
  return args.split(/\s+/).filter((w) => w && !scopeFlags.has(w)).join(" ");
}

/** Filters of `commands.list` as the reference reads them. */
export interface CommandsListOptions {
  scope?: "text" | "native" | "both" | undefined;
  includeArgs?: boolean | undefined;
}

/** The `commands.list` answer: the commands this gateway runs, in the reference's entry shape and order. */
export function commandsListResult(options: CommandsListOptions = {}): { commands: Record<string, unknown>[] } {
  const includeArgs = options.includeArgs !== false;
  const textSurface = options.scope === "text";
  const commands = COMMANDS.filter((c) => c.listed).map((c) => ({
    name: textSurface ? c.textAliases[0]!.slice(1) : c.key,
    nativeName: c.key,
    textAliases: c.textAliases,
    description: c.description,
    category: c.category,
    source: "native",
    scope: "both",
    acceptsArgs: c.acceptsArgs,
    ...(includeArgs && c.acceptsArgs && c.args?.length ? { args: c.args } : {}),
  }));
  return { commands };
}

/** The `/help` text: the reference's layout, naming only the commands this gateway runs. */
export function helpText(): string {
  return [
    "ℹ️ Help",
    "",
    "Session",
    "  /new  |  /reset  |  /compact [instructions]  |  /stop",
    "",
    "Options",
    "  /think <level|default>  |  /model <id>",
    "",
    "Status",
    "  /status  |  /whoami",
  ].join("\n");
}
