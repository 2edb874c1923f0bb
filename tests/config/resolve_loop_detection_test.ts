import assert from "node:assert/strict";
import { resolveLoopDetection } from "../../src/config/resolve_loop_detection.ts";
import type { RawConfig } from "../../src/config/schema.ts";

Deno.test("resolveLoopDetection: off by default; the agent's own enabled overlays the global one", () => {
  const config = (global?: unknown, own?: unknown, where: "list" | "entries" = "list") =>
    ({
      ...(global === undefined ? {} : { tools: { loopDetection: global } }),
      agents: where === "list"
        ? { list: [{ id: "a", ...(own === undefined ? {} : { tools: { loopDetection: own } }) }] }
        : { entries: { a: own === undefined ? {} : { tools: { loopDetection: own } } } },
    }) as RawConfig;
  assert.equal(resolveLoopDetection({}, "main"), false);
  assert.equal(resolveLoopDetection(config({ enabled: true }), "a"), true);
  assert.equal(resolveLoopDetection(config({ enabled: true }), "other"), true);
  assert.equal(resolveLoopDetection(config({ enabled: true }, { enabled: false }), "a"), false);
  assert.equal(resolveLoopDetection(config(undefined, { enabled: true }, "entries"), "a"), true);
  // An agent layer without `enabled` keeps the global one.
  assert.equal(resolveLoopDetection(config({ enabled: true }, {}), "a"), true);
  assert.equal(resolveLoopDetection(config({}, { enabled: true }), "a"), true);
});
