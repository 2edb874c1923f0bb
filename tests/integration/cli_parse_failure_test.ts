// A command line that does not parse is refused in the reference OpenClaw's words (2026.9.6), run as
// the binary runs: its message and help hint on stderr, exit 1, and its JSON failure envelope on
// stdout where stdout is machine output (`--json`, or a command that prints JSON unasked).
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { ensureFreshBundle, runOpenclaw, tempHome } from "../support/spawn_gateway.ts";

const envelope = (message: string) => JSON.stringify({ ok: false, error: { type: "cli_error", message } }, null, 2);

/** Recorded from the reference CLI 2026.9.6: arguments, then its stdout and stderr (exit 1 each). */
const RECORDED: [string[], string, string][] = [
  [["health", "--bogus"], "", 'OpenClaw does not recognize option "--bogus".\nTry: openclaw health --help'],
  [["health", "extra"], "", "Too many arguments for this command.\nTry: openclaw health --help"],
  [
    ["health", "--json", "--bogus"],
    envelope('OpenClaw does not recognize option "--bogus".\nTry: openclaw health --help'),
    'OpenClaw does not recognize option "--bogus".\nTry: openclaw health --help',
  ],
  [
    ["config", "get"],
    envelope('Missing required argument "path".\nTry: openclaw config get --help'),
    'Missing required argument "path".\nTry: openclaw config get --help',
  ],
  [
    ["cron", "add", "--bogus"],
    envelope('OpenClaw does not recognize option "--bogus".\nTry: openclaw cron add --help'),
    'OpenClaw does not recognize option "--bogus".\nTry: openclaw cron add --help',
  ],
  [["cron", "list", "--limit"], "", 'OpenClaw does not recognize option "--limit".\nTry: openclaw cron list --help'],
  [
    ["sessions", "--limit"],
    "",
    "OpenClaw could not parse this command: option '--limit <count>' argument missing\nTry: openclaw sessions --help",
  ],
  [
    ["helth"],
    "",
    'OpenClaw does not know the command "helth".\nDid you mean this?\n  openclaw health\nTry: openclaw --help\nDocs: https://docs.openclaw.ai/cli',
  ],
  [
    ["config", "gett", "x"],
    "",
    'OpenClaw config has no command "gett".\nDid you mean this?\n  openclaw config get\nTry: openclaw config --help\nDocs: https://docs.openclaw.ai/cli',
  ],
  [
    ["models", "lst"],
    "",
    'OpenClaw models has no command "lst".\nDid you mean this?\n  openclaw models list\nTry: openclaw models --help\nDocs: https://docs.openclaw.ai/cli',
  ],
  [
    ["agents", "lst"],
    "",
    'OpenClaw agents has no command "lst".\nDid you mean this?\n  openclaw agents list\nTry: openclaw agents --help\nDocs: https://docs.openclaw.ai/cli',
  ],
  [
    ["sessions", "lst"],
    "",
    'OpenClaw sessions has no command "lst".\nDid you mean this?\n  openclaw sessions list\nTry: openclaw sessions --help\nDocs: https://docs.openclaw.ai/cli',
  ],
  [
    ["tui"],
    "",
    'OpenClaw does not know the command "tui".\n"openclaw tui" is a client in the OpenClaw package, not in this gateway\'s binary; OpenClaw\'s own CLI runs it against this gateway (openclaw dashboard opens the built-in Control UI).\nTry: openclaw --help\nDocs: https://docs.openclaw.ai/cli',
  ],
  [
    ["gateway", "frob"],
    "",
    'OpenClaw gateway has no command "frob".\nTry: openclaw gateway --help\nDocs: https://docs.openclaw.ai/cli',
  ],
];

Deno.test("parse failures print the reference's recorded words, envelope where stdout is machine output", async () => {
  ensureFreshBundle();
  const home = await tempHome();
  try {
    for (const [args, stdout, stderr] of RECORDED) {
      assert.deepEqual(await runOpenclaw(args, { home: home.home }), { code: 1, stdout, stderr }, args.join(" "));
    }
    // Nothing was written for a refused command line.
    assert.deepEqual(await Array.fromAsync(Deno.readDir(home.home)), []);
  } finally {
    await home.cleanup();
  }
});

Deno.test("the reference CLI and ours refuse a mistyped subcommand alike, suggestions included", async () => {
  ensureFreshBundle();
  const home = await tempHome();
  try {
    const args = ["gateway", "statu"];
    const theirs = await runPeer(args, home);
    const ours = await runOpenclaw(args, { home: home.home });
    assert.deepEqual(ours, { code: theirs.code, stdout: theirs.stdout.trimEnd(), stderr: theirs.stderr.trimEnd() });
  } finally {
    await home.cleanup();
  }
});
