import assert from "node:assert/strict";
import { loadOrCreateStoredToken, readStoredToken } from "../../src/state/stored_token.ts";

Deno.test("loadOrCreateStoredToken() creates a 256-bit token once, mode 0600 in a 0700 dir", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await loadOrCreateStoredToken(dir);
    assert.equal(first.created, true);
    assert.match(first.token, /^[0-9a-f]{64}$/);
    assert.equal((await Deno.stat(first.path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/credentials`)).mode! & 0o777, 0o700);
    const second = await loadOrCreateStoredToken(dir);
    assert.equal(second.created, false);
    assert.equal(second.token, first.token);
    assert.equal(await readStoredToken(dir), first.token);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
