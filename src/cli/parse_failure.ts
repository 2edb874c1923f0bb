// What the CLI prints when a command line does not parse: commander's message put in the reference
// OpenClaw's words (2026.9.6), with its "Did you mean this?" suggestions, help hint and docs link.
// Pure text; src/cli/openclaw_command.ts writes it.

import { levenshtein } from "../text/edit_distance.ts";
import { referenceOnlyLine } from "./reference_only_commands.ts";

/** The reference's docs link line, as it prints it off a terminal. */
const DOCS_LINE = "Docs: https://docs.openclaw.ai/cli";

/** At most this many "Did you mean this?" suggestions, as the reference shows. */
const MAX_SUGGESTIONS = 3;

/** The reference's words for each commander parse message it rewrites; others keep commander's text. */
const ORDINARY_MESSAGES: [RegExp, (name: string) => string][] = [
  [/^unknown option ['"`](.+?)['"`]/i, (name) => `OpenClaw does not recognize option "${name}".`],
  [/^missing required argument ['"`](.+?)['"`]/i, (name) => `Missing required argument "${name}".`],
  [/^required option ['"`](.+?)['"`] not specified/i, (name) => `Missing required option "${name}".`],
  [/^too many arguments\b/i, () => "Too many arguments for this command."],
];

/** Where a parse failure happened: the failing command's path below `openclaw` and its subcommands. */
export interface ParseFailurePlace {
  /** Command names from the root down, without `openclaw` (`["config", "get"]`). */
  path: string[];
  /** The names a mistyped subcommand may have meant (the failing command's subcommands). */
  commandNames: string[];
}

/** The text for commander's `message` (its `error: ` prefix dropped), lines ending in a newline. */
export function parseFailureText(message: string, place: ParseFailurePlace): string {
  const bare = message.trim().replace(/^error:\s*/i, "").trim();
  const unknown = bare.match(/^unknown command ['"`](.+?)['"`]/i);
  if (unknown) return unknownCommandText(unknown[1] ?? "", place);
  return lines(ordinaryMessage(bare), helpHint(place.path));
}

/** The reference's refusal of a word that names no subcommand of `place.path`. */
export function unknownCommandText(word: string, place: ParseFailurePlace): string {
  const path = place.path;
  const headline = path.length > 0
    ? `OpenClaw ${path.join(" ")} has no command "${word}".`
    : `OpenClaw does not know the command "${word}".`;
  // A reference command left out of this binary is named as such (the headline stays the reference's).
  const absent = path.length === 0 ? referenceOnlyLine(word) : undefined;
  return lines(headline, absent ?? suggestionLines(word, place), helpHint(path), DOCS_LINE);
}

function ordinaryMessage(bare: string): string {
  for (const [pattern, words] of ORDINARY_MESSAGES) {
    const found = bare.match(pattern);
    if (found) return words(found[1] ?? "");
  }
  return `OpenClaw could not parse this command: ${bare}`;
}

function helpHint(path: string[]): string {
  return `Try: ${["openclaw", ...path, "--help"].join(" ")}`;
}

function lines(...items: (string | undefined)[]): string {
  return `${items.filter((item) => item).join("\n")}\n`;
}

/** The reference's suggestions: names within 40 % of the word's length in edits, nearest first. */
function suggestionLines(word: string, place: ParseFailurePlace): string | undefined {
  const input = word.trim().toLowerCase();
  if (!input) return undefined;
  const maxDistance = Math.max(1, Math.floor(input.length * 0.4));
  const names = [...new Set(place.commandNames.filter(Boolean))].sort((a, b) => a.localeCompare(b));
  const near = names.map((name) => ({ name, distance: levenshtein(input, name) }))
    .filter(({ name, distance }) => name !== input && distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS);
  if (near.length === 0) return undefined;
  const prefix = ["openclaw", ...place.path].join(" ");
  return `Did you mean this?\n${near.map(({ name }) => `  ${prefix} ${name}`).join("\n")}`;
}
