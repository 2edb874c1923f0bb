import assert from "node:assert/strict";
import { EXIT_CONFIG, EXIT_FAILURE, exitCodeFor } from "../../src/cli/exit.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { StartupError } from "../../src/server/guards.ts";

Deno.test("exitCodeFor() exits 78 only for refusals a restart cannot fix; a taken port exits 1", () => {
  assert.equal(exitCodeFor(new StartupError("refusing to bind", { kind: "config" })), EXIT_CONFIG);
  assert.equal(exitCodeFor(new StartupError("gateway already running (pid 1)", { kind: "locked" })), EXIT_CONFIG);
  assert.equal(
    exitCodeFor(new StartupError("another gateway instance is already listening", { kind: "conflict" })),
    EXIT_FAILURE,
    "a port clash clears when the other process goes: the unit must be free to retry",
  );
  assert.equal(
    exitCodeFor(new StartupError("shared state database is externally supervised", { kind: "runtime" })),
    EXIT_FAILURE,
    "the reference's generic start failure exits 1",
  );
  assert.equal(exitCodeFor(new ConfigError("Invalid config at x", { file: "x" })), EXIT_CONFIG);
  assert.equal(exitCodeFor(new Error("boom")), EXIT_FAILURE);
});
