import assert from "node:assert/strict";
import { nameCommand } from "../../src/agent/chat_name.ts";
import { SessionStore } from "../../src/sessions/store.ts";

const KEY = "agent:main:main";

Deno.test("/name shows and sets the session's label; an overlong or taken label is refused and nothing changes", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-chatname-" });
  const sessions = new SessionStore(stateDir);
  const changed: string[] = [];
  const deps = { sessions, changed: (key: string) => void changed.push(key) };
  const run = (args: string) => nameCommand(deps, args, { agentId: "main", sessionKey: KEY });
  try {
    assert.equal(
      await run(""),
      "This session has no custom name yet.\nUse /name <title> to set a name (mirrors the session manager).",
    );
    // A session with no row yet is created by the rename.
    assert.equal(await run("  Trip to Lisbon "), "✅ Session renamed to “Trip to Lisbon”.");
    assert.equal((await sessions.get(KEY, "main"))!.label, "Trip to Lisbon");
    assert.deepEqual(changed, [KEY]);
    assert.equal(
      await run(""),
      "Current session name: Trip to Lisbon\nUse /name <title> to set a name (mirrors the session manager).",
    );
    // Its own name again is fine; another session's is not.
    assert.equal(await run("Trip to Lisbon"), "✅ Session renamed to “Trip to Lisbon”.");
    await sessions.ensure("agent:main:other", "main");
    await sessions.update("agent:main:other", "main", { label: "Taxes" });
    assert.equal(await run("Taxes"), "Couldn't rename the session: label already in use: Taxes");
    assert.equal(await run("x".repeat(513)), "Couldn't rename the session: invalid label: too long (max 512)");
    assert.equal((await sessions.get(KEY, "main"))!.label, "Trip to Lisbon");
    assert.equal(changed.length, 2, "a refused rename tells nobody");
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
