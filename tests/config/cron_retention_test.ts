import assert from "node:assert/strict";
import { cronSessionRetentionMs, DEFAULT_CRON_SESSION_RETENTION_MS } from "../../src/config/cron_retention.ts";
import { RawConfigSchema } from "../../src/config/schema.ts";

Deno.test("cron.sessionRetention: 24 hours by default; false or a zero duration switch pruning off", () => {
  assert.equal(DEFAULT_CRON_SESSION_RETENTION_MS, 24 * 3_600_000);
  assert.equal(cronSessionRetentionMs({}), DEFAULT_CRON_SESSION_RETENTION_MS);
  assert.equal(cronSessionRetentionMs({ cron: { enabled: true } }), DEFAULT_CRON_SESSION_RETENTION_MS);
  assert.equal(cronSessionRetentionMs({ cron: { sessionRetention: false } }), null);
  assert.equal(cronSessionRetentionMs({ cron: { sessionRetention: "0h" } }), null);
  assert.equal(cronSessionRetentionMs({ cron: { sessionRetention: "0" } }), null);
  assert.equal(cronSessionRetentionMs({ cron: { sessionRetention: "7d" } }), 7 * 86_400_000);
  assert.equal(cronSessionRetentionMs({ cron: { sessionRetention: "1h30m" } }), 90 * 60_000);
  // A bare number is hours, as in the reference.
  assert.equal(cronSessionRetentionMs({ cron: { sessionRetention: "2" } }), 2 * 3_600_000);
  // What the schema refuses never reaches here from a loaded config; if it does, the default holds.
  assert.equal(cronSessionRetentionMs({ cron: { sessionRetention: "soon" } }), DEFAULT_CRON_SESSION_RETENTION_MS);
});

Deno.test("cron.sessionRetention: the schema refuses negative and other non-durations in the reference's words", () => {
  for (const ok of ["24h", "0h", "7d", "1h30m", "90", false]) {
    assert.equal(RawConfigSchema.safeParse({ cron: { sessionRetention: ok } }).success, true, String(ok));
  }
  for (const bad of ["-1h", "-5", "soon", "1h x30m"]) {
    const parsed = RawConfigSchema.safeParse({ cron: { sessionRetention: bad } });
    assert.equal(parsed.success, false, bad);
    assert.deepEqual(parsed.error!.issues.map((i) => [i.path.join("."), i.message]), [
      ["cron.sessionRetention", "invalid duration (use ms, s, m, h, d)"],
    ]);
  }
  assert.equal(RawConfigSchema.safeParse({ cron: { sessionRetention: true } }).success, false);
});
