import assert from "node:assert/strict";
import { type Command, CommanderError } from "commander";
import { FAST_COMMANDS, type FastRpcCommand, parseRpcCommand } from "../../src/cli/rpc_fast_path.ts";
import { buildProgram } from "../../src/cli/main.ts";
import { prng } from "../support/prng.ts";

type Outcome = { parsed: FastRpcCommand } | { error: string } | { other: string };

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

function wordsOf(command: Command): string[] {
  const words: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) words.unshift(at.name());
  return words;
}

/**
 * What commander makes of a command line: the command whose action runs, its operands and the
 * options that action passes on (`{ ...program.opts(), ...command.opts() }`, as every action in
 * src/cli/main.ts merges them), or commander's error code.
 */
function commanderParse(argv: string[]): Outcome {
  const tasks: (() => Promise<number>)[] = [];
  const program = buildProgram((task) => tasks.push(task), () => Promise.resolve(0));
  let ran: { command: Command; operands: string[] } | undefined;
  program.hook("preAction", (_program, command) => {
    ran = { command, operands: command.processedArgs.filter((arg) => arg !== undefined) };
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
  if (!ran) return { other: "no action" };
  const name = wordsOf(ran.command).join(" ");
  if (!Object.hasOwn(FAST_COMMANDS, name)) return { other: name };
  assert.equal(tasks.length, 1, `one action ran for ${argv.join(" ")}`);
  return {
    parsed: {
      command: name as keyof typeof FAST_COMMANDS,
      operands: ran.operands,
      options: { ...program.opts(), ...ran.command.opts() },
    },
  };
}

/** Command lines the fast path takes: commander must give the very same command, operands and options. */
const TAKEN: string[][] = [
  ["health"],
  ["health", "--json"],
  ["--", "health", "--json"],
  ["health", "--port", "18789", "--json"],
  ["health", "--url=ws://127.0.0.1:1", "--token", "t", "--password", "p", "--timeout", "5"],
  ["health", "--timeout=", "--json", "--json"],
  ["health", "--port", "1", "--port", "2"],
  ["--dev", "health"],
  ["--profile", "work", "--log-level=debug", "health", "--json"],
  ["status"],
  ["status", "--deep", "--json", "--token=a=b"],
  ["gateway", "health", "--json"],
  ["gateway", "probe"],
  ["gateway", "probe", "--timeout", "100", "--url", "ws://x"],
  ["gateway", "call", "health"],
  ["gateway", "call", "--json", "status", "--params", '{"a":1}'],
  ["gateway", "call", "sessions.list", "--params={}", "--timeout", "1"],
  ["gateway", "status"],
  ["gateway", "status", "--no-probe"],
  ["gateway", "status", "--deep", "--require-rpc", "--no-probe", "--json"],
  ["--dev", "gateway", "status", "--port", "19001"],
];

/** Command lines commander refuses: the fast path must leave them to commander, which gives its error. */
const REFUSED: [string[], string][] = [
  [["health", "--nope"], "commander.unknownOption"],
  [["health", "--port"], "commander.optionMissingArgument"],
  [["health", "extra"], "commander.excessArguments"],
  [["health", "--json=yes"], "commander.unknownOption"],
  [["health", "--deep"], "commander.unknownOption"],
  [["health", "--help"], "commander.helpDisplayed"],
  [["health", "-h"], "commander.helpDisplayed"],
  [["status", "--no-probe"], "commander.unknownOption"],
  [["gateway", "call"], "commander.missingArgument"],
  [["gateway", "call", "a", "b"], "commander.excessArguments"],
  [["gateway", "probe", "x"], "commander.excessArguments"],
  [["--nope", "health"], "commander.unknownOption"],
  [["health", "--dev"], "commander.unknownOption"],
];

/** Command lines commander runs but the fast path leaves to it (unusual forms, other commands). */
const LEFT: string[][] = [
  ["health", "--port", "-5"],
  ["gateway", "--port", "1", "health"],
  ["gateway", "call", "--", "x"],
  ["gateway", "call", "-"],
  ["gateway", "run"],
  ["logs", "--follow"],
  ["channels", "status"],
  [],
  ["--dev"],
];

Deno.test("rpc fast path: every command line it takes gives exactly commander's command, operands and options", () => {
  for (const argv of TAKEN) {
    const fast = parseRpcCommand(argv);
    assert.ok(fast, `the fast path takes ${JSON.stringify(argv)}`);
    assert.deepEqual({ parsed: fast }, commanderParse(argv), JSON.stringify(argv));
  }
});

Deno.test("rpc fast path: what commander refuses goes to commander, which gives its own error", () => {
  for (const [argv, code] of REFUSED) {
    assert.equal(parseRpcCommand(argv), undefined, JSON.stringify(argv));
    assert.deepEqual(commanderParse(argv), { error: code }, JSON.stringify(argv));
  }
});

Deno.test("rpc fast path: unusual forms and every other command go to commander", () => {
  for (const argv of LEFT) assert.equal(parseRpcCommand(argv), undefined, JSON.stringify(argv));
});

Deno.test("rpc fast path: each command's options in commander are known to it, with commander's defaults", () => {
  const program = buildProgram(() => {});
  for (const [name, spec] of Object.entries(FAST_COMMANDS)) {
    let command: Command = program;
    for (const word of spec.words) command = command.commands.find((sub) => sub.name() === word)!;
    assert.ok(command, name);
    const operands = "operands" in spec && spec.operands === 1 ? ["m"] : [];
    for (const option of command.options) {
      if (option.long === "--help") continue;
      const argv = [...spec.words, ...operands, option.long!, ...(option.required ? ["v"] : [])];
      assert.ok(parseRpcCommand(argv), `the fast path knows ${name} ${option.long}`);
      assert.deepEqual({ parsed: parseRpcCommand(argv) }, commanderParse(argv), JSON.stringify(argv));
    }
  }
});

const WORDS = [
  "health",
  "status",
  "gateway",
  "call",
  "probe",
  "run",
  "logs",
  "channels",
  "system",
  "--",
  "-",
  "x",
  "",
  "a=b",
  "--json",
  "--json=1",
  "--url",
  "--url=ws://h:1",
  "--port",
  "--port=",
  "--port=5",
  "--token",
  "--token=-",
  "--password",
  "--timeout",
  "--timeout=9",
  "--deep",
  "--no-probe",
  "--probe",
  "--require-rpc",
  "--params",
  "--params={}",
  "--dev",
  "--profile",
  "--profile=p",
  "--log-level",
  "--log-level=info",
  "--help",
  "-h",
  "-V",
  "--version",
  "--force",
  "-5",
  "--nope",
  "--bind",
  "--verbose",
];

Deno.test("rpc fast path: 30,000 fuzzed command lines: taken ones parse exactly as commander parses them", () => {
  const next = prng(23);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)]!;
  let taken = 0;
  for (let round = 0; round < 30_000; round++) {
    const argv: string[] = [];
    if (next() < 0.3) argv.push(pick());
    const name = Object.keys(FAST_COMMANDS)[Math.floor(next() * 6)]!;
    argv.push(...name.split(" "));
    const extra = Math.floor(next() * 5);
    for (let i = 0; i < extra; i++) argv.push(pick());
    const fast = parseRpcCommand(argv);
    if (!fast) continue;
    taken++;
    assert.deepEqual({ parsed: fast }, commanderParse(argv), `round ${round}: ${JSON.stringify(argv)}`);
  }
  // The fuzz must exercise the fast path, not only its refusals.
  assert.ok(taken > 3_000, `${taken} taken`);
});
