import assert from "node:assert/strict";
import { formatSkillInfo, formatSkillsCheck, formatSkillsList } from "../../src/cli/commands/skills.ts";
import { renderTable, visibleWidth, wrapCell } from "../../src/cli/table.ts";
import type { SkillStatus, SkillStatusReport } from "../../src/server/local_skills.ts";

const none = { bins: [], anyBins: [], env: [], config: [], os: [] };

function status(name: string, over: Partial<SkillStatus> = {}): SkillStatus {
  return {
    name,
    description: `${name} description`,
    source: "openclaw-workspace",
    bundled: false,
    filePath: `/ws/skills/${name}/SKILL.md`,
    baseDir: `/ws/skills/${name}`,
    skillKey: name,
    always: false,
    disabled: false,
    blockedByAllowlist: false,
    blockedByAgentFilter: false,
    eligible: true,
    platformIncompatible: false,
    modelVisible: true,
    userInvocable: true,
    commandVisible: true,
    requirements: none,
    missing: none,
    configChecks: [],
    install: [],
    ...over,
  };
}

const report: SkillStatusReport = {
  workspaceDir: "/ws",
  managedSkillsDir: "/state/skills",
  agentId: "main",
  skills: [
    status("managed-one", {
      source: "openclaw-managed",
      disabled: true,
      eligible: false,
      modelVisible: false,
      commandVisible: false,
    }),
    status("needs-bin", {
      emoji: "🔧",
      primaryEnv: "NOPE_KEY",
      eligible: false,
      modelVisible: false,
      commandVisible: false,
      requirements: { ...none, bins: ["nope"], env: ["NOPE_KEY"], config: ["browser.enabled"] },
      missing: { ...none, bins: ["nope"], env: ["NOPE_KEY"] },
      configChecks: [{ path: "browser.enabled", satisfied: true }],
    }),
    status("weather"),
  ],
};
const HINT =
  "Tip: use `openclaw skills search`, `openclaw skills install`, and `openclaw skills update` for ClawHub-backed skills.";

Deno.test("skills list --json: the reference's keys, in its order", () => {
  const json = JSON.parse(formatSkillsList(report, { json: true }));
  assert.deepEqual(Object.keys(json), ["workspaceDir", "managedSkillsDir", "skills"]);
  assert.deepEqual(Object.keys(json.skills[1]), [
    "name",
    "description",
    "emoji",
    "eligible",
    "disabled",
    "blockedByAllowlist",
    "blockedByAgentFilter",
    "modelVisible",
    "userInvocable",
    "commandVisible",
    "source",
    "bundled",
    "primaryEnv",
    "missing",
  ]);
  assert.deepEqual(
    JSON.parse(formatSkillsList(report, { json: true, eligible: true })).skills.map((s: { name: string }) => s.name),
    ["weather"],
  );
});

Deno.test("skills list: the heading, the table rows and the tip", () => {
  const text = formatSkillsList(report, {});
  const lines = text.split("\n");
  assert.equal(lines[0], "Skills (1/3 ready)");
  assert.ok(lines.some((l) => /^│ disabled +│ managed-one +│ managed-one description +│ openclaw-managed +│$/.test(l)));
  assert.ok(lines.some((l) => /^│ △ needs setup │ 🔧 needs-bin +│/.test(l)));
  assert.ok(lines.some((l) => /^│ ✓ ready +│ weather +│/.test(l)));
  assert.ok(text.endsWith(`\n\n${HINT}`));
  assert.equal(formatSkillsList({ ...report, skills: [] }, {}), `No skills found.\n\n${HINT}`);
});

Deno.test("skills info: the reference's details, requirements and API key setup", () => {
  assert.equal(
    formatSkillInfo(report, "needs-bin", {}),
    [
      "🔧 needs-bin △ Needs setup",
      "",
      "needs-bin description",
      "",
      "Details:",
      "  Source: openclaw-workspace",
      "  Path: /ws/skills/needs-bin/SKILL.md",
      "  Visible to model: no",
      "  Available as command: no",
      "  Primary env: NOPE_KEY",
      "",
      "Requirements:",
      "  Binaries: ✗ nope",
      "  Environment: ✗ NOPE_KEY",
      "  Config: ✓ browser.enabled",
      "",
      "API key setup:",
      "  Save via UI: Control UI → Skills → needs-bin → Save key",
      "  Save via CLI: openclaw config set skills.entries.needs-bin.apiKey YOUR_KEY",
      "  Stored in: $OPENCLAW_CONFIG_PATH (default: ~/.openclaw/openclaw.json)",
      "",
      HINT,
    ].join("\n"),
  );
  assert.equal(
    formatSkillInfo(report, "nosuch", {}),
    `Skill "nosuch" not found. Run \`openclaw skills list\` to see available skills.\n\n${HINT}`,
  );
  assert.equal(JSON.parse(formatSkillInfo(report, "WEATHER", { json: true })).name, "weather");
});

Deno.test("skills check: counts, lists and the --json summary", () => {
  const text = formatSkillsCheck(report, {});
  assert.ok(text.startsWith("Skills Status Check\nAgent: main\n\nTotal: 3\n✓ Eligible: 1\n✓ Visible to model: 1\n"));
  assert.ok(text.includes("Missing requirements:\n  🔧 needs-bin (bins: nope; env: NOPE_KEY)"));
  const json = JSON.parse(formatSkillsCheck(report, { json: true }));
  assert.deepEqual(json.summary, {
    total: 3,
    eligible: 1,
    modelVisible: 1,
    commandVisible: 1,
    disabled: 1,
    blocked: 0,
    agentFiltered: 0,
    notInjected: 0,
    missingRequirements: 1,
  });
  assert.deepEqual(json.disabled, ["managed-one"]);
});

Deno.test("table: the reference's renderTable output for the same input (recorded from 2026.9.6)", () => {
  assert.equal(visibleWidth("🔧 x"), 4);
  const columns = [{ key: "a", header: "A", minWidth: 5 }, { key: "b", header: "B", flex: true }];
  const cases: [Record<string, string>, number, string[]][] = [
    [{ a: "x", b: "one two three four five six" }, 24, [
      "┌─────┬────────────────┐",
      "│ A   │ B              │",
      "├─────┼────────────────┤",
      "│ x   │ one two three  │",
      "│     │ four five six  │",
      "└─────┴────────────────┘",
    ]],
    [{ a: "x", b: "Add and live-prove a model provider" }, 20, [
      "┌─────┬────────────┐",
      "│ A   │ B          │",
      "├─────┼────────────┤",
      "│ x   │ Add and    │",
      "│     │ live-      │",
      "│     │ prove a    │",
      "│     │ model      │",
      "│     │ provider   │",
      "└─────┴────────────┘",
    ]],
    [{ a: "🔧 ab", b: "Add and live-prove a model provider with non-interactive config one-liners" }, 30, [
      "┌───────┬────────────────────┐",
      "│ A     │ B                  │",
      "├───────┼────────────────────┤",
      "│ 🔧 ab │ Add and live-      │",
      "│       │ prove a model      │",
      "│       │ provider with non- │",
      "│       │ interactive        │",
      "│       │ config one-liners  │",
      "└───────┴────────────────────┘",
    ]],
  ];
  for (const [row, width, expected] of cases) {
    assert.deepEqual(renderTable({ columns, rows: [row], width }).split("\n"), expected);
  }
  assert.deepEqual(wrapCell("abcdefghij", 4), ["abcd", "efgh", "ij"]);
});
