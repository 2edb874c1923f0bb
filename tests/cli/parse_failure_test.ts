// The reference OpenClaw's words for commander's parse failures (recorded from 2026.9.6).
import assert from "node:assert/strict";
import { parseFailureText, unknownCommandText } from "../../src/cli/parse_failure.ts";

const at = (path: string[], commandNames: string[] = []) => ({ path, commandNames });

Deno.test("commander's ordinary failures read as the reference words them, with its help hint", () => {
  assert.equal(
    parseFailureText("error: unknown option '--bogus'", at(["health"])),
    'OpenClaw does not recognize option "--bogus".\nTry: openclaw health --help\n',
  );
  assert.equal(
    parseFailureText("error: missing required argument 'path'", at(["config", "get"])),
    'Missing required argument "path".\nTry: openclaw config get --help\n',
  );
  assert.equal(
    parseFailureText(
      "error: too many arguments for 'get'. Expected 1 argument but got 3: a, b, c.",
      at(["config", "get"]),
    ),
    "Too many arguments for this command.\nTry: openclaw config get --help\n",
  );
  assert.equal(
    parseFailureText("error: required option '--node <id>' not specified", at(["nodes", "describe"])),
    'Missing required option "--node <id>".\nTry: openclaw nodes describe --help\n',
  );
  assert.equal(
    parseFailureText("error: option '--limit <count>' argument missing", at(["sessions"])),
    "OpenClaw could not parse this command: option '--limit <count>' argument missing\nTry: openclaw sessions --help\n",
  );
});

Deno.test("an unknown command gets the reference's nearest names (40 % of its length in edits, 3 at most)", () => {
  assert.equal(
    parseFailureText("error: unknown command 'helth'", at([], ["health", "help", "logs"])),
    'OpenClaw does not know the command "helth".\nDid you mean this?\n  openclaw health\n  openclaw help\nTry: openclaw --help\nDocs: https://docs.openclaw.ai/cli\n',
  );
  assert.equal(
    unknownCommandText("statu", at(["gateway"], ["stop", "status", "start", "install"])),
    'OpenClaw gateway has no command "statu".\nDid you mean this?\n  openclaw gateway status\n  openclaw gateway start\nTry: openclaw gateway --help\nDocs: https://docs.openclaw.ai/cli\n',
  );
  assert.equal(
    unknownCommandText("frob", at(["gateway"], ["status"])),
    'OpenClaw gateway has no command "frob".\nTry: openclaw gateway --help\nDocs: https://docs.openclaw.ai/cli\n',
  );
});
