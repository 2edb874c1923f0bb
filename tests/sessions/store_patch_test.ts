// The two session facts clients set (sessions.create/patch): a label and a chosen model.
import assert from "node:assert/strict";
import { SessionStore } from "../../src/sessions/store.ts";

Deno.test("SessionStore.update sets and clears a label and model override, and a fresh store reads them back", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const store = new SessionStore(stateDir);
    assert.equal(await store.get("agent:main:w", "main"), undefined);
    assert.equal(await store.update("agent:main:w", "main", { label: "x" }), undefined, "no row, nothing patched");
    await store.ensure("agent:main:w", "main");
    const row = await store.update("agent:main:w", "main", {
      label: "Work",
      providerOverride: "fake",
      modelOverride: "m2",
    });
    assert.equal(row?.label, "Work");
    const reread = await new SessionStore(stateDir).get("agent:main:w", "main");
    assert.deepEqual([reread?.label, reread?.providerOverride, reread?.modelOverride], ["Work", "fake", "m2"]);
    const cleared = await store.update("agent:main:w", "main", {
      providerOverride: undefined,
      modelOverride: undefined,
    });
    assert.equal("modelOverride" in cleared!, false);
    assert.equal(cleared!.label, "Work", "fields not named stay");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a failed update leaves the row in memory as it is on disk", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const store = new SessionStore(stateDir);
    await store.ensure("agent:main:w", "main");
    // The index cannot be replaced (a non-empty directory stands in its place), even for root.
    const index = `${stateDir}/agents/main/sessions/sessions.json`;
    await Deno.remove(index);
    await Deno.mkdir(`${index}/blocker`, { recursive: true });
    await assert.rejects(store.update("agent:main:w", "main", { label: "Lost" }));
    assert.equal((await store.get("agent:main:w", "main"))?.label, undefined);
    assert.equal(store.storage.ok, false, "the failure is recorded for health");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
