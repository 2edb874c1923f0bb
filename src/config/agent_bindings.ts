// Routing bindings (`bindings[]`, type `route`) as `openclaw agents bind|unbind|bindings` read and
// edit them (recorded against OpenClaw 2026.9.6): the `--bind <channel[:accountId]>` format, the
// match key (a missing account is the literal `default`), the in-place upgrade of a channel-only
// binding to an account-scoped one, conflicts with another agent's binding. Pure.
import { isJsonObject } from "../log/json_object.ts";
import { normalizeAgentId } from "./agent_roster.ts";
import { listAccountIds } from "./channel_edit.ts";
import { chatChannelId } from "./chat_channels.ts";

/** A route binding as written. */
export interface RouteBinding {
  type?: string;
  agentId: string;
  match: Record<string, unknown> & { channel: string; accountId?: string };
  [key: string]: unknown;
}

/** A binding another agent already holds. */
export interface BindingConflict {
  binding: RouteBinding;
  existingAgentId: string;
}

function isRoute(binding: unknown): binding is RouteBinding {
  if (!isJsonObject(binding) || !isJsonObject(binding.match)) return false;
  const type = typeof binding.type === "string" ? binding.type.trim().toLowerCase() : "";
  return type === "" || type === "route";
}

/** The route bindings of a config, legacy ones without `type` included. */
export function routeBindings(tree: Record<string, unknown>): RouteBinding[] {
  return Array.isArray(tree.bindings) ? tree.bindings.filter(isRoute) : [];
}

function otherBindings(tree: Record<string, unknown>): unknown[] {
  return Array.isArray(tree.bindings) ? tree.bindings.filter((binding) => !isRoute(binding)) : [];
}

/** One binding as the reference's lines show it: `telegram accountId=ops peer=dm:1`. */
export function describeBinding(binding: RouteBinding): string {
  const match = binding.match;
  const parts = [String(match.channel)];
  if (match.accountId) parts.push(`accountId=${match.accountId}`);
  const peer = match.peer;
  if (isJsonObject(peer)) parts.push(`peer=${peer.kind}:${peer.id}`);
  if (match.guildId) parts.push(`guild=${match.guildId}`);
  if (match.teamId) parts.push(`team=${match.teamId}`);
  if (Array.isArray(match.roles) && match.roles.length > 0) parts.push(`roles=${match.roles.join(",")}`);
  return parts.join(" ");
}

function identityKey(match: RouteBinding["match"]): string {
  const roles = Array.isArray(match.roles)
    ? [...new Set(match.roles.map((role) => String(role).trim()).filter(Boolean))].sort()
    : [];
  const peer = isJsonObject(match.peer) ? match.peer : {};
  return JSON.stringify([
    match.channel,
    peer.kind ?? "",
    peer.id ?? "",
    match.guildId ?? "",
    match.teamId ?? "",
    roles.join(","),
  ]);
}

function matchKey(match: RouteBinding["match"]): string {
  const account = typeof match.accountId === "string" && match.accountId.trim() !== ""
    ? match.accountId.trim()
    : "default";
  return JSON.stringify([identityKey(match), account]);
}

function hasAccount(match: RouteBinding["match"]): boolean {
  return typeof match.accountId === "string" && match.accountId.trim() !== "";
}

/**
 * Parses `--bind` values for an agent. A channel alone is scoped to every account (`*`) when the
 * channel has several accounts configured, else left without an account (the `default` account).
 */
export function parseBindingSpecs(
  tree: Record<string, unknown>,
  agentId: string,
  specs: readonly string[],
): { bindings: RouteBinding[]; errors: string[] } {
  const bindings: RouteBinding[] = [];
  const errors: string[] = [];
  for (const raw of specs) {
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const [channelRaw, accountRaw, ...extra] = trimmed.split(":");
    if (extra.length > 0) {
      errors.push(
        `Invalid binding "${trimmed}". Account id cannot contain ":". Use <channel>:<account>, for example telegram:default.`,
      );
      continue;
    }
    const channel = chatChannelId(channelRaw);
    if (!channel) {
      errors.push(
        `Unknown channel "${channelRaw}". Run \`openclaw channels list --all\` to see configured and installable channels.`,
      );
      continue;
    }
    const explicit = accountRaw?.trim();
    if (accountRaw !== undefined && !explicit) {
      errors.push(
        `Invalid binding "${trimmed}". Account id is empty. Use <channel>:<account>, for example telegram:default.`,
      );
      continue;
    }
    const accountId = explicit || (listAccountIds(tree, channel).length > 1 ? "*" : undefined);
    bindings.push({ type: "route", agentId, match: { channel, ...(accountId ? { accountId } : {}) } });
  }
  return { bindings, errors };
}

/** What adding bindings did, and the config after it (unchanged when nothing was added or updated). */
export interface ApplyBindingsResult {
  tree: Record<string, unknown>;
  added: RouteBinding[];
  updated: RouteBinding[];
  skipped: RouteBinding[];
  conflicts: BindingConflict[];
}

/** Adds bindings: present ones are skipped, another agent's are conflicts, a channel-only one of the same agent is upgraded in place. */
export function applyBindings(tree: Record<string, unknown>, bindings: readonly RouteBinding[]): ApplyBindingsResult {
  const routes = [...routeBindings(tree)];
  const owners = new Map<string, string>();
  for (const binding of routes) {
    const key = matchKey(binding.match);
    if (!owners.has(key)) owners.set(key, normalizeAgentId(binding.agentId));
  }
  const result: ApplyBindingsResult = { tree, added: [], updated: [], skipped: [], conflicts: [] };
  for (const binding of bindings) {
    const agentId = normalizeAgentId(binding.agentId);
    const key = matchKey(binding.match);
    const owner = owners.get(key);
    if (owner) {
      if (owner === agentId) result.skipped.push(binding);
      else result.conflicts.push({ binding, existingAgentId: owner });
      continue;
    }
    const upgrade = routes.findIndex((candidate) =>
      hasAccount(binding.match) && !hasAccount(candidate.match) && normalizeAgentId(candidate.agentId) === agentId &&
      identityKey(candidate.match) === identityKey(binding.match)
    );
    if (upgrade >= 0) {
      const current = routes[upgrade]!;
      const next: RouteBinding = {
        ...current,
        agentId,
        match: { ...current.match, accountId: String(binding.match.accountId).trim() },
      };
      routes[upgrade] = next;
      owners.delete(matchKey(current.match));
      owners.set(matchKey(next.match), agentId);
      result.updated.push(next);
      continue;
    }
    owners.set(key, agentId);
    result.added.push({ ...binding, agentId });
  }
  if (result.added.length > 0 || result.updated.length > 0) {
    result.tree = { ...tree, bindings: [...routes, ...result.added, ...otherBindings(tree)] };
  }
  return result;
}

/** What removing bindings did, and the config after it. */
export interface RemoveBindingsResult {
  tree: Record<string, unknown>;
  removed: RouteBinding[];
  missing: RouteBinding[];
  conflicts: BindingConflict[];
}

/** `bindings` without the given entries; the key goes when none are left. */
export function withBindings(tree: Record<string, unknown>, kept: unknown[]): Record<string, unknown> {
  const next = { ...tree };
  if (kept.length > 0) next.bindings = kept;
  else delete next.bindings;
  return next;
}

/** Removes an agent's matching bindings; one held by another agent is a conflict, an absent one is missing. */
export function removeBindings(tree: Record<string, unknown>, bindings: readonly RouteBinding[]): RemoveBindingsResult {
  const routes = routeBindings(tree);
  const gone = new Set<number>();
  const result: RemoveBindingsResult = { tree, removed: [], missing: [], conflicts: [] };
  for (const binding of bindings) {
    const wanted = normalizeAgentId(binding.agentId);
    const key = matchKey(binding.match);
    let other: string | undefined;
    const index = routes.findIndex((current, i) => {
      if (gone.has(i) || matchKey(current.match) !== key) return false;
      if (normalizeAgentId(current.agentId) === wanted) return true;
      other = normalizeAgentId(current.agentId);
      return false;
    });
    if (index >= 0) {
      gone.add(index);
      result.removed.push(routes[index]!);
    } else if (other) result.conflicts.push({ binding, existingAgentId: other });
    else result.missing.push(binding);
  }
  if (gone.size > 0) {
    result.tree = withBindings(tree, [...routes.filter((_, i) => !gone.has(i)), ...otherBindings(tree)]);
  }
  return result;
}

/** Conflicts as the reference lists them: `telegram accountId=ops (agent=work)`. */
export function conflictLines(conflicts: readonly BindingConflict[]): string[] {
  return conflicts.map((conflict) => `${describeBinding(conflict.binding)} (agent=${conflict.existingAgentId})`);
}
