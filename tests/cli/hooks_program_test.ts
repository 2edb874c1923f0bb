// The `openclaw hooks` tree against the reference's recorded help (tests/fixtures/hooks_cli/help*.stdout):
// the same usage, description, arguments, options (with their defaults) and subcommands. The layout
// (the banner, commander's column widths and option order) is commander's and not compared.
import assert from "node:assert/strict";
import { Command } from "commander";
import { addHooksCommands } from "../../src/cli/hooks_program.ts";

const FIXTURES = new URL("../fixtures/hooks_cli/", import.meta.url).pathname;

interface HelpText {
  usage: string;
  description: string;
  sections: Record<string, Record<string, string>>;
}

/** Reads a commander help text: usage, description and each section's `term  text` rows (wrapped text joined). */
function parseHelp(text: string): HelpText {
  const lines = text.split("\n");
  const usage = lines.find((line) => line.startsWith("Usage: "))!.slice("Usage: ".length);
  const start = lines.findIndex((line) => line.startsWith("Usage: "));
  const description = lines[start + 2]!;
  const sections: HelpText["sections"] = {};
  let section: Record<string, string> | undefined;
  let last: string | undefined;
  for (const line of lines.slice(start + 3)) {
    const heading = /^(\w+):$/.exec(line);
    if (heading) {
      section = sections[heading[1]!] = {};
      continue;
    }
    if (!section || !line.startsWith("  ")) {
      if (!line.trim()) last = undefined;
      continue;
    }
    const row = /^ {2}(\S.*?)(?:\s{2,}(.*))?$/.exec(line);
    if (row && last === undefined || (row && !line.startsWith("   "))) {
      last = row![1]!;
      section[last] = row![2] ?? "";
    } else if (last !== undefined) {
      section[last] = `${section[last]} ${line.trim()}`.trim();
    }
  }
  return { usage, description, sections };
}

function ourHelp(command: Command, path: string): HelpText {
  const options: Record<string, string> = {};
  for (const option of command.options) {
    const fallback = option.defaultValue === undefined ? "" : ` (default: ${JSON.stringify(option.defaultValue)})`;
    options[option.flags] = `${option.description}${fallback}`;
  }
  const sections: HelpText["sections"] = { Options: options };
  if (command.registeredArguments.length > 0 && command.registeredArguments.some((arg) => arg.description)) {
    sections.Arguments = Object.fromEntries(command.registeredArguments.map((arg) => [arg.name(), arg.description]));
  }
  if (command.commands.length > 0) {
    sections.Commands = Object.fromEntries(command.commands.map((sub) => [sub.name(), sub.description()]));
  }
  return { usage: `${path} ${command.usage()}`, description: command.description(), sections };
}

function hooksCommand(): Command {
  const program = new Command("openclaw");
  addHooksCommands(program, () => {}, () => ({}));
  return program.commands.find((command) => command.name() === "hooks")!;
}

/** The reference's help without its own `-h, --help` row (commander's, worded differently). */
function withoutHelpRow(help: HelpText): HelpText {
  const { "-h, --help": _help, ...options } = help.sections.Options ?? {};
  return { ...help, sections: { ...help.sections, Options: options } };
}

Deno.test("openclaw hooks has the reference's subcommands, options and descriptions", () => {
  const hooks = hooksCommand();
  const reference = withoutHelpRow(parseHelp(Deno.readTextFileSync(`${FIXTURES}help.stdout`)));
  assert.deepEqual(ourHelp(hooks, "openclaw hooks"), reference);
});

for (const name of ["list", "info", "check", "enable", "disable", "install", "update"]) {
  Deno.test(`openclaw hooks ${name} has the reference's usage, arguments and options`, () => {
    const command = hooksCommand().commands.find((sub) => sub.name() === name)!;
    const reference = withoutHelpRow(parseHelp(Deno.readTextFileSync(`${FIXTURES}help_${name}.stdout`)));
    assert.deepEqual(ourHelp(command, `openclaw hooks ${name}`), reference);
  });
}

Deno.test("openclaw hooks help ends with the reference's docs link", () => {
  const hooks = hooksCommand();
  let text = "";
  hooks.configureOutput({ writeOut: (chunk) => (text += chunk) });
  hooks.outputHelp();
  const recorded = Deno.readTextFileSync(`${FIXTURES}help.stdout`);
  assert.ok(recorded.endsWith("\n\nDocs: https://docs.openclaw.ai/cli/hooks\n\n"));
  assert.ok(text.endsWith("\n\nDocs: https://docs.openclaw.ai/cli/hooks\n\n"), text);
});
