// `openclaw skills list|info|check`: the agent's skills read from this host's config and state,
// printed as the reference prints them (its table, details and check summary; `--json` keys as
// the reference's). Plain output: no colours and no decorative emoji, as the reference without a TTY.
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import {
  findSkillStatus,
  hasMissingRequirements,
  localSkillReport,
  type SkillStatus,
  type SkillStatusReport,
} from "../../server/local_skills.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printLine } from "../output.ts";
import { renderTable, tableWidth } from "../table.ts";

/** Options of the skills commands. */
export interface SkillsOptions extends GlobalOptions {
  agent?: string;
  json?: boolean;
  eligible?: boolean;
  verbose?: boolean;
}

const HINT =
  "\n\nTip: use `openclaw skills search`, `openclaw skills install`, and `openclaw skills update` for ClawHub-backed skills.";

const GROUPS: readonly [keyof SkillStatus["missing"], string][] = [
  ["bins", "Binaries"],
  ["anyBins", "Any binaries"],
  ["env", "Environment"],
  ["config", "Config"],
  ["os", "OS"],
];

function loadReport(options: SkillsOptions): Promise<SkillStatusReport | string> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  return localSkillReport(paths, env, options.agent);
}

function statusLabel(skill: SkillStatus, detailed: boolean): string {
  if (skill.disabled) return detailed ? "Disabled" : "disabled";
  if (skill.blockedByAllowlist) return detailed ? "Blocked by allowlist" : "blocked";
  if (skill.blockedByAgentFilter) return detailed ? "Excluded by agent allowlist" : "excluded";
  if (skill.eligible) return detailed ? "✓ Ready" : "✓ ready";
  return detailed ? "△ Needs setup" : "△ needs setup";
}

const named = (skill: SkillStatus) =>
  (skill.emoji ? `${skill.emoji.replaceAll("\uFE0E", "\uFE0F")} ` : "") + skill.name;

function missingSummary(skill: SkillStatus): string {
  return GROUPS.filter(([key]) => skill.missing[key].length > 0).map(([key]) =>
    `${key}: ${skill.missing[key].join(", ")}`
  ).join("; ");
}

/** `skills list`: the table, or `--json` with the reference's keys. */
export function formatSkillsList(report: SkillStatusReport, options: SkillsOptions): string {
  const ready = (s: SkillStatus) => s.eligible && !s.blockedByAgentFilter;
  const skills = options.eligible ? report.skills.filter(ready) : report.skills;
  if (options.json) {
    return JSON.stringify(
      {
        workspaceDir: report.workspaceDir,
        managedSkillsDir: report.managedSkillsDir,
        skills: skills.map((s) => ({
          name: s.name,
          description: s.description,
          emoji: s.emoji,
          eligible: s.eligible,
          disabled: s.disabled,
          blockedByAllowlist: s.blockedByAllowlist,
          blockedByAgentFilter: s.blockedByAgentFilter,
          modelVisible: s.modelVisible,
          userInvocable: s.userInvocable,
          commandVisible: s.commandVisible,
          source: s.source,
          bundled: s.bundled,
          primaryEnv: s.primaryEnv,
          homepage: s.homepage,
          missing: s.missing,
        })),
      },
      null,
      2,
    );
  }
  if (skills.length === 0) {
    return (options.eligible
      ? "No eligible skills found. Run `openclaw skills list` to see all skills."
      : "No skills found.") + HINT;
  }
  const columns = [
    { key: "Status", header: "Status", minWidth: 10 },
    { key: "Skill", header: "Skill", minWidth: 22 },
    { key: "Description", header: "Description", minWidth: 24, flex: true },
    { key: "Source", header: "Source", minWidth: 10 },
    ...(options.verbose ? [{ key: "Missing", header: "Missing", minWidth: 18, flex: true }] : []),
  ];
  const rows = skills.map((s) => ({
    Status: statusLabel(s, false),
    Skill: named(s),
    Description: s.description,
    Source: s.source,
    Missing: options.verbose ? missingSummary(s) : "",
  }));
  const width = tableWidth();
  const table = renderTable({ columns, rows, width });
  return `Skills (${skills.filter(ready).length}/${skills.length} ready)\n${table}${HINT}`;
}

/** `skills info <name>`: details, requirements, install options and API key setup. */
export function formatSkillInfo(report: SkillStatusReport, name: string, options: SkillsOptions): string {
  const requested = name.trim();
  const skill = findSkillStatus(report.skills, requested);
  if (!skill) {
    if (options.json) {
      return JSON.stringify({ ok: false, error: `Skill "${requested}" not found.`, skill: requested }, null, 2);
    }
    return `Skill "${requested}" not found. Run \`openclaw skills list\` to see available skills.${HINT}`;
  }
  if (options.json) return JSON.stringify(skill, null, 2);
  const home = Deno.env.get("HOME");
  const path = home && skill.filePath.startsWith(`${home}/`) ? `~${skill.filePath.slice(home.length)}` : skill.filePath;
  const lines = [`${named(skill)} ${statusLabel(skill, true)}`, "", skill.description, "", "Details:"];
  lines.push(`  Source: ${skill.source}`, `  Path: ${path}`);
  if (skill.homepage) lines.push(`  Homepage: ${skill.homepage}`);
  lines.push(`  Visible to model: ${skill.modelVisible ? "yes" : "no"}`);
  lines.push(`  Available as command: ${skill.commandVisible ? "yes" : "no"}`);
  if (skill.blockedByAgentFilter) lines.push("  Agent allowlist: excludes this skill");
  if (skill.primaryEnv) lines.push(`  Primary env: ${skill.primaryEnv}`);
  const groups = GROUPS.filter(([key]) => skill.requirements[key].length > 0);
  if (groups.length > 0) {
    lines.push("", "Requirements:");
    const mark = (value: string, ok: boolean) => `${ok ? "✓" : "✗"} ${value}`;
    for (const [key, label] of groups) {
      const required = skill.requirements[key];
      const missing = skill.missing[key];
      const text = key === "anyBins" || key === "os"
        ? mark(`(${key === "anyBins" ? "any of: " : ""}${required.join(", ")})`, missing.length === 0)
        : required.map((r) => mark(r, !missing.includes(r))).join(", ");
      lines.push(`  ${label}: ${text}`);
    }
  }
  if (skill.install.length > 0 && !skill.eligible) {
    lines.push("", "Install options:", ...skill.install.map((i) => `  → ${String(i.label)}`));
  }
  if (skill.primaryEnv && skill.missing.env.includes(skill.primaryEnv)) {
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(skill.skillKey) || /^[a-z0-9-]+$/.test(skill.skillKey)
      ? skill.skillKey
      : JSON.stringify(skill.skillKey);
    lines.push("", "API key setup:");
    if (skill.homepage) lines.push(`  Get your key: ${skill.homepage}`);
    lines.push(`  Save via UI: Control UI → Skills → ${skill.name} → Save key`);
    lines.push(`  Save via CLI: openclaw config set skills.entries.${key}.apiKey YOUR_KEY`);
    lines.push("  Stored in: $OPENCLAW_CONFIG_PATH (default: ~/.openclaw/openclaw.json)");
  }
  return lines.join("\n") + HINT;
}

/** `skills check`: counts, then the skills by state. */
export function formatSkillsCheck(report: SkillStatusReport, options: SkillsOptions): string {
  const all = report.skills;
  const eligible = all.filter((s) => s.eligible);
  const modelVisible = all.filter((s) => s.modelVisible);
  const commandVisible = all.filter((s) => s.commandVisible);
  const disabled = all.filter((s) => s.disabled);
  const blocked = all.filter((s) => s.blockedByAllowlist && !s.disabled);
  const agentFiltered = all.filter((s) => s.blockedByAgentFilter);
  const hidden = all.filter((s) => s.eligible && !s.blockedByAgentFilter && !s.modelVisible);
  const missing = all.filter(hasMissingRequirements);
  if (options.json) {
    return JSON.stringify(
      {
        agentId: report.agentId,
        agentSkillFilter: report.agentSkillFilter,
        workspaceDir: report.workspaceDir,
        managedSkillsDir: report.managedSkillsDir,
        summary: {
          total: all.length,
          eligible: eligible.length,
          modelVisible: modelVisible.length,
          commandVisible: commandVisible.length,
          disabled: disabled.length,
          blocked: blocked.length,
          agentFiltered: agentFiltered.length,
          notInjected: hidden.length,
          missingRequirements: missing.length,
        },
        eligible: eligible.map((s) => s.name),
        modelVisible: modelVisible.map((s) => s.name),
        commandVisible: commandVisible.map((s) => s.name),
        disabled: disabled.map((s) => s.name),
        blocked: blocked.map((s) => s.name),
        agentFiltered: agentFiltered.map((s) => s.name),
        notInjected: hidden.map((s) => ({ name: s.name, reason: "disable-model-invocation" })),
        missingRequirements: missing.map((s) => ({ name: s.name, missing: s.missing, install: s.install })),
      },
      null,
      2,
    );
  }
  const lines = ["Skills Status Check", `Agent: ${report.agentId}`, "", `Total: ${all.length}`];
  lines.push(`✓ Eligible: ${eligible.length}`, `✓ Visible to model: ${modelVisible.length}`);
  lines.push(`✓ Available as command: ${commandVisible.length}`, `Disabled: ${disabled.length}`);
  lines.push(`Blocked by allowlist: ${blocked.length}`, `Excluded by agent allowlist: ${agentFiltered.length}`);
  if (hidden.length > 0) lines.push(`△ Ready but hidden from model prompt: ${hidden.length}`);
  lines.push(`✗ Missing requirements: ${missing.length}`);
  if (modelVisible.length > 0 || commandVisible.length > 0 || hidden.length > 0) {
    lines.push("", "What this means:", "  Eligible: installed and requirements pass; the agent may still exclude it.");
    if (modelVisible.length > 0) {
      lines.push("  Visible to model: the agent can see the skill instructions during normal chat.");
    }
    if (commandVisible.length > 0) {
      lines.push("  Available as command: people, scripts, or automations can call the skill explicitly.");
    }
    if (hidden.length > 0) lines.push("  Hidden from model prompt: installed and ready, but kept out of normal chat.");
  }
  const section = (title: string, list: SkillStatus[], note: (s: SkillStatus) => string) => {
    if (list.length === 0) return;
    lines.push("", title, ...list.map((s) => `  ${named(s)}${note(s)}`));
  };
  section("Ready and visible to model:", modelVisible, () => "");
  section(
    "Ready but hidden from model prompt:",
    hidden,
    (s) =>
      s.commandVisible
        ? " (skill hides its instructions from the model; commands/cron may still use it)"
        : " (skill hides its instructions from the model and is not exposed as a command)",
  );
  section(
    "Excluded by agent allowlist:",
    agentFiltered,
    () => " (loaded, but this agent is not allowed to see/use it)",
  );
  section("Missing requirements:", missing, (s) => ` (${missingSummary(s)})`);
  return lines.join("\n") + HINT;
}

/** Runs one skills subcommand; exit 1 for an unknown agent or skill. */
export async function skillsCommand(
  action: "list" | "info" | "check",
  name: string | undefined,
  options: SkillsOptions,
): Promise<number> {
  const report = await loadReport(options);
  if (typeof report === "string") {
    printError(report);
    return 1;
  }
  if (action === "list") printLine(formatSkillsList(report, options));
  else if (action === "check") printLine(formatSkillsCheck(report, options));
  else {
    printLine(formatSkillInfo(report, name ?? "", options));
    if (!findSkillStatus(report.skills, name ?? "")) return 1;
  }
  return 0;
}
