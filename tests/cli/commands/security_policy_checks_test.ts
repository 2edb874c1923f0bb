// The audit's tool, exec, sandbox, model and session-reach rules, in process: which config raises
// which checkId at which severity, judged as this gateway runs its tools.
import assert from "node:assert/strict";
import { type AuditInputs, auditInputs } from "../../../src/cli/commands/security_inputs.ts";
import { readHostApprovals } from "../../../src/server/runtime_policy_view.ts";
import { setLocalApprovals } from "../../../src/server/exec_approvals_local.ts";
import { execFindings } from "../../../src/cli/commands/security_exec_checks.ts";
import { safeBinFindings } from "../../../src/cli/commands/security_safe_bins_checks.ts";
import { sandboxFindings } from "../../../src/cli/commands/security_sandbox_checks.ts";
import { modelFindings } from "../../../src/cli/commands/security_models_checks.ts";
import { crossAgentSessionFindings } from "../../../src/cli/commands/security_session_checks.ts";
import { exposureMatrixFindings } from "../../../src/cli/commands/security_exposure_checks.ts";
import type { AuditFinding } from "../../../src/cli/commands/security_findings.ts";

function inputs(raw: unknown, approvals?: AuditInputs["approvals"]): AuditInputs {
  return auditInputs({
    approvals,
    raw: raw as AuditInputs["raw"],
    env: {},
    stateDir: "/nonexistent/.openclaw",
    configPath: "/nonexistent/.openclaw/openclaw.json",
    storedToken: undefined,
    override: undefined,
  });
}

const ids = (findings: AuditFinding[]) => findings.map((f) => `${f.checkId}:${f.severity}`);

Deno.test("exec: host exec asks by default; security=full with open channels is critical", () => {
  const open = { channels: { irc: { dmPolicy: "open", allowFrom: ["*"] } } };
  assert.deepEqual(ids(execFindings(inputs(open))), ["security.exposure.open_channels_with_exec:warn"]);
  assert.deepEqual(ids(exposureMatrixFindings(inputs(open))), [
    "security.exposure.open_groups_with_runtime_or_fs:warn",
    "security.exposure.open_groups_with_control_plane_tools:critical",
  ]);
  const full = { ...open, tools: { exec: { security: "full" } } };
  assert.deepEqual(ids(execFindings(inputs(full))), [
    "tools.exec.security_full_configured:critical",
    "security.exposure.open_channels_with_exec:critical",
  ]);
  const matrix = exposureMatrixFindings(inputs(full));
  assert.equal(matrix[0]!.severity, "critical");
  assert.ok(!matrix[0]!.detail.includes("host exec asks"));
  const messaging = exposureMatrixFindings(inputs({ ...open, tools: { profile: "messaging" } }));
  assert.deepEqual(ids(messaging), [], "the messaging profile offers no runtime, file or control-plane tool");
  assert.deepEqual(ids(execFindings(inputs({ tools: { exec: { host: "sandbox" } } }))), [
    "tools.exec.host_sandbox_no_sandbox_defaults:warn",
  ]);
});

Deno.test("sandbox: docker settings with the sandbox off; a network bwrap shares with the host; minimal overridden", () => {
  const findings = sandboxFindings(inputs({
    agents: {
      defaults: { sandbox: { docker: { network: "bridge" } } },
      list: [{ id: "ops", sandbox: { mode: "all", docker: { network: "host" } } }, {
        id: "dev",
        tools: { profile: "coding" },
      }],
    },
    tools: { profile: "minimal" },
  }));
  assert.deepEqual(ids(findings), [
    "sandbox.dangerous_network_mode:critical",
    "tools.profile_minimal_overridden:warn",
  ], "an agent runs sandboxed, so the defaults' docker block is in use; host is refused at exec here");
  assert.match(findings[0]!.detail, /^agents\.defaults\.sandbox\.docker\.network is "bridge": .*no bridge/);
  assert.equal(
    findings[1]!.detail,
    "Global minimal profile is set, but these agent profiles take precedence:\n- agents.entries.dev=coding",
  );
  assert.deepEqual(
    ids(sandboxFindings(inputs({ agents: { defaults: { sandbox: { docker: { network: "none" } } } } }))),
    [
      "sandbox.docker_config_mode_off:warn",
    ],
  );
});

Deno.test("models: legacy and below-tier models, aliases resolved, sources as the reference labels them", () => {
  const findings = modelFindings(inputs({
    agents: {
      defaults: {
        model: { primary: "fast", fallbacks: ["openai/gpt-3.5-turbo", "openai/gpt-5.4"] },
        models: { "anthropic/claude-3-5-haiku": { alias: "fast" } },
      },
      list: [{ id: "ops", model: "anthropic/claude-sonnet-4-5" }],
    },
  }));
  assert.deepEqual(findings.map((f) => [f.checkId, f.detail.split("\n").slice(1)]), [
    ["models.legacy", ["- openai/gpt-3.5-turbo (GPT-3.5 family) @ agents.defaults.model.fallbacks"]],
    ["models.weak_tier", [
      "- anthropic/claude-3-5-haiku (Haiku tier (smaller model)) @ agents.defaults.model.primary",
      "- openai/gpt-3.5-turbo (Below GPT-5 family) @ agents.defaults.model.fallbacks",
    ]],
  ]);
});

Deno.test("cross-agent session access: two agents with the defaults reach each other's sessions", () => {
  const two = { agents: { list: [{ id: "main" }, { id: "ops", tools: { profile: "minimal" } }] } };
  const [finding, ...rest] = crossAgentSessionFindings(inputs(two));
  assert.deepEqual(rest, []);
  assert.equal(finding?.checkId, "security.trust_model.cross_agent_session_access_default");
  assert.equal(finding?.severity, "warn", "an agent-level tool restriction is a trust-boundary signal");
  assert.match(
    finding!.detail,
    /\n- main: unsandboxed sessions; allowed session tools: sessions_list, sessions_history, sessions_send\.\n/,
  );
  assert.match(finding!.detail, /\n- ops: session tools removed by agent tool policy;/);
  const plain = crossAgentSessionFindings(inputs({ agents: { list: [{ id: "a" }, { id: "b" }] } }));
  assert.equal(plain[0]?.severity, "info");
  for (
    const narrowed of [{ sessions: { visibility: "tree" } }, { agentToAgent: { enabled: false } }, {
      agentToAgent: { allow: ["a"] },
    }]
  ) {
    assert.deepEqual(crossAgentSessionFindings(inputs({ ...two, tools: narrowed })), []);
  }
  assert.deepEqual(crossAgentSessionFindings(inputs({})), [], "one agent");
});

Deno.test("exec: file tools denied while exec stays is drift, unless a read-only sandbox confines exec", () => {
  const config = {
    tools: { deny: ["write", "edit", "apply_patch"] },
    agents: { entries: { main: {}, ro: { sandbox: { mode: "all", workspaceAccess: "ro" } } } },
  };
  const drift = execFindings(inputs(config)).find((f) => f.checkId === "tools.exec.fs_tools_disabled_but_exec_enabled");
  assert.deepEqual(drift?.detail.split("\n").slice(1, -1), [
    "- tools: runtime=[exec, process], disabledFs=[write, edit, apply_patch], exec.host=auto, sandbox=off, workspaceAccess=none",
    "- agents.entries.main.tools: runtime=[exec, process], disabledFs=[write, edit, apply_patch], exec.host=auto, sandbox=off, workspaceAccess=none",
  ]);
  const denied = { tools: { deny: ["write", "edit", "apply_patch", "exec"] } };
  assert.ok(!execFindings(inputs(denied)).some((f) => f.checkId === "tools.exec.fs_tools_disabled_but_exec_enabled"));
});

Deno.test("exec: risky safeBinTrustedDirs, globally and per agent", () => {
  const findings = safeBinFindings(inputs({
    tools: { exec: { safeBinTrustedDirs: ["/usr/bin", "/tmp/../tmp/bins", "bin", "/opt/homebrew/bin"] } },
    agents: { list: [{ id: "ops", tools: { exec: { safeBinTrustedDirs: ["/home/me/.local/bin"] } } }] },
  }));
  assert.deepEqual(findings[0]?.detail.split("\n"), [
    "Detected risky safeBinTrustedDirs entries:",
    "- tools.exec.safeBinTrustedDirs: /tmp/../tmp/bins (temporary directory is mutable and easy to poison)",
    "- tools.exec.safeBinTrustedDirs: bin (relative path (trust boundary depends on process cwd))",
    "- tools.exec.safeBinTrustedDirs: /opt/homebrew/bin (package-manager bin directory (often user-writable))",
    "- agents.entries.ops.tools.exec.safeBinTrustedDirs: /home/me/.local/bin (home-scoped bin directory (typically user-writable))",
  ]);
  assert.deepEqual(
    safeBinFindings(inputs({ tools: { exec: { safeBinTrustedDirs: ["/usr/bin", "/opt/tools/bin"] } } })),
    [],
  );
});

Deno.test("exec: tools.exec.mode=full is full exec, as the runtime and the reference read it", () => {
  const open = { channels: { irc: { dmPolicy: "open", allowFrom: ["*"] } } };
  const full = { ...open, tools: { exec: { mode: "full" } } };
  assert.deepEqual(ids(execFindings(inputs(full))), [
    "tools.exec.security_full_configured:critical",
    "security.exposure.open_channels_with_exec:critical",
  ]);
  assert.equal(exposureMatrixFindings(inputs(full))[0]!.severity, "critical");
  const agentFull = { ...open, agents: { list: [{ id: "ops", tools: { exec: { mode: "full" } } }] } };
  assert.match(execFindings(inputs(agentFull))[0]!.detail, /Full exec trust is enabled for: ops\./);
  assert.equal(exposureMatrixFindings(inputs(agentFull))[0]!.severity, "critical");
  const denied = { ...open, tools: { exec: { mode: "deny" } } };
  assert.deepEqual(ids(execFindings(inputs(denied))), [], "mode=deny leaves no exec-enabled scope");
});

Deno.test("exec: a security the state database's approvals document sets is what an unset tools.exec runs under", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-audit-approvals-" });
  try {
    assert.equal(readHostApprovals(stateDir), undefined, "no state database: nothing read, nothing created");
    assert.deepEqual(await Array.fromAsync(Deno.readDir(stateDir)), []);
    await setLocalApprovals(stateDir, { version: 1, defaults: { security: "full", ask: "off" }, agents: {} });
    const approvals = readHostApprovals(stateDir);
    const open = { channels: { irc: { dmPolicy: "open", allowFrom: ["*"] } } };
    assert.deepEqual(ids(execFindings(inputs(open, approvals))), [
      "tools.exec.security_full_configured:critical",
      "security.exposure.open_channels_with_exec:critical",
    ]);
    assert.equal(exposureMatrixFindings(inputs(open, approvals))[0]!.severity, "critical");
    const configured = { ...open, tools: { exec: { security: "allowlist" } } };
    assert.deepEqual(ids(execFindings(inputs(configured, approvals))), [
      "security.exposure.open_channels_with_exec:warn",
    ], "the config's stricter security wins");
    await setLocalApprovals(stateDir, { version: 1, agents: {} });
    assert.deepEqual(ids(execFindings(inputs(open, readHostApprovals(stateDir)))), [
      "security.exposure.open_channels_with_exec:warn",
    ], "a document that sets no security leaves this gateway's allowlist default");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("exposure: tool allow lists are read as runs read them (an alias, a glob, group:openclaw)", () => {
  const open = { channels: { irc: { dmPolicy: "open", allowFrom: ["*"] } } };
  const raw = { ...open, tools: { allow: ["Bash", "group:openclaw"], exec: { security: "full" } } };
  assert.deepEqual(ids(exposureMatrixFindings(inputs(raw))), [
    "security.exposure.open_groups_with_runtime_or_fs:critical",
    "security.exposure.open_groups_with_control_plane_tools:critical",
  ]);
  const glob = { ...open, tools: { allow: ["ex*"], exec: { security: "full" } } };
  assert.match(exposureMatrixFindings(inputs(glob))[0]!.detail, /runtime=\[exec\]/);
  const denied = { ...open, tools: { deny: ["bash", "cron", "group:fs"] } };
  assert.deepEqual(ids(exposureMatrixFindings(inputs(denied))), [], "denied through an alias: nothing reachable");
});

Deno.test("exposure: alsoAllow widens the messaging profile as runs read it", () => {
  const open = { channels: { irc: { dmPolicy: "open", allowFrom: ["*"] } } };
  const raw = { ...open, tools: { profile: "messaging", alsoAllow: ["exec", "cron"], exec: { security: "full" } } };
  assert.deepEqual(ids(exposureMatrixFindings(inputs(raw))), [
    "security.exposure.open_groups_with_runtime_or_fs:critical",
    "security.exposure.open_groups_with_control_plane_tools:critical",
  ]);
});

Deno.test("exposure: exec host=gateway runs on the host under sandbox mode all, so full exec there is unguarded", () => {
  const open = { channels: { irc: { dmPolicy: "open", allowFrom: ["*"] } } };
  const sandboxed = { ...open, agents: { defaults: { sandbox: { mode: "all" } } } };
  const onHost = { ...sandboxed, tools: { exec: { host: "gateway", security: "full" } } };
  const matrix = exposureMatrixFindings(inputs(onHost));
  assert.equal(matrix[0]?.checkId, "security.exposure.open_groups_with_runtime_or_fs");
  assert.equal(matrix[0]?.severity, "critical");
  const inSandbox = { ...sandboxed, tools: { exec: { security: "full" } } };
  assert.notEqual(
    exposureMatrixFindings(inputs(inSandbox))[0]?.checkId,
    "security.exposure.open_groups_with_runtime_or_fs",
  );
});
