import assert from "node:assert/strict";
import { Command } from "commander";
import { addNodesCommands } from "../../src/cli/nodes_program.ts";

function nodesProgram(): Command {
  const program = new Command("openclaw");
  addNodesCommands(program, () => {}, () => ({}));
  return program.commands.find((c) => c.name() === "nodes")!;
}

Deno.test("nodes commands take the reference's connection flags only (--url, --token, --timeout, --json)", () => {
  const nodes = nodesProgram();
  const leaves = nodes.commands.flatMap((c) => c.commands.length > 0 ? c.commands : [c]);
  assert.equal(leaves.length, 11);
  for (const command of leaves) {
    const flags = command.options.map((o) => o.long);
    for (const flag of ["--url", "--token", "--timeout", "--json"]) {
      assert.ok(flags.includes(flag), `${command.name()} ${flag}`);
    }
    assert.ok(!flags.includes("--password"), `${command.name()} takes --password`);
    assert.ok(!flags.includes("--port"), `${command.name()} takes --port`);
  }
  const list = nodes.commands.find((c) => c.name() === "list")!;
  const help = Object.fromEntries(list.options.map((o) => [o.long, o.description]));
  assert.equal(help["--url"], "Gateway WebSocket URL (defaults to gateway.remote.url when configured)");
  assert.equal(help["--token"], "Gateway token (if required)");
  assert.equal(help["--timeout"], "Timeout in ms");
  assert.equal(help["--json"], "Output JSON");
});
