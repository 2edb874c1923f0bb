import assert from "node:assert/strict";
import { hookSelected, internalHookSelection } from "../../src/automation/internal_hook_selection.ts";

const cfg = (internal: unknown) => ({ hooks: { internal } });

Deno.test("internalHookSelection() is not configured without a master flag, an enabled entry or an extra dir", () => {
  assert.equal(internalHookSelection({}).configured, false);
  assert.equal(internalHookSelection(cfg({ entries: { "command-logger": { enabled: false } } })).configured, false);
});

Deno.test("internalHookSelection() turns everything off with enabled: false", () => {
  const selection = internalHookSelection(cfg({ enabled: false, entries: { "command-logger": {} } }));
  assert.equal(selection.configured, false);
  assert.deepEqual([...selection.names!], []);
});

Deno.test("internalHookSelection() makes named entries an allowlist, even with enabled: true", () => {
  const raw = cfg({
    enabled: true,
    entries: { "command-logger": { enabled: true }, "session-memory": { enabled: false } },
  });
  const selection = internalHookSelection(raw);
  assert.equal(selection.configured, true);
  assert.equal(hookSelected(selection, { name: "command-logger" }, raw), true);
  assert.equal(hookSelected(selection, { name: "session-memory" }, raw), false);
  assert.equal(hookSelected(selection, { name: "boot-md" }, raw), false);
});

Deno.test("internalHookSelection() opens discovery with enabled: true and no entries, or a nonempty extraDirs", () => {
  assert.equal(internalHookSelection(cfg({ enabled: true })).names, null);
  const raw = cfg({ load: { extraDirs: ["/opt/hooks"] }, entries: { "boot-md": { enabled: false } } });
  const selection = internalHookSelection(raw);
  assert.equal(selection.names, null);
  assert.equal(hookSelected(selection, { name: "command-logger" }, raw), true);
  assert.equal(hookSelected(selection, { name: "boot-md" }, raw), false);
});
