// `openclaw models status [--json|--plain] [--check]` (and bare `openclaw models`): the report of
// models_status_report.ts printed as the reference prints it (recorded against 2026.9.6): labels
// padded to 14, the auth overview, route issues, and `--check`'s exit code.
import { pathExists, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { shortHome } from "./config_common.ts";
import { checkOutputFlags, failGenerically, loadModelsContext, runModels } from "./models_common.ts";
import { StatusNotServed, statusReport } from "./models_status_report.ts";
import { modelStatusFacts } from "../../config/model_status_facts.ts";
import { resolveAgents } from "../../config/resolve_agents.ts";

/** Flags of `models status`. */
export interface ModelsStatusFlags extends GlobalOptions {
  json?: boolean;
  plain?: boolean;
  check?: boolean;
}

type Report = ReturnType<typeof statusReport>["report"];

function label(text: string): string {
  return text.padEnd(14);
}

/** The reference's text report. */
export function statusLines(report: Report, short: (path: string) => string): string[] {
  const aliases = Object.entries(report.aliases);
  const fallbackLine = (list: string[]) => list.length ? list.join(", ") : "-";
  const display = report.defaultModel !== report.resolvedDefault
    ? `${report.resolvedDefault} (from ${report.defaultModel})`
    : report.resolvedDefault;
  const lines = [
    `${label("Config")}: ${short(report.configPath)}`,
    `${label("Agent dir")}: ${short(report.agentDir)}`,
    `${label("Default")}: ${display}`,
    `${label(`Fallbacks (${report.fallbacks.length})`)}: ${fallbackLine(report.fallbacks)}`,
    `${label("Utility model")}: -`,
    `${label("Image model")}: ${report.imageModel ?? "-"}`,
    `${label(`Image fallbacks (${report.imageFallbacks.length})`)}: ${fallbackLine(report.imageFallbacks)}`,
    `${label(`Aliases (${aliases.length})`)}: ${
      aliases.length ? aliases.map(([alias, target]) => `${alias} -> ${target}`).join(", ") : "-"
    }`,
    `${label(`Allowed models (${report.allowed.length})`)}: ${
      report.allowed.length ? report.allowed.join(", ") : "all"
    }`,
    "",
    "Auth overview",
    `${label("Auth store")}: ${short(report.auth.storePath)}`,
    `${label("Shell env")}: off`,
    `${label("Providers w/ OAuth/tokens (0)")}: -`,
  ];
  for (const entry of report.auth.providers) {
    const bits = [`effective=${entry.effective.kind}:${entry.effective.detail}`];
    if (entry.modelsJson) bits.push(`models.json=${entry.modelsJson.value} | source=${entry.modelsJson.source}`);
    lines.push(`- ${entry.provider} ${bits.join(" | ")}`);
  }
  const issues = report.auth.modelRouteIssues;
  if (issues.length > 0) {
    lines.push("", "Model route issues");
    for (const issue of issues) lines.push(`- ${issue.provider}/${issue.model} [indeterminate] ${issue.message}`);
  }
  lines.push("", "OAuth/token status", "- none");
  return lines;
}

/** Runs `models status`: the report, its lines or the resolved default; `--check` sets the exit code. */
export function modelsStatus(flags: ModelsStatusFlags): Promise<number> {
  return runModels(async () => {
    checkOutputFlags(flags);
    const context = await loadModelsContext(flags);
    const { stateDir } = resolvePaths({ env: context.env, profile: flags.profile, dev: flags.dev });
    const short = (path: string) => shortHome(path, context.env);
    let built: ReturnType<typeof statusReport>;
    try {
      built = statusReport({
        configPath: context.path,
        agentDir: `${stateDir}/agents/${resolveAgents(context.snapshot.config, stateDir).defaultAgentId}/agent`,
        authored: context.tree,
        facts: modelStatusFacts(context.snapshot.config),
        short,
        exists: pathExists,
      });
    } catch (error) {
      if (error instanceof StatusNotServed) return failGenerically(error.message, flags.json);
      throw error;
    }
    if (flags.json) printJson(built.report);
    else if (flags.plain) printLine(built.report.resolvedDefault);
    else for (const line of statusLines(built.report, short)) printLine(line);
    return flags.check ? built.check : 0;
  }, flags.json);
}
