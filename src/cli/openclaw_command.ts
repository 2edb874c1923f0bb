// The command class of the `openclaw` tree: commander's, with its parse failures told in the
// reference OpenClaw's words (src/cli/parse_failure.ts) on stderr, and, where the reference's stdout
// is machine output (`--json`, or a command that prints JSON unasked), its failure envelope on stdout.

import { Command, type ErrorOptions } from "commander";
import { printError, printJson } from "./output.ts";
import { parseFailureText, unknownCommandText } from "./parse_failure.ts";

/** Commands whose stdout is JSON even without `--json` (recorded from the reference 2026.9.6). */
const JSON_BY_DEFAULT = new Set([
  "config get",
  "config file",
  "config schema",
  ...["status", "add", "create", "rm", "remove", "delete", "enable", "disable", "get", "runs", "run", "edit", "scratch"]
    .map((name) => `cron ${name}`),
  "devices rotate",
  "devices revoke",
  "nodes invoke",
  "nodes approve",
  "nodes reject",
  "system heartbeat enable",
  "system heartbeat disable",
  "system heartbeat last",
  "system presence",
]);

/** A command of the `openclaw` tree; its subcommands are of this class too. */
export class OpenclawCommand extends Command {
  /** The command line being parsed (set on the root), read for `--json` when a parse fails. */
  commandLine: readonly string[] = [];

  /** Subcommands made by `.command()` share this class, so every level reports failures alike. */
  override createCommand(name?: string): Command {
    return new OpenclawCommand(name);
  }

  /** Prints the failure in the reference's words, then lets commander end the parse. */
  override error(message: string, options?: ErrorOptions): never {
    reportParseFailure(this, message, options?.code);
    return super.error(message, options);
  }
}

function reportParseFailure(command: Command, message: string, code: string | undefined): void {
  const path = commandPath(command);
  const place = { path, commandNames: command.commands.map((sub) => sub.name()) };
  // A word after a command that has subcommands and runs bare (`gateway frob`) is an unknown
  // command to the reference, not an excess argument.
  const word = command.args[command.registeredArguments.length];
  const text = code === "commander.excessArguments" && command.commands.length > 0 && word !== undefined
    ? unknownCommandText(word, place)
    : parseFailureText(message, place);
  printError(text.trimEnd());
  if (isMachineOutput(command, path)) {
    printJson({ ok: false, error: { type: "cli_error", message: text.trimEnd() } });
  }
}

function commandPath(command: Command): string[] {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) names.unshift(current.name());
  return names;
}

/** Whether the reference's stdout is machine output here: a `--json` flag on the command line, or JSON by default. */
function isMachineOutput(command: Command, path: string[]): boolean {
  if (JSON_BY_DEFAULT.has(path.join(" "))) return true;
  let root = command;
  while (root.parent) root = root.parent;
  const args = root instanceof OpenclawCommand ? root.commandLine : [];
  const end = args.indexOf("--");
  const before = end === -1 ? args : args.slice(0, end);
  if (!before.includes("--json")) return false;
  const options: { long?: string; short?: string; required: boolean }[] = [];
  for (let current: Command | null = command; current; current = current.parent) {
    if (current.options.some((option) => option.long === "--json")) return true;
    options.push(...current.options);
  }
  // The reference also owns stdout when `--json` is on a command that lacks it (`secrets store set … --json`),
  // unless the word is the value of an option that takes one.
  return before.some((arg, index) => {
    if (arg !== "--json") return false;
    const previous = before[index - 1];
    return !options.some((option) => option.required && (option.long === previous || option.short === previous));
  });
}

/**
 * Refuses a word that names none of `command`'s subcommands, for a family whose bare form runs an
 * action (so commander never sees the word as unknown): the reference's words and suggestions, exit 1.
 */
export function refuseUnknownSubcommand(command: Command, word: string): number {
  const place = { path: commandPath(command), commandNames: command.commands.map((sub) => sub.name()) };
  printError(unknownCommandText(word, place).trimEnd());
  return 1;
}
