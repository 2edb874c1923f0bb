import assert from "node:assert/strict";
import { type Command, CommanderError } from "commander";
import { parseGatewayRun } from "../../src/cli/gateway_fast_path.ts";
import { buildProgram, type GatewayRunOptions, type GlobalOptions } from "../../src/cli/main.ts";

type Outcome = { options: GlobalOptions & GatewayRunOptions } | { error: string };

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

/** What commander makes of a `gateway` command line: the options `gateway run`'s action starts with, or its error code. */
function commanderParse(argv: string[]): Outcome {
  let started: (GlobalOptions & GatewayRunOptions) | undefined;
  const tasks: (() => Promise<number>)[] = [];
  const program = buildProgram((task) => tasks.push(task), (options) => {
    started = options;
    return Promise.resolve(0);
  });
  // Set on every command: commander copies these settings only into commands made after them.
  for (const command of everyCommand(program)) {
    command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  }
  try {
    program.parse(argv[0] === "--" ? argv.slice(1) : argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return { error: error.code };
    throw error;
  }
  assert.equal(tasks.length, 1, `one action ran for ${argv.join(" ")}`);
  void tasks[0]!();
  assert.ok(started, `${argv.join(" ")} started the gateway`);
  return { options: started };
}

/** Command lines the fast path takes: commander must give the very same options. */
const TAKEN: string[][] = [
  ["gateway"],
  ["gateway", "run"],
  ["--", "gateway", "run"],
  ["gateway", "run", "--port", "18789"],
  ["gateway", "run", "--port=0"],
  ["gateway", "run", "--port="],
  ["gateway", "run", "--port", "1", "--port", "2"],
  ["gateway", "run", "--force", "--force"],
  ["gateway", "--port", "1", "--verbose"],
  ["gateway", "run", "--allow-unconfigured", "--port", "41000", "--bind", "loopback"],
  ["gateway", "run", "--bind=lan", "--auth", "token", "--token", "s3cret=with=equals"],
  ["gateway", "run", "--auth", "password", "--password", "p", "--password-file", "/tmp/pw"],
  ["gateway", "run", "--password-file=/tmp/x", "--force", "--verbose", "--allow-unconfigured"],
  ["--dev", "gateway", "run"],
  ["--profile", "work", "gateway", "run", "--port", "1"],
  ["--profile=work", "--log-level", "debug", "gateway"],
  ["--log-level=trace", "--dev", "--profile", "a b", "gateway", "run", "--token", ""],
  ["gateway", "run", "--token", "x", "--password=", "--bind", "custom"],
];

/** Command lines commander refuses: the fast path must leave them to commander, which gives its error. */
const REFUSED: [string[], string][] = [
  [["gateway", "run", "--nope"], "commander.unknownOption"],
  [["gateway", "run", "--port"], "commander.optionMissingArgument"],
  [["gateway", "--token"], "commander.optionMissingArgument"],
  [["gateway", "run", "extra"], "commander.excessArguments"],
  [["gateway", "run", "--force=yes"], "commander.unknownOption"],
  [["--nope", "gateway", "run"], "commander.unknownOption"],
  [["--profile"], "commander.optionMissingArgument"],
  // The reference's `gateway run` flags this gateway does not have: commander's refusal stands, as before.
  [["gateway", "run", "--dev"], "commander.unknownOption"],
  [["gateway", "run", "--tailscale", "serve"], "commander.unknownOption"],
  [["gateway", "run", "--reset"], "commander.unknownOption"],
  [["gateway", "run", "--ws-log", "compact"], "commander.unknownOption"],
  [["gateway", "run", "--compact"], "commander.unknownOption"],
  [["gateway", "run", "--raw-stream"], "commander.unknownOption"],
  [["gateway", "run", "--cli-backend-logs"], "commander.unknownOption"],
  [["gateway", "run", "--ambient-channels"], "commander.unknownOption"],
  [["gateway", "run", "--help"], "commander.helpDisplayed"],
  [["gateway", "--help"], "commander.helpDisplayed"],
  [["--version", "gateway"], "commander.version"],
  [["-V"], "commander.version"],
];

/** Command lines commander runs but the fast path leaves to it (unusual forms, other commands). */
const LEFT: string[][] = [
  ["gateway", "run", "--port", "-5"],
  ["gateway", "--port", "1", "run"],
  ["gateway", "status"],
  ["gateway", "health", "--json"],
  ["status"],
  ["health", "--json"],
  ["logs", "--follow"],
  ["channels", "list"],
  [],
  ["--dev"],
  ["run"],
];

Deno.test("gateway fast path: every command line it takes gives exactly commander's options", () => {
  for (const argv of TAKEN) {
    const fast = parseGatewayRun(argv);
    assert.ok(fast, `the fast path takes ${JSON.stringify(argv)}`);
    assert.deepEqual({ options: fast }, commanderParse(argv), JSON.stringify(argv));
  }
});

Deno.test("gateway fast path: what commander refuses goes to commander, which gives its own error", () => {
  for (const [argv, code] of REFUSED) {
    assert.equal(parseGatewayRun(argv), undefined, JSON.stringify(argv));
    assert.deepEqual(commanderParse(argv), { error: code }, JSON.stringify(argv));
  }
});

Deno.test("gateway fast path: unusual forms and every other command go to commander", () => {
  for (const argv of LEFT) assert.equal(parseGatewayRun(argv), undefined, JSON.stringify(argv));
  // commander's reading of the two unusual `gateway` forms, which the fast path does not try to copy.
  assert.deepEqual(commanderParse(["gateway", "run", "--port", "-5"]), { options: { port: "-5" } });
  assert.deepEqual(commanderParse(["gateway", "--port", "1", "run"]), { options: {} });
});

Deno.test("gateway fast path: each of commander's gateway options is known to it", () => {
  const program = buildProgram(() => {});
  const gateway = program.commands.find((command) => command.name() === "gateway")!;
  const run = gateway.commands.find((command) => command.name() === "run")!;
  for (const command of [program, gateway, run]) {
    for (const option of command.options) {
      if (option.long === "--version") continue;
      const argv = command === program
        ? [option.long!, ...(option.required ? ["v"] : []), "gateway"]
        : ["gateway", ...(command === run ? ["run"] : []), option.long!, ...(option.required ? ["v"] : [])];
      assert.ok(parseGatewayRun(argv), `the fast path knows ${option.long}`);
      assert.deepEqual({ options: parseGatewayRun(argv) }, commanderParse(argv), JSON.stringify(argv));
    }
  }
});
