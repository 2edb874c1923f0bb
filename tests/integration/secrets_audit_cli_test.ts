// `openclaw secrets audit` and `openclaw secrets apply`, replayed against what the reference 2026.9.6 printed
// for the same state (tests/fixtures/secrets/audit_apply/): every recorded case's exit code, stdout and
// stderr, in the recorded order (store seeds, audits of each scenario, bad plans refused with nothing
// written, dry runs, the write, the audit after), plus the files the apply left.
import assert from "node:assert/strict";
import {
  AUDIT_APPLY_FIXTURES,
  auditApplyCases,
  runAuditApplyCase,
  scenarioHome,
  withoutSqliteNoise,
} from "../support/secrets_audit_replay.ts";

Deno.test("secrets audit|apply: every recorded case answers as the reference's", async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-secrets-audit-" });
  try {
    let replayed = 0;
    let configBeforeWrite = "";
    for (const c of auditApplyCases()) {
      const where = scenarioHome(root, c.scenario);
      if (c.scenario === "apply" && c.label === "apply_good") {
        configBeforeWrite = await Deno.readTextFile(`${where.stateDir}/openclaw.json`);
      }
      const before = c.scenario === "apply" && c.code !== 0
        ? await Deno.readTextFile(`${where.stateDir}/openclaw.json`)
        : undefined;
      const got = await runAuditApplyCase(c, where);
      assert.deepEqual(
        [got.code, got.stdout, got.stderr],
        [c.code, c.stdout, withoutSqliteNoise(c.stderr)],
        `${c.scenario}/${c.label}: ${c.args.join(" ")}`,
      );
      if (before !== undefined) {
        assert.equal(await Deno.readTextFile(`${where.stateDir}/openclaw.json`), before, `${c.label} wrote nothing`);
      }
      replayed++;
    }
    assert.equal(replayed, auditApplyCases().length);
    assert.ok(configBeforeWrite.includes("sk-plain-openai"), "the write case ran on the plaintext config");

    // The files the write left: refs in place (the reference's own config writer also stamps `meta`), the
    // previous config kept as .bak, the migrated OPENAI_API_KEY line scrubbed from .env and nothing else.
    const state = `${root}/apply/home/state`;
    const expected = JSON.parse(
      (await Deno.readTextFile(`${AUDIT_APPLY_FIXTURES}/apply_config_after.json`)).replaceAll(
        "__HOME__",
        `${root}/apply/home`,
      ),
    );
    delete expected.meta;
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${state}/openclaw.json`)), expected);
    assert.equal(await Deno.readTextFile(`${state}/openclaw.json.bak`), configBeforeWrite);
    assert.equal(
      await Deno.readTextFile(`${state}/.env`),
      await Deno.readTextFile(`${AUDIT_APPLY_FIXTURES}/apply_env_after.env`),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
