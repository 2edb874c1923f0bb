import type { AuthMode, ReloadMode } from "./resolve.ts";

/** How a changed key is applied: nothing to do, swapped in place, or a restart. */
export type ReloadKind = "none" | "hot" | "restart";

/**
 * The one table every reload mode uses: key prefix → kind. The longest matching prefix wins and
 * `*` matches one segment; a key no rule matches needs a restart. Hot entries are what this
 * gateway can really swap while running (secrets, logging, limits, the config snapshot that
 * models and hooks read); listener and identity keys need a restart.
 */
export const RELOAD_RULES: readonly (readonly [string, ReloadKind])[] = [
  ["gateway", "restart"],
  ["gateway.reload", "none"],
  ["gateway.remote", "none"],
  ["gateway.auth.token", "hot"],
  ["gateway.auth.password", "hot"],
  ["gateway.auth.rateLimit", "hot"],
  ["gateway.auth.allowTailscale", "hot"],
  ["gateway.auth.identityScopes", "hot"],
  ["gateway.trustedProxies", "hot"],
  ["gateway.allowRealIpFallback", "hot"],
  ["gateway.tools", "hot"],
  ["gateway.cliAgents", "hot"],
  ["gateway.terminal", "hot"],
  ["gateway.roles", "hot"],
  ["gateway.nodes", "hot"],
  ["gateway.push", "hot"],
  ["gateway.http.endpoints", "hot"],
  ["gateway.http.securityHeaders", "hot"],
  ["gateway.controlUi", "hot"],
  ["gateway.controlUi.basePath", "restart"],
  ["gateway.controlUi.root", "restart"],
  ["$schema", "none"],
  ["meta", "none"],
  ["wizard", "none"],
  ["identity", "none"],
  ["ui", "none"],
  ["tui", "none"],
  ["update", "none"],
  ["discovery", "restart"],
  ["logging", "hot"],
  ["models", "hot"],
  ["agents", "hot"],
  // The reference's "none": `agents add` pins `talk.agentId` when a second agent joins.
  ["talk", "none"],
  ["agent", "hot"],
  ["hooks", "hot"],
  ["channels", "hot"],
  ["session", "hot"],
  ["messages", "hot"],
  ["tools", "hot"],
  ["bindings", "hot"],
  ["routing", "hot"],
  // The reference disposes changed MCP runtimes in place (disposeMcpRuntimes); mcp.apps restarts.
  ["mcp", "hot"],
  ["mcp.apps", "restart"],
  // The reference restarts its cron service in place (restartCron); ours reconfigures it.
  ["cron", "hot"],
  // The media sweep reads `attachments.ttlHours` per sweep (the reference: no restart).
  ["attachments", "hot"],
];

function matches(prefix: string, path: string): boolean {
  const want = prefix.split(".");
  const have = path.split(".");
  if (want.length > have.length) return false;
  return want.every((segment, i) => segment === "*" || segment === have[i]);
}

/** Classifies one changed path by the longest matching rule; unmatched means restart. */
export function classifyPath(
  path: string,
  rules: readonly (readonly [string, ReloadKind])[] = RELOAD_RULES,
): ReloadKind {
  let best: { length: number; kind: ReloadKind } | undefined;
  for (const [prefix, kind] of rules) {
    const length = prefix.split(".").length;
    if (matches(prefix, path) && (!best || length > best.length)) best = { length, kind };
  }
  return best?.kind ?? "restart";
}

/** What a reload will do. */
export type ReloadAction =
  /** Nothing changed that needs acting on. */
  | "none"
  /** Swap the hot paths in place; no restart is needed. */
  | "hot"
  /** Restart the gateway in place. */
  | "restart"
  /** `hot` mode: apply the hot paths, leave the rest for a manual restart. */
  | "hot-with-pending-restart"
  /** `off` mode: nothing is applied. */
  | "ignore";

/** A reload decision with the paths behind it. */
export interface ReloadPlan {
  action: ReloadAction;
  hot: string[];
  restart: string[];
  none: string[];
}

/**
 * Decides what a set of changed paths means under a reload mode. A token or password change is
 * hot only while the auth mode stays the same; switching modes restarts.
 */
export function planReload(input: { mode: ReloadMode; changed: string[]; authModeChanged: boolean }): ReloadPlan {
  const plan: ReloadPlan = { action: "none", hot: [], restart: [], none: [] };
  for (const path of input.changed) {
    let kind = classifyPath(path);
    if (kind === "hot" && input.authModeChanged && /^gateway\.auth\.(token|password)(\.|$)/.test(path)) {
      kind = "restart";
    }
    plan[kind].push(path);
  }
  const needsRestart = plan.restart.length > 0;
  const needsHot = plan.hot.length > 0;
  switch (input.mode) {
    case "off":
      plan.action = input.changed.length > 0 ? "ignore" : "none";
      break;
    case "restart":
      plan.action = needsRestart || needsHot ? "restart" : "none";
      break;
    case "hot":
      plan.action = needsRestart ? "hot-with-pending-restart" : needsHot ? "hot" : "none";
      break;
    case "hybrid":
      plan.action = needsRestart ? "restart" : needsHot ? "hot" : "none";
      break;
  }
  return plan;
}

/** The resolved values a reload decision reads; the runner and config.set's preview both pass these. */
export interface ReloadView {
  reload: { mode: ReloadMode };
  auth: { mode: AuthMode };
}

/**
 * Plans the reload from the config in force to the next one, both resolved (an auth mode implied
 * by a token or password counts as a mode). `requested` (SIGHUP) applies even with mode off.
 */
export function planConfigReload(input: {
  current: ReloadView;
  next: ReloadView;
  changed: string[];
  requested?: boolean | undefined;
}): ReloadPlan {
  const mode = input.next.reload.mode;
  return planReload({
    mode: input.requested && mode === "off" ? "hybrid" : mode,
    changed: input.changed,
    authModeChanged: input.current.auth.mode !== input.next.auth.mode,
  });
}

/** What a `config.apply` leaves to do after its write: whether the change needs a restart, and whether it asks for one. */
export interface ApplyRestartNeed {
  requiresRestart: boolean;
  /** The write itself schedules the restart: nothing else would apply the change. */
  scheduleRestart: boolean;
}

/**
 * The reference's rule for `config.apply` (its `resolveConfigRestartRequirement`): a change with nothing to apply
 * needs nothing; with reloading off, the write schedules a restart itself, as nothing else would apply it; a change
 * that needs a restart otherwise gets it from the reload that follows every write (or, in `hot` mode, waits for the
 * operator's); a hot change needs none.
 */
export function applyRestartNeed(plan: ReloadPlan, mode: ReloadMode | undefined): ApplyRestartNeed {
  if (plan.hot.length === 0 && plan.restart.length === 0) return { requiresRestart: false, scheduleRestart: false };
  if (mode === "off") return { requiresRestart: true, scheduleRestart: true };
  // `restart` (this gateway's mode beyond the reference's two) restarts for any change.
  return { requiresRestart: mode === "restart" || plan.restart.length > 0, scheduleRestart: false };
}
