import assert from "node:assert/strict";
import plugin, { importViolation, RAW_CONFIG_READERS, rawConfigImportViolation } from "../../tools/lint_plugin.ts";

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

Deno.test("rawConfigImportViolation() keeps the config as written inside src/config/", () => {
  assert.match(
    rawConfigImportViolation("/r/src/server/guards.ts", "../config/schema.ts", ["RawConfig"])!,
    /RawConfig: the config as written stays in src\/config\//,
  );
  assert.match(
    rawConfigImportViolation("/r/src/channels/x.ts", "../config/schema_channels.ts", ["RawIrcAccount"])!,
    /RawIrcAccount/,
  );
  assert.match(
    rawConfigImportViolation("/r/src/cli/x.ts", "../config/schema.ts", ["ChannelsConfigSchema"])!,
    /ChannelsConfigSchema/,
  );
  // Resolved types, other config modules, config/ itself and tests are fine.
  assert.equal(
    rawConfigImportViolation("/r/src/server/guards.ts", "../config/resolve.ts", ["ResolvedConfig"]),
    undefined,
  );
  assert.equal(rawConfigImportViolation("/r/src/channels/x.ts", "../config/schema.ts", ["SecretInput"]), undefined);
  assert.equal(rawConfigImportViolation("/r/src/config/load.ts", "./schema.ts", ["RawConfigSchema"]), undefined);
  assert.equal(rawConfigImportViolation("/r/tests/x_test.ts", "../src/config/schema.ts", ["RawConfig"]), undefined);
});

Deno.test("RAW_CONFIG_READERS names each exception with its reason, and only those files pass", () => {
  for (const [path, reason] of Object.entries(RAW_CONFIG_READERS)) {
    assert.ok(reason.length > 20, `${path} has a reason`);
    assert.equal(rawConfigImportViolation(`/r/${path}`, "../../config/schema.ts", ["RawConfigSchema"]), undefined);
  }
  assert.ok("src/rpc/methods/config.ts" in RAW_CONFIG_READERS);
});

Deno.test("raw-config-stays-in-config flags imports and snapshot.config reads through Deno.lint.runPlugin", () => {
  const ids = (path: string, code: string) =>
    Deno.lint.runPlugin(plugin, path, code).filter((d) => d.id === "house/raw-config-stays-in-config").length;
  assert.equal(ids("/r/src/server/x.ts", `import type { RawConfig } from "../config/schema.ts";\n`), 1);
  assert.equal(ids("/r/src/server/x.ts", `export type { RawBinding } from "../config/schema.ts";\n`), 1);
  assert.equal(ids("/r/src/server/x.ts", `const m = snapshot.config.gateway?.mode;\n`), 1);
  assert.equal(
    ids("/r/src/server/x.ts", `class G { #raw = { config: {} }; f() { return this.#raw.config.hooks; } }\n`),
    1,
  );
  // Handing the tree to config/ (resolve, redact) is how it gets resolved; that stays allowed.
  assert.equal(ids("/r/src/server/x.ts", `resolveConfig({ config: snapshot.config });\n`), 0);
  assert.equal(ids("/r/src/config/x.ts", `import type { RawConfig } from "./schema.ts";\n`), 0);
  assert.equal(ids("/r/src/cli/doctor_config_checks.ts", `const m = snapshot.config.gateway?.mode;\n`), 0);
});
