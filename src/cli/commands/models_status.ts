// `openclaw models status [--json|--plain] [--check]` (and bare `openclaw models`): the report of
// models_status_report.ts printed as the reference prints it (recorded against 2026.9.6): labels
// padded to 14, the auth overview with the auth-profile store onboard writes, route issues, missing
// auth, the OAuth/token profiles, and `--check`'s exit code.
import { pathExists, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { shortHome } from "./config_common.ts";
import { checkOutputFlags, failGenerically, loadModelsContext, runModels } from "./models_common.ts";
import { recoveryHint, StatusNotServed, statusReport } from "./models_status_report.ts";
import { modelStatusFacts } from "../../config/model_status_facts.ts";
import { resolveAgents } from "../../config/resolve_agents.ts";
import { AuthProfileStoreError } from "../../state/auth_profile_store.ts";
import { readAuthStore } from "./models_auth_store.ts";

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

/** The reference's formatRemainingShort: minutes, hours under two days, else days. */
export function remainingShort(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "unknown";
  if (ms <= 0) return "0m";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "1m";
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.round(hours / 24)}d`;
}

/** The reference's text report. */
export function statusLines(report: Report, short: (path: string) => string): string[] {
  const aliases = Object.entries(report.aliases);
  const fallbackLine = (list: string[]) => list.length ? list.join(", ") : "-";
  const display = report.defaultModel !== report.resolvedDefault
    ? `${report.resolvedDefault} (from ${report.defaultModel})`
    : report.resolvedDefault;
  const utility = report.utilityModel.ref
    ? `${report.utilityModel.ref}${report.utilityModel.source === "provider-default" ? " (provider default)" : ""}`
    : "-";
  const withTokens = report.auth.providersWithOAuth;
  const lines = [
    `${label("Config")}: ${short(report.configPath)}`,
    `${label("Agent dir")}: ${short(report.agentDir)}`,
    `${label("Default")}: ${display}`,
    `${label(`Fallbacks (${report.fallbacks.length})`)}: ${fallbackLine(report.fallbacks)}`,
    `${label("Utility model")}: ${utility}`,
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
    `${label(`Providers w/ OAuth/tokens (${withTokens.length})`)}: ${withTokens.length ? withTokens.join(", ") : "-"}`,
  ];
  for (const entry of report.auth.providers) {
    const bits = [`effective=${entry.effective.kind}:${entry.effective.detail}`];
    const p = entry.profiles;
    if (p.count > 0) {
      bits.push(`profiles=${p.count} (${p.oauth} oauth, ${p.token} token, ${p.apiKey} api-key)`);
      if (p.labels.length > 0) bits.push(p.labels.join(", "));
    }
    if (entry.env) bits.push(`env=${entry.env.value} | source=${entry.env.source}`);
    if (entry.modelsJson) bits.push(`models.json=${entry.modelsJson.value} | source=${entry.modelsJson.source}`);
    lines.push(`- ${entry.provider} ${bits.join(" | ")}`);
  }
  const issues = report.auth.modelRouteIssues;
  if (issues.length > 0) {
    lines.push("", "Model route issues");
    for (const issue of issues) lines.push(`- ${issue.provider}/${issue.model} [indeterminate] ${issue.message}`);
  }
  if (report.auth.missingProvidersInUse.length > 0) {
    lines.push("", "Missing auth");
    for (const provider of report.auth.missingProvidersInUse) lines.push(`- ${provider} ${recoveryHint(provider)}`);
  }
  lines.push("", "OAuth/token status");
  const tokens = report.auth.oauth.profiles.filter((p) => p.type === "oauth" || p.type === "token");
  if (tokens.length === 0) lines.push("- none");
  const byProvider = Map.groupBy(tokens, (p) => p.provider);
  for (const [provider, profiles] of byProvider) {
    lines.push(`- ${provider}`);
    for (const profile of profiles) {
      const status = profile.status === "missing" ? "unknown" : profile.status;
      const expiry = profile.status === "static"
        ? ""
        : profile.expiresAt
        ? ` expires in ${remainingShort(profile.remainingMs)}`
        : " expires unknown";
      lines.push(`  - ${profile.label || profile.profileId} ${status}${expiry}`);
    }
  }
  return lines;
}

/** Runs `models status`: the report, its lines or the resolved default; `--check` sets the exit code. */
export function modelsStatus(flags: ModelsStatusFlags): Promise<number> {
  return runModels(async () => {
    checkOutputFlags(flags);
    const context = await loadModelsContext(flags);
    const { stateDir, home } = resolvePaths({ env: context.env, profile: flags.profile, dev: flags.dev });
    const short = (path: string) => shortHome(path, context.env);
    const env = (name: string) => context.env[name];
    let built: ReturnType<typeof statusReport>;
    try {
      const { store, storePath } = readAuthStore(stateDir);
      built = statusReport({
        configPath: context.path,
        agentDir: `${stateDir}/agents/${resolveAgents(context.snapshot.config, stateDir, home).defaultAgentId}/agent`,
        authored: context.tree,
        facts: modelStatusFacts(context.snapshot.config, env),
        short,
        exists: pathExists,
        store,
        storePath,
        env,
        now: Date.now(),
      });
    } catch (error) {
      if (error instanceof StatusNotServed) return failGenerically(error.message, flags.json);
      // The reference's words for a store it cannot read, naming the row and why (never its content).
      if (error instanceof AuthProfileStoreError) return failGenerically(error.message, flags.json);
      throw error;
    }
    if (flags.json) printJson(built.report);
    else if (flags.plain) printLine(built.report.resolvedDefault);
    else for (const line of statusLines(built.report, short)) printLine(line);
    return flags.check ? built.check : 0;
  }, flags.json);
}
