// The table of reference commands this binary lacks, against the reference's recorded command list
// (tests/fixtures/reference_cli/top_level_commands.json) and our own command tree.
import assert from "node:assert/strict";
import { buildProgram } from "../../src/cli/main.ts";
import { REFERENCE_ONLY_COMMANDS } from "../../src/cli/reference_only_commands.ts";
import { unknownCommandText } from "../../src/cli/parse_failure.ts";

const RECORDED: { commands: string[] } = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/reference_cli/top_level_commands.json", import.meta.url)),
);

function ourCommands(): Set<string> {
  const program = buildProgram(() => {});
  return new Set(program.commands.flatMap((command) => [command.name(), ...command.aliases()]).concat("help"));
}

Deno.test("every reference top-level command is served here or named as absent, never both", () => {
  const ours = ourCommands();
  const absent = Object.keys(REFERENCE_ONLY_COMMANDS);
  assert.deepEqual(absent.filter((name) => ours.has(name)), [], "served and also listed as absent");
  assert.deepEqual(RECORDED.commands.filter((name) => !ours.has(name) && !absent.includes(name)), []);
  assert.deepEqual(absent.filter((name) => !RECORDED.commands.includes(name)), [], "not a reference command");
});

Deno.test("an absent reference command keeps the reference's headline and says what it is", () => {
  const place = { path: [], commandNames: ["health", "help"] };
  assert.equal(
    unknownCommandText("plugins", place),
    'OpenClaw does not know the command "plugins".\n"openclaw plugins" is an OpenClaw command this gateway does not include.\nTry: openclaw --help\nDocs: https://docs.openclaw.ai/cli\n',
  );
  assert.match(
    unknownCommandText("tui", place),
    /^OpenClaw does not know the command "tui"\.\n"openclaw tui" is a client in the OpenClaw package/,
  );
  // Below the root the words are a subcommand's, never this table's.
  assert.equal(
    unknownCommandText("tui", { path: ["gateway"], commandNames: ["status"] }),
    'OpenClaw gateway has no command "tui".\nTry: openclaw gateway --help\nDocs: https://docs.openclaw.ai/cli\n',
  );
  // A word the table does not hold (`constructor`) is an ordinary unknown command.
  assert.equal(
    unknownCommandText("constructor", place),
    'OpenClaw does not know the command "constructor".\nTry: openclaw --help\nDocs: https://docs.openclaw.ai/cli\n',
  );
});
