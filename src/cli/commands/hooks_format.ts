// What `openclaw hooks list|info|check` print, as the reference prints them without a terminal:
// no colours and no decorative emoji (a hook's own emoji stays), its table, details and summary,
// and its `--json` shapes (list: a projection of `hooks.status`; info: the hook plus
// `eligible`/`disabled`; check: counts and names).
import type { HooksReport, HookStatus } from "../../server/local_hooks.ts";
import { renderTable, tableWidth } from "../table.ts";

/** The flags the formatters read. */
export interface HooksFormatOptions {
  json?: boolean | undefined;
  eligible?: boolean | undefined;
  verbose?: boolean | undefined;
}

const GROUPS: readonly [keyof HookStatus["missing"], string][] = [
  ["bins", "Binaries"],
  ["anyBins", "Any binary"],
  ["env", "Environment"],
  ["config", "Config"],
  ["os", "OS"],
];

/** The reason a blocked hook shows, `missing` standing for missing requirements. */
function blockedReason(hook: HookStatus, missingWord: string): string {
  return hook.blockedReason && hook.blockedReason !== "missing requirements" ? hook.blockedReason : missingWord;
}

function statusCell(hook: HookStatus): string {
  if (hook.loadable) return "✓ ready";
  if (!hook.enabledByConfig) return "disabled";
  return `✗ ${blockedReason(hook, "missing")}`;
}

const named = (hook: HookStatus) => hook.emoji ? `${hook.emoji} ${hook.name}` : hook.name;

/** `bins: a, b` per group with something missing. */
function missingGroups(hook: HookStatus): string[] {
  return GROUPS.filter(([key]) => hook.missing[key].length > 0).map(([key]) =>
    `${key}: ${hook.missing[key].join(", ")}`
  );
}

/** The missing requirements in one line, led by a block reason other than them (as `enable` and `-v` say it). */
export function missingSummary(hook: HookStatus, limit?: number): string {
  const groups = GROUPS.filter(([key]) => hook.missing[key].length > 0).map(([key]) =>
    `${key}: ${sample(hook.missing[key], limit)}`
  );
  if (hook.enabledByConfig && hook.blockedReason && hook.blockedReason !== "missing requirements") {
    groups.unshift(hook.blockedReason);
  }
  return groups.join("; ");
}

/** The reference's short list: the first `limit` entries and `(+N)` for the rest. */
export function sample(entries: readonly string[], limit?: number): string {
  if (limit === undefined || entries.length <= limit) return entries.join(", ");
  return `${entries.slice(0, limit).join(", ")} (+${entries.length - limit})`;
}

/** `hooks list`: the table (or `--json`). */
export function formatHooksList(report: HooksReport, options: HooksFormatOptions): string {
  const hooks = options.eligible ? report.hooks.filter((hook) => hook.loadable) : report.hooks;
  if (options.json) {
    return JSON.stringify(
      {
        workspaceDir: report.workspaceDir,
        managedHooksDir: report.managedHooksDir,
        hooks: hooks.map((hook) => ({
          name: hook.name,
          description: hook.description,
          emoji: hook.emoji,
          eligible: hook.loadable,
          disabled: !hook.enabledByConfig,
          enabledByConfig: hook.enabledByConfig,
          requirementsSatisfied: hook.requirementsSatisfied,
          loadable: hook.loadable,
          blockedReason: hook.blockedReason,
          source: hook.source,
          pluginId: hook.pluginId,
          events: hook.events,
          unknownEvents: hook.unknownEvents,
          homepage: hook.homepage,
          missing: hook.missing,
          managedByPlugin: hook.managedByPlugin,
        })),
      },
      null,
      2,
    );
  }
  if (hooks.length === 0) {
    return options.eligible
      ? "No eligible hooks found. Run `openclaw hooks list` to see all hooks."
      : "No hooks found.";
  }
  const columns = [
    { key: "Status", header: "Status", minWidth: 10 },
    { key: "Hook", header: "Hook", minWidth: 18, flex: true },
    { key: "Description", header: "Description", minWidth: 24, flex: true },
    { key: "Source", header: "Source", minWidth: 12, flex: true },
    ...(options.verbose ? [{ key: "Missing", header: "Missing", minWidth: 18, flex: true }] : []),
  ];
  const rows = hooks.map((hook) => ({
    Status: statusCell(hook),
    Hook: named(hook),
    Description: hook.description,
    Source: hook.managedByPlugin ? `plugin:${hook.pluginId ?? "unknown"}` : hook.source,
    Missing: options.verbose ? missingSummary(hook) : "",
  }));
  const ready = hooks.filter((hook) => hook.loadable).length;
  const table = renderTable({ columns, rows, width: tableWidth() }).trimEnd();
  return `Hooks (${ready}/${hooks.length} ready)\n${table}`;
}

/** A path for people: under `home` as `~/…`. */
function shortHome(path: string, home: string | undefined): string {
  if (!home) return path;
  return path === home ? "~" : path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** `hooks info <name>`: the details (or `--json`); `hook` undefined for a name nothing matched. */
export function formatHookInfo(
  hook: HookStatus | undefined,
  name: string,
  options: HooksFormatOptions & { home?: string | undefined },
): string {
  if (!hook) {
    if (options.json) {
      return JSON.stringify(
        { ok: false, error: { type: "cli_error", message: `Hook "${name}" not found.` }, hook: name },
        null,
        2,
      );
    }
    return `Hook "${name}" not found. Run \`openclaw hooks list\` to see available hooks.`;
  }
  if (options.json) {
    return JSON.stringify({ ...hook, eligible: hook.loadable, disabled: !hook.enabledByConfig }, null, 2);
  }
  const reason = blockedReason(hook, "missing requirements");
  const status = hook.loadable
    ? "✓ Ready"
    : !hook.enabledByConfig
    ? "Disabled"
    : `✗ ${reason.charAt(0).toUpperCase()}${reason.slice(1)}`;
  const lines = [`${hook.emoji ? `${hook.emoji} ` : ""}${hook.name} ${status}`, "", hook.description, "", "Details:"];
  lines.push(
    hook.managedByPlugin ? `  Source: ${hook.source} (${hook.pluginId ?? "unknown"})` : `  Source: ${hook.source}`,
  );
  lines.push(
    `  Path: ${shortHome(hook.filePath, options.home)}`,
    `  Handler: ${shortHome(hook.handlerPath, options.home)}`,
  );
  if (hook.homepage) lines.push(`  Homepage: ${hook.homepage}`);
  if (hook.events.length > 0) lines.push(`  Events: ${hook.events.join(", ")}`);
  if (hook.unknownEvents.length > 0) {
    const plural = hook.unknownEvents.length === 1 ? "" : "s";
    lines.push(`  ⚠ Event${plural} not emitted by core (likely typo): ${hook.unknownEvents.join(", ")}`);
  }
  if (hook.managedByPlugin) lines.push("  Managed by plugin; enable/disable via hooks CLI not available.");
  if (hook.blockedReason) lines.push(`  Blocked reason: ${hook.blockedReason}`);
  const groups = GROUPS.filter(([key]) => hook.requirements[key].length > 0);
  if (groups.length > 0) {
    lines.push("", "Requirements:");
    const mark = (value: string, ok: boolean) => `${ok ? "✓" : "✗"} ${value}`;
    for (const [key, label] of groups) {
      const required = hook.requirements[key];
      const missing = hook.missing[key];
      const text = key === "anyBins" || key === "os"
        ? mark(`(${key === "anyBins" ? "any of: " : ""}${required.join(", ")})`, missing.length === 0)
        : key === "config"
        ? hook.configChecks.map((check) => mark(check.path, check.satisfied)).join(", ")
        : required.map((value) => mark(value, !missing.includes(value))).join(", ");
      lines.push(`  ${label}: ${text}`);
    }
  }
  return lines.join("\n");
}

/** `hooks check`: counts and the hooks not ready (or `--json`). */
export function formatHooksCheck(report: HooksReport, options: HooksFormatOptions): string {
  const eligible = report.hooks.filter((hook) => hook.loadable);
  const notEligible = report.hooks.filter((hook) => !hook.loadable);
  if (options.json) {
    return JSON.stringify(
      {
        total: report.hooks.length,
        eligible: eligible.length,
        notEligible: notEligible.length,
        hooks: {
          eligible: eligible.map((hook) => hook.name),
          notEligible: notEligible.map((hook) => ({
            name: hook.name,
            blockedReason: hook.blockedReason,
            missing: hook.missing,
          })),
        },
      },
      null,
      2,
    );
  }
  const lines = ["Hooks Status", "", `Total hooks: ${report.hooks.length}`, `Ready: ${eligible.length}`];
  lines.push(`Not ready: ${notEligible.length}`);
  if (notEligible.length > 0) {
    lines.push("", "Hooks not ready:");
    for (const hook of notEligible) {
      const reasons = missingGroups(hook);
      if (hook.blockedReason && hook.blockedReason !== "missing requirements") reasons.unshift(hook.blockedReason);
      lines.push(`  ${named(hook)} - ${reasons.join("; ")}`);
    }
  }
  return lines.join("\n");
}
