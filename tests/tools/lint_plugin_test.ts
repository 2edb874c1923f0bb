import assert from "node:assert/strict";
import plugin, { importViolation } from "../../tools/lint_plugin.ts";

Deno.test("importViolation() allows imports down the layer table", () => {
  assert.equal(importViolation("/r/src/server/gateway.ts", "../protocol/hub.ts"), undefined);
  assert.equal(importViolation("/r/src/config/load.ts", "./errors.ts"), undefined);
  assert.equal(importViolation("/r/src/cli/main.ts", "npm:commander"), undefined);
});

Deno.test("importViolation() refuses protocol → http, config → server and anything → cli", () => {
  assert.match(importViolation("/r/src/protocol/hub.ts", "../http/app.ts")!, /src\/protocol may not import src\/http/);
  assert.match(importViolation("/r/src/config/load.ts", "../server/guards.ts")!, /may not import src\/server/);
  assert.match(importViolation("/r/src/server/gateway.ts", "../cli/output.ts")!, /nothing imports cli/);
});

Deno.test("importViolation() keeps _files private to their folder", () => {
  assert.equal(importViolation("/r/src/http/app.ts", "./_shared.ts"), undefined);
  assert.match(importViolation("/r/src/server/gateway.ts", "../http/_shared.ts")!, /private to its folder/);
});

Deno.test("layer-imports reports a forbidden import through Deno.lint.runPlugin", () => {
  const diagnostics = Deno.lint.runPlugin(plugin, "/r/src/protocol/x.ts", `import { a } from "../http/app.ts";\n`);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.id, "house/layer-imports");
});

Deno.test("console-only-in-output flags console use elsewhere in src/", () => {
  const bad = Deno.lint.runPlugin(plugin, "/r/src/server/x.ts", `console.log("hi");\n`);
  assert.ok(bad.some((d) => d.id === "house/console-only-in-output"));
  const ok = Deno.lint.runPlugin(plugin, "/r/src/cli/output.ts", `console.log("hi");\n`);
  assert.ok(!ok.some((d) => d.id === "house/console-only-in-output"));
});

Deno.test("unit-tests-in-process sends a test that starts a process to tests/integration/", () => {
  const spawning = `import { startGateway } from "../support/spawn_gateway.ts";\nnew Deno.Command("sh");\n`;
  const unit = Deno.lint.runPlugin(plugin, "/r/tests/http/x_test.ts", spawning);
  assert.deepEqual(unit.filter((d) => d.id === "house/unit-tests-in-process").map((d) => d.message), [
    "startGateway: a unit test runs in process; a test that starts a process belongs in tests/integration/",
    "Deno.Command: a unit test runs in process; a test that starts a process belongs in tests/integration/",
  ]);
  const integration = Deno.lint.runPlugin(plugin, "/r/tests/integration/x_test.ts", spawning);
  assert.ok(!integration.some((d) => d.id === "house/unit-tests-in-process"));
  const helpers = Deno.lint.runPlugin(plugin, "/r/tests/http/x_test.ts", `import { tempHome } from "./s.ts";\n`);
  assert.ok(!helpers.some((d) => d.id === "house/unit-tests-in-process"));
});

Deno.test("importViolation() places state/ above config/: read by server/, cli/ and client/, reading only config/ and log/", () => {
  assert.equal(importViolation("/r/src/state/pairing_store.ts", "../config/write.ts"), undefined);
  assert.equal(importViolation("/r/src/cli/commands/setup.ts", "../../state/stored_token.ts"), undefined);
  assert.equal(importViolation("/r/src/client/target.ts", "../state/stored_token.ts"), undefined);
  assert.match(importViolation("/r/src/state/stored_token.ts", "../server/guards.ts")!, /src\/state may not import/);
  assert.match(importViolation("/r/src/config/load.ts", "../state/stored_token.ts")!, /src\/config may not import/);
});

Deno.test("importViolation() lets every layer import the async/ leaf, which imports nothing internal", () => {
  assert.equal(importViolation("/r/src/protocol/handlers.ts", "../async/delay.ts"), undefined);
  assert.equal(importViolation("/r/src/server/listener.ts", "../async/delay.ts"), undefined);
  assert.match(importViolation("/r/src/async/delay.ts", "../log/logger.ts")!, /src\/async may not import/);
});
