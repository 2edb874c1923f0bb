// The config schema's cross-field checks, in a module without zod: the schema files attach them
// (`.superRefine`, `.refine`, `z.preprocess`), and the generated accept-only check
// (src/config/checks/raw_config_check.ts, tools/gen_config_check.ts) calls the very same functions,
// so a config the check accepts passed the same refinements zod would run, without loading zod.

import { isJsonObject } from "../log/json_object.ts";
import { parseDurationMs } from "./duration_text.ts";
import { isAbsolutePath } from "./posix_path.ts";

/** One issue a refinement reports (zod's custom issue, as far as these checks word it). */
export type RefinementIssue = {
  code: "custom";
  path: (string | number)[];
  message: string;
  input?: unknown;
};

/** What a refinement reports to: zod's refinement context, or the generated check's stand-in. */
export interface RefinementSink {
  addIssue(issue: RefinementIssue): void;
}

/** What a preprocess step reports to: zod's payload, or the generated check's stand-in. */
export interface PreprocessSink {
  issues: unknown[];
}

/** A transform module path: relative, no `~`, no `:` (URLs, drives), no `..` segment; as the reference checks it. */
export function isSafeRelativeModulePath(raw: string): boolean {
  const value = raw.trim();
  if (!value || isAbsolutePath(value) || value.startsWith("~") || value.includes(":")) return false;
  return !value.split(/[\\/]+/g).some((part) => part === "..");
}

/** The parts of a hook mapping the hooks refinement reads. */
interface HookMappingView {
  action?: string | undefined;
  sessionMode?: string | undefined;
  sessionKey?: string | undefined;
  transform?: unknown;
}

/** The reference's cross-field check: a persistent agent mapping needs a key from somewhere. */
export function refineHooks(
  hooks: { defaultSessionKey?: string | undefined; mappings?: HookMappingView[] | undefined },
  ctx: RefinementSink,
): void {
  const hasDefault = hooks.defaultSessionKey?.trim();
  for (const [index, mapping] of (hooks.mappings ?? []).entries()) {
    if (
      (mapping.action ?? "agent") === "agent" && mapping.sessionMode === "persistent" &&
      !mapping.sessionKey?.trim() && !hasDefault && !mapping.transform
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["mappings", index, "sessionKey"],
        message: "persistent hook mappings require sessionKey, hooks.defaultSessionKey, or a transform",
      });
    }
  }
}

/** The reference's check that HTTP mode has a signing secret, at the root or on each HTTP account. */
export function checkSlackSigningSecret(value: unknown, ctx: RefinementSink): void {
  const section = isJsonObject(value) ? value : {};
  if (section.enabled === false) return;
  const baseMode = section.mode ?? "socket";
  const accounts = isJsonObject(section.accounts) ? section.accounts : {};
  if (baseMode === "http" && Object.keys(accounts).length === 0 && section.signingSecret === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["signingSecret"],
      message: 'channels.slack.mode="http" requires channels.slack.signingSecret',
    });
  }
  for (const [id, raw] of Object.entries(accounts)) {
    const account = isJsonObject(raw) ? raw : {};
    if (account.enabled === false || (account.mode ?? baseMode) !== "http") continue;
    if ((account.signingSecret ?? section.signingSecret) === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["accounts", id, "signingSecret"],
        message:
          'channels.slack.accounts.*.mode="http" requires channels.slack.signingSecret or channels.slack.accounts.*.signingSecret',
      });
    }
  }
}

/**
 * The reference's validation of DM access: an allowlist needs entries, `open` needs `"*"`. It reads
 * a section or account whose fields the account schema already validated (refinements run only then).
 */
function checkDmAccess(value: unknown, path: (string | number)[], ctx: RefinementSink): void {
  const fields = isJsonObject(value) ? value : {};
  const allowFrom = Array.isArray(fields.allowFrom) ? fields.allowFrom : [];
  if (fields.dmPolicy === "allowlist" && allowFrom.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "allowFrom"],
      message: 'dmPolicy "allowlist" with an empty allowFrom blocks every DM; add sender ids or use "pairing"',
    });
  }
  if (fields.dmPolicy === "open" && !allowFrom.map(String).includes("*")) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "allowFrom"],
      message: 'dmPolicy "open" requires allowFrom to include "*" (say explicitly that anyone may DM the bot)',
    });
  }
}

/** A channel section's DM access, at the root and on each account merged over the root. */
export function refineChannelSection(section: Record<string, unknown>, ctx: RefinementSink): void {
  checkDmAccess(section, [], ctx);
  const accounts = isJsonObject(section.accounts) ? section.accounts : {};
  for (const [id, account] of Object.entries(accounts)) {
    // Omitted account fields inherit the root, so check the merged view.
    checkDmAccess({ ...section, ...(isJsonObject(account) ? account : {}) }, ["accounts", id], ctx);
  }
}

/**
 * The `cron` section, as far as it is validated: `sessionRetention` is a duration string or `false`,
 * and a string that is no duration (a negative one included) is refused with the reference's words.
 */
export function refineCron(value: unknown, ctx: RefinementSink): void {
  if (!isJsonObject(value) || value.sessionRetention === undefined || value.sessionRetention === false) return;
  const raw = value.sessionRetention;
  if (typeof raw !== "string") {
    ctx.addIssue({ code: "custom", path: ["sessionRetention"], message: "expected a duration string or false" });
  } else if (parseDurationMs(raw, "h") === undefined) {
    ctx.addIssue({ code: "custom", path: ["sessionRetention"], message: "invalid duration (use ms, s, m, h, d)" });
  }
}

/** The reference's one reserved server name (a map key that would poison plain objects). */
export const RESERVED_MCP_SERVER_NAME = "__proto__";

/** `mcp.servers`, checked before parsing: a parsed record would have dropped the reserved key silently. */
export function checkReservedMcpServerName(value: unknown, ctx: PreprocessSink): unknown {
  if (value !== null && typeof value === "object" && Object.hasOwn(value, RESERVED_MCP_SERVER_NAME)) {
    ctx.issues.push({
      code: "custom",
      path: [RESERVED_MCP_SERVER_NAME],
      message: 'MCP server name "__proto__" is reserved; rename the server',
      input: value,
    });
  }
  return value;
}
