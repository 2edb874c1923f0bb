// What the `openclaw config` commands share: the active config path, the reference's short form of
// it (`~/…`), its JSON failure envelope, its way of listing config issues and its refusal of an
// invalid config in machine form.
import { formatConfigPath } from "../../config/config_path.ts";
import type { ConfigIssue } from "../../config/errors.ts";
import { touchedVersionLine } from "../../config/touched_version.ts";
import { VERSION } from "../../version.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";

/** The environment, read once at the command's edge, and the config file it names. */
export function configTarget(options: GlobalOptions): { env: EnvSnapshot; path: string } {
  const env: EnvSnapshot = Deno.env.toObject();
  return {
    env,
    path: resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists }).configPath,
  };
}

/** A path under the home directory as `~/…`, as the reference prints paths for people. */
export function shortHome(path: string, env: EnvSnapshot): string {
  const home = env.HOME;
  if (!home) return path;
  if (path === home) return "~";
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** The reference's machine-readable failure envelope (`--json`). */
export function jsonFailure(message: string): { ok: false; error: { type: "cli_error"; message: string } } {
  return { ok: false, error: { type: "cli_error", message } };
}

/**
 * One issue as the reference lists it in text: `openclaw.json:3 — hooks.mappings[0].action: message, got: "x"`
 * (the location only when the value was found in the file; the refused value only when safe to show).
 */
export function issueLine(issue: ConfigIssue, file: string): string {
  const base = file.slice(file.lastIndexOf("/") + 1);
  const where = issue.line !== undefined ? `${base}:${issue.line} — ` : "";
  const path = issue.segments?.length ? formatConfigPath(issue.segments) : issue.path === "" ? "<root>" : issue.path;
  const received = issue.received === undefined ? "" : `, got: ${issue.received}`;
  return `${where}${path}: ${issue.message}${received}`;
}

/** A refused config as its issues list it: the issues and the file's `meta.lastTouchedVersion`. */
export interface IssueReport {
  issues: readonly ConfigIssue[];
  lastTouchedVersion?: string | undefined;
}

/**
 * The reference's text rendering of a refused config: one line per issue behind `marker` ("×", "-", or
 * "" for none), then its version-skew advice when the file was last written by a newer OpenClaw.
 */
export function issueLines(report: IssueReport, file: string, marker: string): string[] {
  const prefix = marker === "" ? "" : `${marker} `;
  const lines = report.issues.map((issue) => `${prefix}${issueLine(issue, file)}`);
  const skew = touchedVersionLine(VERSION, report.lastTouchedVersion);
  return skew === undefined ? lines : [...lines, skew];
}

/** Issues as `--json` lists them: path (`<root>` for the file), message, and the allowed values when known. */
export function issueEntries(issues: readonly ConfigIssue[]): Record<string, unknown>[] {
  return issues.map((issue) => ({
    path: issue.path.trim() === "" ? "<root>" : issue.path,
    message: issue.message,
    ...(issue.allowedValues?.length ? { allowedValues: issue.allowedValues } : {}),
    ...(issue.allowedValues?.length && issue.allowedValuesHiddenCount
      ? { allowedValuesHiddenCount: issue.allowedValuesHiddenCount }
      : {}),
  }));
}

/**
 * The reference's refusal of an invalid config before a command that reads it, in its machine form
 * (with `--json`): the envelope for stdout, with the issues, and the shorter block it prints on stderr.
 */
export function invalidConfigMachineForm(
  path: string,
  env: EnvSnapshot,
  report: IssueReport,
): { envelope: Record<string, unknown>; stderr: string } {
  return {
    envelope: {
      ...jsonFailure(`OpenClaw config is invalid: ${shortHome(path, env)}`),
      issues: issueEntries(report.issues),
    },
    stderr: [
      "OpenClaw config is invalid",
      `File: ${shortHome(path, env)}`,
      "Problem:",
      ...issueLines(report, path, "-").map((line) => `  ${line}`),
      "",
      "Fix: openclaw doctor --fix",
      "Inspect: openclaw config validate",
      "Audit, status, health, logs, tasks list/audit, and doctor commands still run with invalid config.",
    ].join("\n"),
  };
}

/**
 * The reference's refusal of a gateway start over an invalid config file: its issues without a marker,
 * the version-skew advice, and its two repair hints (the last printed as a line of its own).
 */
export function invalidConfigStartLines(file: string, report: IssueReport): string[] {
  return [
    `Gateway failed to start: Invalid config at ${file}:`,
    ...issueLines(report, file, ""),
    'Run "openclaw doctor --fix" to repair, then retry.',
    "If startup is still blocked, inspect the adjacent .bak backup before restoring it manually.",
    'Run "openclaw doctor --fix" to repair the config, then retry.',
  ];
}

/** True when the host marks the config as immutable: `OPENCLAW_CONFIG_READONLY=1` or `OPENCLAW_NIX_MODE=1`. */
export function configReadOnly(env: EnvSnapshot): boolean {
  return env.OPENCLAW_CONFIG_READONLY === "1" || env.OPENCLAW_NIX_MODE === "1";
}

/** The reference's refusal of a write to an immutable config (its Nix wording under `OPENCLAW_NIX_MODE=1`). */
export function readOnlyMessage(path: string, env: EnvSnapshot): string {
  if (env.OPENCLAW_NIX_MODE === "1") {
    return [
      "Config is managed by Nix (`OPENCLAW_NIX_MODE=1`), so OpenClaw treats openclaw.json as immutable.",
      "This usually means nix-openclaw, the first-party Nix distribution, or another Nix-managed package set this mode.",
      `Config path: ${path}`,
      "Do not run setup, onboarding, openclaw update, plugin install/update/uninstall/enable, doctor repair/token-generation, or config set against this file.",
      "Edit the Nix source for this install instead. For nix-openclaw, edit `programs.openclaw.config` or `instances.<name>.config`, then rebuild with Home Manager or NixOS.",
      "Agent-first Nix setup: https://github.com/openclaw/nix-openclaw#quick-start",
      "OpenClaw Nix overview: https://docs.openclaw.ai/install/nix",
    ].join("\n");
  }
  return [
    "Config is externally managed (`OPENCLAW_CONFIG_READONLY=1`), so OpenClaw treats openclaw.json as immutable.",
    `Config path: ${path}`,
    "Edit the config in your external deployment source, then redeploy or restart OpenClaw as needed.",
  ].join("\n");
}
