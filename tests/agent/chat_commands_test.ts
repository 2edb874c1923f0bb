import assert from "node:assert/strict";
import {
  commandsListResult,
  decideCommand,
  modelArgument,
  modelScope,
  parseChatCommand,
} from "../../src/agent/chat_commands.ts";

Deno.test("a command is the whole message: /name, any case, @bot or colon suffix, then its arguments", () => {
  assert.deepEqual(parseChatCommand("/new"), { key: "new", args: "" });
  assert.deepEqual(parseChatCommand("  /NEW  "), { key: "new", args: "" });
  assert.deepEqual(parseChatCommand("/stop@my_bot"), { key: "stop", args: "" });
  assert.deepEqual(parseChatCommand("/model: openai/gpt-5 -s"), { key: "model", args: "openai/gpt-5 -s" });
  assert.deepEqual(parseChatCommand("/reset soft keep going"), { key: "reset", args: "soft keep going" });
  assert.deepEqual(parseChatCommand("/thinking high"), { key: "think", args: "high" });
  assert.deepEqual(parseChatCommand("/t"), { key: "think", args: "" });
});

Deno.test("ordinary text, unknown commands and arguments to a command that takes none go to the model", () => {
  assert.equal(parseChatCommand("hello /new"), undefined);
  assert.equal(parseChatCommand("/unknown thing"), undefined);
  assert.equal(parseChatCommand("/stop the war"), undefined);
  assert.equal(parseChatCommand("/help me"), undefined);
  assert.equal(parseChatCommand("/"), undefined);
  assert.equal(parseChatCommand("/newer"), undefined);
});

Deno.test("owner rules: channel-authorized senders reset; Gateway clients need operator.admin to; -a/-g is owner-only", () => {
  const channel = { isOwner: false, authorized: true, gatewayClient: false };
  const owner = { isOwner: true, authorized: true, gatewayClient: true };
  const stranger = { isOwner: false, authorized: false, gatewayClient: false };
  const writer = { isOwner: false, authorized: true, gatewayClient: true };
  for (const key of ["new", "reset", "stop", "status", "help"] as const) {
    assert.deepEqual(decideCommand({ key, args: "" }, channel), { action: "run" });
    assert.deepEqual(decideCommand({ key, args: "" }, stranger), { action: "ignore" });
  }
  assert.deepEqual(decideCommand({ key: "model", args: "a/b" }, channel), { action: "run" });
  assert.deepEqual(decideCommand({ key: "model", args: "a/b -s" }, channel), { action: "run" });
  assert.equal(decideCommand({ key: "model", args: "a/b -a" }, channel).action, "refuse");
  assert.equal(decideCommand({ key: "model", args: "a/b --global" }, channel).action, "refuse");
  assert.deepEqual(decideCommand({ key: "model", args: "a/b -g" }, owner), { action: "run" });
  assert.equal(
    (decideCommand({ key: "model", args: "a/b -a" }, channel) as { reply: string }).reply,
    "Agent and global model defaults require owner authority or operator.admin scope.",
  );
  // A Gateway client without operator.admin may not reset; one with it may.
  assert.match(
    (decideCommand({ key: "new", args: "" }, writer) as { reply: string }).reply,
    /^⚠️ You are not authorized to reset this session\. Gateway resets require operator\.admin/,
  );
  assert.equal(decideCommand({ key: "reset", args: "" }, writer).action, "refuse");
  assert.deepEqual(decideCommand({ key: "stop", args: "" }, writer), { action: "run" });
  assert.deepEqual(decideCommand({ key: "new", args: "" }, owner), { action: "run" });
});

Deno.test("/model arguments: the scope flag and the model apart", () => {
  assert.equal(modelScope("openai/x"), "session");
  assert.equal(modelScope("-a openai/x"), "agent");
  assert.equal(modelScope("openai/x --global"), "global");
  assert.equal(modelArgument("-s openai/x"), "openai/x");
  assert.equal(modelArgument(""), "");
});

Deno.test("commands.list: the implemented commands in the reference's entry shape; args only when asked", () => {
  const { commands } = commandsListResult();
  // The reference's registry order.
  assert.deepEqual(commands.map((c) => c.name), [
    "help",
    "status",
    "approve",
    "whoami",
    "usage",
    "stop",
    "activation",
    "send",
    "reset",
    "new",
    "name",
    "compact",
    "think",
    "model",
    "models",
  ]);
  // A menu argument lists its values as the reference serializes them.
  assert.deepEqual(commands.find((c) => c.name === "send")!.args, [{
    name: "mode",
    description: "on, off, or inherit",
    type: "string",
    choices: [{ value: "on", label: "on" }, { value: "off", label: "off" }, { value: "inherit", label: "inherit" }],
  }]);
  assert.deepEqual(commands.find((c) => c.name === "whoami")!.textAliases, ["/whoami", "/id"]);
  assert.deepEqual(commands.find((c) => c.name === "compact")!.args, [{
    name: "instructions",
    description: "Extra compaction instructions",
    type: "string",
  }]);
  assert.deepEqual(commands[0], {
    name: "help",
    nativeName: "help",
    textAliases: ["/help"],
    description: "Show available commands.",
    category: "status",
    source: "native",
    scope: "both",
    acceptsArgs: false,
  });
  const model = commands.find((c) => c.name === "model")!;
  assert.deepEqual(model.args, [{
    name: "model",
    description: "Model id; add -s for session, -a for agent, or -g for global scope",
    type: "string",
  }]);
  assert.deepEqual(commands.find((c) => c.name === "models"), {
    name: "models",
    nativeName: "models",
    textAliases: ["/models"],
    description: "List model providers/models.",
    category: "options",
    source: "native",
    scope: "both",
    acceptsArgs: true,
  });
  assert.equal(commandsListResult({ includeArgs: false }).commands.some((c) => "args" in c), false);
});

Deno.test("parseChatCommand reads the reference's directive form `/think:<level>`", () => {
  assert.deepEqual(parseChatCommand("/think:high"), { key: "think", args: "high" });
  assert.deepEqual(parseChatCommand("/think: medium"), { key: "think", args: "medium" });
  assert.deepEqual(parseChatCommand("/think:"), { key: "think", args: "" });
  assert.deepEqual(parseChatCommand("/t:low"), { key: "think", args: "low" });
  assert.equal(parseChatCommand("/thinkhigh"), undefined);
});

Deno.test("/export-trajectory and /trajectory are owner-only commands, left out of commands.list", () => {
  assert.deepEqual(parseChatCommand("/export-trajectory bug-1"), { key: "export-trajectory", args: "bug-1" });
  assert.deepEqual(parseChatCommand("/trajectory"), { key: "export-trajectory", args: "" });
  const command = { key: "export-trajectory" as const, args: "" };
  assert.deepEqual(decideCommand(command, { isOwner: false, authorized: true, gatewayClient: false }), {
    action: "ignore",
  });
  assert.deepEqual(decideCommand(command, { isOwner: true, authorized: true, gatewayClient: true }), { action: "run" });
  assert.equal(commandsListResult().commands.some((c) => c.nativeName === "export-trajectory"), false);
});

Deno.test("/activation and /send take one word or none (else the text is ordinary); /whoami takes none", () => {
  assert.deepEqual(parseChatCommand("/activation always"), { key: "activation", args: "always" });
  assert.deepEqual(parseChatCommand("/activation"), { key: "activation", args: "" });
  assert.deepEqual(parseChatCommand("/send: OFF"), { key: "send", args: "OFF" });
  assert.equal(parseChatCommand("/send the report to bob"), undefined);
  assert.equal(parseChatCommand("/activation always please"), undefined);
  assert.equal(parseChatCommand("/send 1"), undefined);
  assert.deepEqual(parseChatCommand("/id"), { key: "whoami", args: "" });
  assert.equal(parseChatCommand("/whoami are you"), undefined);
  assert.deepEqual(parseChatCommand("/usage"), { key: "usage", args: "" });
  assert.deepEqual(parseChatCommand("/name Trip to Lisbon"), { key: "name", args: "Trip to Lisbon" });
});
