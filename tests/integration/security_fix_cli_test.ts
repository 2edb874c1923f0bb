// `openclaw security audit --fix`, `--deep` and its refusals (bad --auth, an invalid config), run as
// the binary runs, against the reference OpenClaw 2026.9.6's recordings
// (tests/fixtures/security/reference_audit.json).
import assert from "node:assert/strict";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { audit, badHome, FIXTURE, ids, type Report } from "../support/security_audit.ts";

Deno.test("security audit --fix: open groups become allowlists, modes 700/600, the reference's fix JSON", async () => {
  const home = await badHome();
  try {
    await Deno.mkdir(`${home.stateDir}/credentials`, { mode: 0o755 });
    await Deno.writeTextFile(`${home.stateDir}/credentials/telegram-allowFrom.json`, "{}", { mode: 0o644 });
    const before = await Deno.readTextFile(home.configPath);
    const result = await audit(home, "--fix", "--json");
    assert.equal(result.code, 0);
    const out = JSON.parse(result.stdout.replaceAll(home.home, "<HOME>"));
    const reference = FIXTURE.bad.fixJson.fix;
    assert.deepEqual(Object.keys(out), ["fix", "report", "secretDiagnostics"]);
    assert.deepEqual(Object.keys(out.fix), Object.keys(reference));
    assert.deepEqual(out.fix.changes, reference.changes);
    assert.equal(out.fix.configWritten, true);
    assert.equal(out.fix.ok, true);
    const modes = Object.fromEntries(
      (out.fix.actions as { path: string; mode: number; ok: boolean; skipped?: string }[])
        .map((a) => [a.path, [a.mode.toString(8), a.ok ? "ok" : a.skipped]]),
    );
    assert.deepEqual(modes["<HOME>/.openclaw"], ["700", "ok"]);
    assert.deepEqual(modes["<HOME>/.openclaw/credentials"], ["700", "ok"]);
    assert.deepEqual(modes["<HOME>/.openclaw/credentials/telegram-allowFrom.json"], ["600", "ok"]);
    // The reference's own list of targets, minus the credentials we created here.
    const theirPaths = (reference.actions as { path: string }[]).map((a) => a.path);
    const ourPaths = Object.keys(modes).filter((p) => !p.includes("telegram-allowFrom"));
    assert.deepEqual(ourPaths, theirPaths);

    assert.equal((await Deno.stat(home.stateDir)).mode! & 0o777, 0o700);
    assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
    const written = JSON.parse(await Deno.readTextFile(home.configPath));
    assert.equal(written.channels.telegram.groupPolicy, "allowlist");
    assert.deepEqual({ ...written, channels: FIXTURE.bad.config.channels }, FIXTURE.bad.config, "nothing else changed");
    assert.equal(await Deno.readTextFile(`${home.configPath}.bak`), before, "the previous file is kept");
    assert.ok(!ids(out.report).includes("fs.config.perms_world_readable:critical"));

    const again = await audit(home, "--fix");
    assert.match(again.stdout, /\nFix: openclaw security audit --fix\nFixes: no changes applied\n/);
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit --fix on an immutable config: the reference's error, modes still tightened, file untouched", async () => {
  const recorded = FIXTURE.readOnlyFix;
  const home = await tempHome(recorded.config);
  try {
    await Deno.chmod(home.configPath, 0o644);
    const result = await runOpenclaw(recorded.args, { home: home.home, env: recorded.env });
    assert.equal(result.code, 0);
    const fix = JSON.parse(result.stdout.replaceAll(home.home, "<HOME>")).fix;
    assert.deepEqual(
      [fix.ok, fix.configWritten, fix.changes, fix.errors],
      [recorded.fix.ok, recorded.fix.configWritten, recorded.fix.changes, recorded.fix.errors],
    );
    assert.equal(await Deno.readTextFile(home.configPath), recorded.config);
    assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit --deep probes the running gateway; unreachable is gateway.probe_failed", async () => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port } });
  try {
    const down: Report = JSON.parse((await audit(home, "--deep", "--json")).stdout);
    const probe = FIXTURE.empty.deepJson;
    assert.deepEqual(down.deep, {
      gateway: {
        ...probe.deep.gateway,
        url: `ws://127.0.0.1:${port}`,
        error: `connect ECONNREFUSED 127.0.0.1:${port}`,
      },
    });
    const failed = down.findings.find((f) => f.checkId === "gateway.probe_failed");
    assert.deepEqual(failed, { ...probe.probeFinding, detail: `connect ECONNREFUSED 127.0.0.1:${port}` });

    const { proc } = await startGateway({ home: home.home, port });
    try {
      const up: Report = JSON.parse((await audit(home, "--deep", "--json")).stdout);
      assert.deepEqual(up.deep, {
        gateway: { attempted: true, url: `ws://127.0.0.1:${port}`, ok: true, error: null, close: null },
      });
      assert.ok(!up.findings.some((f) => f.checkId === "gateway.probe_failed"));
      const wrong: Report = JSON.parse((await audit(home, "--deep", "--json", "--token", "not-the-token")).stdout);
      assert.equal(wrong.deep?.gateway.ok, false);
      assert.ok(wrong.findings.some((f) => f.checkId === "gateway.probe_failed"));
    } finally {
      await proc.stop();
    }
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit refuses an invalid config as the reference does; --fix still tightens modes first", async () => {
  const recorded = FIXTURE.errors.invalidConfig;
  const home = await tempHome(recorded.config);
  try {
    await Deno.chmod(home.configPath, 0o644);
    const result = await audit(home, "--json");
    assert.deepEqual(result, { code: 1, stdout: recorded.stdout.trimEnd(), stderr: recorded.stderr.trimEnd() });
    const fixed = await audit(home, "--fix");
    assert.equal(fixed.code, 1);
    assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
    assert.equal(await Deno.readTextFile(home.configPath), recorded.config, "an invalid file is never rewritten");
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit refuses bad --auth flags with the reference's words and exit 1", async () => {
  const home = await tempHome();
  try {
    const bogus = await audit(home, "--auth", "bogus");
    assert.deepEqual(bogus, { code: 1, stdout: "", stderr: FIXTURE.errors.authBogus.stderr.trimEnd() });
    const missing = await audit(home, "--auth", "password");
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^\[openclaw\] Reason: Invalid --auth password: pass --password <password> for audit auth override\.$/m,
    );
  } finally {
    await home.cleanup();
  }
});
