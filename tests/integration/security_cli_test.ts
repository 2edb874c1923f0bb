// `openclaw security audit [--json]`, run as the binary runs, on homes with known problems, against
// the reference OpenClaw 2026.9.6's recorded reports (tests/fixtures/security/reference_audit.json)
// and one live reference run on a home our --fix repaired. --fix, --deep and the refusals:
// security_fix_cli_test.ts.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { tempHome } from "../support/spawn_gateway.ts";
import {
  audit,
  badHome,
  type Finding,
  FIXTURE,
  ids,
  normalized,
  OWN_WORDS,
  type Report,
  SAFER_HERE,
} from "../support/security_audit.ts";

Deno.test("security audit --json on a home with known problems: the reference's checkIds, severities and words", async () => {
  const home = await badHome();
  try {
    const result = await audit(home, "--json");
    assert.equal(result.code, 0, "findings never change the exit code, as in the reference");
    const ours = normalized(result.stdout, home);
    const reference: Report = FIXTURE.bad.json;
    assert.deepEqual(ids(ours), [
      "summary.attack_surface:info",
      "gateway.control_ui.allowed_origins_wildcard:critical",
      "gateway.real_ip_fallback_enabled:critical",
      "gateway.token_too_short:warn",
      // Not raised by the reference's audit, which assumes exec is denied when tools.exec.security is unset;
      // here it is "allowlist" (host exec asks), so open channels can reach it.
      "security.exposure.open_channels_with_exec:warn",
      "hooks.token_too_short:warn",
      "hooks.default_session_key_unset:warn",
      "hooks.allowed_agent_ids_unrestricted:critical",
      "config.secrets.hooks_token_in_config:info",
      "security.exposure.open_groups_with_runtime_or_fs:warn",
      "security.exposure.open_groups_with_control_plane_tools:critical",
      "security.trust_model.multi_user_heuristic:warn",
      "fs.state_dir.perms_readable:warn",
      "fs.config.perms_world_readable:critical",
      "channels.telegram.dm.open:critical",
    ]);
    assert.deepEqual(ours.summary, { critical: 6, warn: 7, info: 2 });
    assert.deepEqual(ours.secretDiagnostics, []);
    for (const theirs of reference.findings) {
      const mine = ours.findings.find((finding) => finding.checkId === theirs.checkId);
      if (SAFER_HERE.has(theirs.checkId)) {
        assert.equal(mine, undefined, theirs.checkId);
        continue;
      }
      assert.ok(mine, `the reference raises ${theirs.checkId}`);
      if (!OWN_WORDS.has(theirs.checkId)) assert.deepEqual(mine, theirs);
      else assert.equal(mine.title, theirs.title);
    }
    const exec = ours.findings.find((f) => f.checkId === "security.exposure.open_groups_with_runtime_or_fs")!;
    assert.match(exec.detail, /runtime=\[exec, process\]; host exec asks;/);
    const dm = ours.findings.find((f) => f.checkId === "channels.telegram.dm.open")!;
    assert.equal(dm.detail, 'channels.telegram.dmPolicy="open" allows anyone to DM the bot.');

    const text = await audit(home);
    assert.equal(text.code, 0);
    const lines = text.stdout.split("\n");
    assert.deepEqual(lines.slice(0, 5), [
      "OpenClaw security audit",
      "Summary: 6 critical · 7 warn · 2 info",
      "Run deeper: openclaw security audit --deep",
      "",
      "CRITICAL",
    ]);
    const refLines: string[] = FIXTURE.textBad.split("\n");
    const wildcard = (all: string[]) => all.slice(all.indexOf("CRITICAL") + 1, all.indexOf("CRITICAL") + 4);
    assert.deepEqual(wildcard(lines), wildcard(refLines));
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit: exec, sandbox, tool-profile and model checks in the reference's words", async () => {
  const home = await tempHome(FIXTURE.models.config);
  try {
    const ours: Report = JSON.parse((await audit(home, "--json")).stdout);
    const reference: Report = FIXTURE.models.json;
    assert.deepEqual(ids(ours), [
      "summary.attack_surface:info",
      "tools.exec.security_full_configured:critical",
      "security.exposure.open_channels_with_exec:critical",
      "sandbox.docker_config_mode_off:warn",
      // bwrap has no bridge: "bridge" shares the host's network here (the reference does not raise it).
      "sandbox.dangerous_network_mode:critical",
      "tools.profile_minimal_overridden:warn",
      "models.legacy:warn",
      "models.weak_tier:warn",
      "security.exposure.open_groups_with_runtime_or_fs:critical",
      "security.exposure.open_groups_with_control_plane_tools:critical",
      "security.trust_model.multi_user_heuristic:warn",
    ]);
    for (const theirs of reference.findings) {
      const mine = ours.findings.find((finding) => finding.checkId === theirs.checkId);
      if (SAFER_HERE.has(theirs.checkId)) assert.equal(mine, undefined, theirs.checkId);
      else if (!OWN_WORDS.has(theirs.checkId)) assert.deepEqual(mine, theirs);
    }
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit: exec drift and risky safe-bin dirs, in the reference's words", async () => {
  const cases: [string, string][] = [
    ["drift", "tools.exec.fs_tools_disabled_but_exec_enabled"],
    ["bins", "tools.exec.safe_bin_trusted_dirs_risky"],
  ];
  for (const [name, checkId] of cases) {
    const home = await tempHome(FIXTURE[name].config);
    try {
      const ours: Report = JSON.parse((await audit(home, "--json")).stdout);
      const theirs = (FIXTURE[name].json as Report).findings.find((f) => f.checkId === checkId);
      assert.ok(theirs, checkId);
      assert.deepEqual(ours.findings.find((f) => f.checkId === checkId), theirs);
    } finally {
      await home.cleanup();
    }
  }
});

Deno.test("security audit: agents sharing Gateway-wide session access, as the reference words it", async () => {
  const home = await tempHome(FIXTURE.agents.config);
  try {
    const ours: Report = JSON.parse((await audit(home, "--json")).stdout);
    const theirs = (FIXTURE.agents.json as Report).findings.find((f) =>
      f.checkId === "security.trust_model.cross_agent_session_access_default"
    )!;
    const mine = ours.findings.find((f) => f.checkId === theirs.checkId)!;
    assert.deepEqual([mine.severity, mine.title, mine.remediation], [
      theirs.severity,
      theirs.title,
      theirs.remediation,
    ]);
    // The same lines, but with the session tools this gateway serves, so `quiet` (minimal: only
    // session_status in the reference) reaches nothing here.
    const served = (line: string) =>
      line.replace(
        "sessions_list, sessions_history, sessions_search, sessions_send, session_status",
        "sessions_list, sessions_history, sessions_send",
      );
    const expected = theirs.detail.split("\n").map(served)
      .map((line) =>
        line.startsWith("- quiet: unsandboxed sessions")
          ? "- quiet: session tools removed by agent tool policy; its transcripts remain readable by the agents above."
          : line
      );
    const quiet = expected.findIndex((line) => line.startsWith("- quiet:"));
    const [moved] = expected.splice(quiet, 1);
    expected.splice(expected.indexOf("Incognito sessions remain hidden."), 0, moved!);
    assert.deepEqual(mine.detail.split("\n"), expected);
  } finally {
    await home.cleanup();
  }
});

Deno.test("after our --fix, the reference's own audit of the same home reads the fixed file and agrees on the shared checkIds", async () => {
  const home = await badHome();
  try {
    assert.equal((await audit(home, "--fix")).code, 0);
    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const [theirs, ours] = await Promise.all([runPeer(["security", "audit", "--json"], where), audit(home, "--json")]);
    assert.equal(theirs.code, 0, theirs.stderr);
    const reference = JSON.parse(theirs.stdout) as Report;
    const mine = JSON.parse(ours.stdout) as Report;
    // The modes and the group policy --fix changed are fixed for the reference too.
    assert.ok(!reference.findings.some((f) => f.checkId.startsWith("fs.")), ids(reference).join(", "));
    const exposure = reference.findings.find((f) => f.checkId === "security.exposure.open_groups_with_runtime_or_fs");
    assert.ok(
      exposure && !exposure.detail.includes("channels.telegram.groupPolicy"),
      exposure?.detail ?? "no exposure finding",
    );
    const shared = ids(reference).filter((id) =>
      !SAFER_HERE.has(id.split(":")[0]!) && !OWN_WORDS.has(id.split(":")[0]!)
    );
    assert.ok(shared.length >= 6, shared.join(", "));
    for (const id of shared) assert.ok(ids(mine).includes(id), `ours misses ${id}`);
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit on a fresh home: this gateway's own token and rate limits are not reported as problems", async () => {
  const home = await tempHome();
  try {
    await Deno.mkdir(home.stateDir, { mode: 0o700 });
    const ours: Report = JSON.parse((await audit(home, "--json")).stdout);
    assert.deepEqual(ids(ours), ["summary.attack_surface:info"]);
    const reference: Report = FIXTURE.empty.json;
    assert.deepEqual(ids(reference).filter((id) => !id.startsWith("summary.")), [
      "gateway.trusted_proxies_missing:warn",
      "gateway.loopback_no_auth:critical",
      "gateway.http.no_auth:warn",
    ]);
    assert.match(ours.findings[0]!.detail, /^groups: open=0, allowlist=0\ntools\.elevated: disabled\n/);
  } finally {
    await home.cleanup();
  }
});

Deno.test("security audit: auth mode none, a reused hooks token and suppressions", async () => {
  const home = await tempHome({
    gateway: { auth: { mode: "none" } },
    hooks: {
      enabled: true,
      token: "0123456789abcdef0123456789abcdef",
      defaultSessionKey: "hook:in",
      allowedAgentIds: ["main"],
    },
  });
  const reused = await tempHome({
    gateway: { auth: { mode: "token", token: "0123456789abcdef0123456789abcdef" } },
    hooks: { enabled: true, token: "0123456789abcdef0123456789abcdef", allowedAgentIds: ["main"] },
    security: { audit: { suppressions: [{ checkId: "hooks.default_session_key_unset", reason: "one session" }] } },
  });
  try {
    const none: Report = JSON.parse((await audit(home, "--json")).stdout);
    assert.deepEqual(ids(none).filter((id) => id.startsWith("gateway.")), [
      "gateway.loopback_no_auth:critical",
      "gateway.http.no_auth:warn",
    ]);
    const ref = FIXTURE.empty.json.findings as Finding[];
    for (const checkId of ["gateway.loopback_no_auth", "gateway.http.no_auth"]) {
      assert.deepEqual(none.findings.find((f) => f.checkId === checkId), ref.find((f) => f.checkId === checkId));
    }

    const report: Report = JSON.parse((await audit(reused, "--json")).stdout);
    assert.deepEqual(ids(report), [
      "summary.attack_surface:info",
      "config.insecure_or_dangerous_flags:warn",
      "hooks.token_reuse_gateway_token:critical",
      "config.secrets.hooks_token_in_config:info",
      "security.audit.suppressions.active:info",
    ]);
    assert.deepEqual(report.suppressedFindings?.map((f) => [f.checkId, f.suppression]), [
      ["hooks.default_session_key_unset", { reason: "one session" }],
    ]);
    const active = report.findings.at(-1)!;
    assert.deepEqual(active, FIXTURE.supp.json.findings.at(-1));
    assert.equal(
      report.findings[1]!.detail,
      "Detected enabled flag: security.audit.suppressions configured (1).",
    );
    const text = await audit(reused);
    assert.match(text.stdout, /\nSuppressed: 1 configured\n/);
  } finally {
    await home.cleanup();
    await reused.cleanup();
  }
});
