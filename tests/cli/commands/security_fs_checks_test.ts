// The audit's file-mode checks on a real temporary state dir: which mode raises which checkId.
import assert from "node:assert/strict";
import { type AuditInputs, auditInputs } from "../../../src/cli/commands/security_inputs.ts";
import { auditedAgentIds, filesystemFindings } from "../../../src/cli/commands/security_fs_checks.ts";
import { fixSecurityFootguns } from "../../../src/cli/commands/security_fix.ts";

Deno.test("file modes: writable state dir and config, readable credentials, sessions and log file", async () => {
  const home = await Deno.makeTempDir({ prefix: "oc-audit-fs-" });
  try {
    const stateDir = `${home}/.openclaw`;
    const configPath = `${stateDir}/openclaw.json`;
    await Deno.mkdir(`${stateDir}/credentials`, { recursive: true });
    await Deno.mkdir(`${stateDir}/agents/ops/sessions`, { recursive: true });
    await Deno.writeTextFile(configPath, "{}");
    await Deno.writeTextFile(`${stateDir}/agents/ops/sessions/sessions.json`, "{}");
    await Deno.writeTextFile(`${home}/gateway.log`, "");
    await Deno.chmod(stateDir, 0o777);
    await Deno.chmod(configPath, 0o664);
    await Deno.chmod(`${stateDir}/credentials`, 0o750);
    await Deno.chmod(`${stateDir}/agents/ops/sessions/sessions.json`, 0o640);
    await Deno.chmod(`${home}/gateway.log`, 0o644);
    const raw = { agents: { list: [{ id: "ops" }] }, logging: { file: "~/gateway.log" } } as AuditInputs["raw"];
    const inputs = auditInputs({
      raw,
      env: { HOME: home },
      stateDir,
      configPath,
      storedToken: undefined,
      override: undefined,
    });
    const findings = await filesystemFindings(inputs);
    assert.deepEqual(findings.map((f) => [f.checkId, f.severity, f.detail, f.remediation]), [
      [
        "fs.state_dir.perms_world_writable",
        "critical",
        `${stateDir} mode=777; other users can write into your OpenClaw state.`,
        `chmod 700 ${stateDir}`,
      ],
      [
        "fs.config.perms_writable",
        "critical",
        `${configPath} mode=664; another user could change gateway/auth/tool policies.`,
        `chmod 600 ${configPath}`,
      ],
      [
        "fs.credentials_dir.perms_readable",
        "warn",
        `${stateDir}/credentials mode=750; credentials and allowlists can be sensitive.`,
        `chmod 700 ${stateDir}/credentials`,
      ],
      [
        "fs.sessions_store.perms_readable",
        "warn",
        `${stateDir}/agents/ops/sessions/sessions.json mode=640; routing and transcript metadata can be sensitive.`,
        `chmod 600 ${stateDir}/agents/ops/sessions/sessions.json`,
      ],
      [
        "fs.log_file.perms_readable",
        "warn",
        `${home}/gateway.log mode=644; logs can contain private messages and tool output.`,
        `chmod 600 ${home}/gateway.log`,
      ],
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("--fix chmods nothing outside the state dir: an agent id with ../, a symlinked credentials folder", async () => {
  const home = await Deno.makeTempDir({ prefix: "oc-audit-fix-" });
  try {
    const stateDir = `${home}/.openclaw`;
    const configPath = `${stateDir}/openclaw.json`;
    await Deno.mkdir(stateDir, { recursive: true });
    const config = { agents: { list: [{ id: "../../outside" }] } };
    await Deno.writeTextFile(configPath, JSON.stringify(config));
    await Deno.mkdir(`${home}/outside`);
    await Deno.mkdir(`${home}/elsewhere`);
    await Deno.writeTextFile(`${home}/elsewhere/shared.json`, "{}");
    await Deno.chmod(`${home}/outside`, 0o755);
    await Deno.chmod(`${home}/elsewhere/shared.json`, 0o644);
    await Deno.symlink(`${home}/elsewhere`, `${stateDir}/credentials`);
    await Deno.mkdir(`${stateDir}/agents/main/sessions`, { recursive: true });
    await Deno.writeTextFile(`${stateDir}/agents/main/sessions/sessions.json`, "{}");
    await Deno.chmod(`${stateDir}/agents/main/sessions/sessions.json`, 0o644);
    const agentIds = (raw: Record<string, unknown>) =>
      auditedAgentIds({ raw: raw as AuditInputs["raw"] } as AuditInputs);
    assert.deepEqual(agentIds(config), ["main", "outside"], "ids map to folders as the reference's normalizeAgentId");
    const fix = await fixSecurityFootguns({ env: { HOME: home }, stateDir, configPath, agentIds });
    const mode = (path: string) => (Deno.statSync(path).mode! & 0o777).toString(8);
    assert.equal(mode(`${home}/outside`), "755");
    assert.equal(mode(`${home}/elsewhere/shared.json`), "644");
    assert.equal(mode(`${stateDir}/agents/main/sessions/sessions.json`), "600", "files inside are still tightened");
    const shared = fix.actions.find((action) => action.path === `${stateDir}/credentials/shared.json`);
    assert.equal(shared?.skipped, "symlink");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("OPENCLAW_OAUTH_DIR names the credentials dir the audit inspects and --fix tightens, as the reference", async () => {
  const home = await Deno.makeTempDir({ prefix: "oc-audit-oauth-" });
  try {
    const stateDir = `${home}/.openclaw`;
    const configPath = `${stateDir}/openclaw.json`;
    const oauth = `${home}/oauth`;
    await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
    await Deno.writeTextFile(configPath, "{}", { mode: 0o600 });
    await Deno.chmod(stateDir, 0o700);
    await Deno.chmod(configPath, 0o600);
    await Deno.mkdir(oauth);
    await Deno.writeTextFile(`${oauth}/x.json`, "{}");
    await Deno.chmod(oauth, 0o755);
    await Deno.chmod(`${oauth}/x.json`, 0o644);
    const env = { HOME: home, OPENCLAW_OAUTH_DIR: "~/oauth" };
    const inputs = auditInputs({
      raw: {} as AuditInputs["raw"],
      env,
      stateDir,
      configPath,
      storedToken: undefined,
      override: undefined,
    });
    const found = (await filesystemFindings(inputs)).map((f) => `${f.checkId} ${f.detail}`);
    assert.ok(
      found.includes(
        `fs.credentials_dir.perms_readable ${oauth} mode=755; credentials and allowlists can be sensitive.`,
      ),
    );
    const agentIds = () => ["main"];
    const fix = await fixSecurityFootguns({ env, stateDir, configPath, agentIds });
    assert.deepEqual(fix.actions.filter((a) => a.ok).map((a) => a.path), [oauth, `${oauth}/x.json`]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
