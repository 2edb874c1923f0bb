import assert from "node:assert/strict";
import { reloadHint } from "../../src/config/reload_hint.ts";
import type { RawConfig } from "../../src/config/schema.ts";

const both = (config: RawConfig) => ({ authored: config, config });
const env = {};

Deno.test("reloadHint() words our reload planner's decision in the reference's three sentences", () => {
  const base: RawConfig = { gateway: { mode: "local", port: 18789 }, logging: { level: "info" } };
  assert.equal(
    reloadHint(both(base), both({ ...base, gateway: { mode: "local", port: 19001 } }), env),
    "Restart the gateway to apply.",
  );
  assert.equal(
    reloadHint(both(base), both({ ...base, logging: { level: "debug" } }), env),
    "Change will apply without restarting the gateway.",
  );
  assert.equal(
    reloadHint(both(base), both({ ...base, ui: { seamColor: "#ff0000" } }), env),
    "No gateway restart needed.",
  );
  assert.equal(reloadHint(both(base), both(base), env), "No gateway restart needed.");
});

Deno.test("reloadHint(): with gateway.reload.mode off, a hot change waits for a restart", () => {
  const off: RawConfig = { gateway: { mode: "local", reload: { mode: "off" } }, logging: { level: "info" } };
  assert.equal(
    reloadHint(both(off), both({ ...off, logging: { level: "debug" } }), env),
    "Restart the gateway to apply.",
  );
  assert.equal(
    reloadHint(both(off), both({ ...off, ui: { seamColor: "#ff0000" } }), env),
    "No gateway restart needed.",
  );
});
