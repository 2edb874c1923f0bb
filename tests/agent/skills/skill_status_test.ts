import assert from "node:assert/strict";
import type { AgentSkillsSettings } from "../../../src/config/resolve_knowledge.ts";
import type { SkillEntry } from "../../../src/agent/skills/skill_load.ts";
import { configPathTruthy, type SkillHost, skillStatus } from "../../../src/agent/skills/skill_status.ts";
import { skillMetadata } from "../../../src/agent/skills/frontmatter.ts";

function skill(name: string, metadata?: Record<string, unknown>, extra: Partial<SkillEntry> = {}): SkillEntry {
  const frontmatter: Record<string, string> = { name, description: `${name} skill` };
  if (metadata) frontmatter.metadata = JSON.stringify({ openclaw: metadata });
  return {
    name,
    description: `${name} skill`,
    filePath: `/ws/skills/${name}/SKILL.md`,
    baseDir: `/ws/skills/${name}`,
    source: "openclaw-workspace",
    frontmatter,
    metadata: skillMetadata(frontmatter),
    userInvocable: true,
    disableModelInvocation: false,
    ...extra,
  };
}

const host: SkillHost = {
  env: (name) => (name === "SET_KEY" ? "v" : name === "BLANK" ? "  " : undefined),
  hasBinary: (name) => name === "jq",
  platform: "linux",
};

function settings(over: Partial<AgentSkillsSettings> = {}): AgentSkillsSettings {
  return {
    entries: {},
    allowBundled: undefined,
    extraDirs: [],
    maxSkillsInPrompt: undefined,
    maxSkillsPromptChars: undefined,
    filter: undefined,
    config: {},
    stateDir: "/state",
    ...over,
  };
}

Deno.test("gating table: each requirement kind, met and missing", () => {
  const cases: [string, Record<string, unknown> | undefined, boolean, Partial<Record<string, string[]>>][] = [
    ["no metadata", undefined, true, {}],
    ["bin present", { requires: { bins: ["jq"] } }, true, {}],
    ["bin missing", { requires: { bins: ["jq", "nope"] } }, false, { bins: ["nope"] }],
    ["anyBins one present", { requires: { anyBins: ["nope", "jq"] } }, true, {}],
    ["anyBins none", { requires: { anyBins: ["a", "b"] } }, false, { anyBins: ["a", "b"] }],
    ["env set", { requires: { env: ["SET_KEY"] } }, true, {}],
    ["env blank counts as unset", { requires: { env: ["BLANK"] } }, false, { env: ["BLANK"] }],
    ["config default browser.enabled", { requires: { config: ["browser.enabled"] } }, true, {}],
    ["config unset", { requires: { config: ["tools.x"] } }, false, { config: ["tools.x"] }],
    ["os other", { os: ["darwin"] }, false, { os: ["darwin"] }],
    ["os macos alias on linux", { os: ["macos", "linux"] }, true, {}],
    ["always bypasses bins", { always: true, requires: { bins: ["nope"] } }, true, {}],
    ["always does not bypass os", { always: true, os: ["win32"] }, false, { os: ["win32"] }],
  ];
  for (const [label, metadata, eligible, missing] of cases) {
    const status = skillStatus(skill("s", metadata), settings(), host);
    assert.equal(status.eligible, eligible, label);
    assert.equal(status.modelVisible, eligible, label);
    for (const key of ["bins", "anyBins", "env", "config", "os"] as const) {
      assert.deepEqual(status.missing[key], missing[key] ?? [], `${label}: missing.${key}`);
    }
  }
});

Deno.test("gating: skills.entries env and apiKey satisfy env; enabled:false disables; the agent allowlist hides", () => {
  const needsKey = skill("k", { requires: { env: ["MY_KEY"] }, primaryEnv: "MY_KEY" });
  assert.equal(skillStatus(needsKey, settings(), host).eligible, false);
  assert.equal(skillStatus(needsKey, settings({ entries: { k: { env: { MY_KEY: "x" } } } }), host).eligible, true);
  assert.equal(skillStatus(needsKey, settings({ entries: { k: { apiKey: "sk-1" } } }), host).eligible, true);
  assert.equal(
    skillStatus(
      needsKey,
      settings({ entries: { k: { apiKey: { source: "env", provider: "default", id: "X" } } } }),
      host,
    )
      .eligible,
    true,
  );
  const disabled = skillStatus(skill("d"), settings({ entries: { d: { enabled: false } } }), host);
  assert.deepEqual([disabled.disabled, disabled.eligible, disabled.modelVisible], [true, false, false]);
  const hidden = skillStatus(skill("h"), settings({ filter: ["other"] }), host);
  assert.deepEqual([hidden.eligible, hidden.blockedByAgentFilter, hidden.modelVisible, hidden.commandVisible], [
    true,
    true,
    false,
    false,
  ]);
  const keyed = skill("named", { skillKey: "custom-key" });
  assert.equal(skillStatus(keyed, settings({ entries: { "custom-key": { enabled: false } } }), host).disabled, true);
  const noModel = skillStatus(skill("n", undefined, { disableModelInvocation: true }), settings(), host);
  assert.deepEqual([noModel.eligible, noModel.modelVisible, noModel.commandVisible], [true, false, true]);
});

Deno.test("status keys in the reference's order, optional ones omitted when absent", () => {
  const status = skillStatus(
    skill("needs", { emoji: "🔧", requires: { bins: ["nope"], config: ["browser.enabled"] } }),
    settings(),
    host,
  );
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(status))), [
    "name",
    "description",
    "source",
    "bundled",
    "filePath",
    "baseDir",
    "skillKey",
    "emoji",
    "always",
    "disabled",
    "blockedByAllowlist",
    "blockedByAgentFilter",
    "eligible",
    "platformIncompatible",
    "modelVisible",
    "userInvocable",
    "commandVisible",
    "requirements",
    "missing",
    "configChecks",
    "install",
  ]);
  assert.deepEqual(status.configChecks, [{ path: "browser.enabled", satisfied: true }]);
});

Deno.test("config paths: truthy values, explicit false beats the default", () => {
  assert.equal(configPathTruthy({ a: { b: 1 } }, "a.b"), true);
  assert.equal(configPathTruthy({ a: { b: 0 } }, "a.b"), false);
  assert.equal(configPathTruthy({ browser: { enabled: false } }, "browser.enabled"), false);
  assert.equal(configPathTruthy({}, "browser.evaluateEnabled"), true);
});
