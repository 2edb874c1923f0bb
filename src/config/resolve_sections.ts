import type {
  ResolvedHooks,
  ResolvedHttpEndpoints,
  ResolvedNodeCommands,
  ResolvedProxies,
  ResolvedSessionScopes,
  ResolvedToolsPolicy,
} from "./resolved.ts";
import { resolveHttpMedia } from "./resolve_http_media.ts";
import type { RawBinding, RawChannelsConfig, RawConfig } from "./schema.ts";
import { CHANNEL_SECTION_IDS } from "./raw_config_check_gen.ts";

/** `gateway.trustedProxies` (none) and `gateway.allowRealIpFallback` (off). */
export function resolveProxies(config: RawConfig): ResolvedProxies {
  const gateway = config.gateway ?? {};
  return {
    trustedProxies: gateway.trustedProxies ?? [],
    allowRealIpFallback: gateway.allowRealIpFallback ?? false,
  };
}

/** `gateway.http.endpoints`: each OpenAI-compatible route is off unless `enabled: true`. */
export function resolveHttpEndpoints(config: RawConfig): ResolvedHttpEndpoints {
  const endpoints = config.gateway?.http?.endpoints;
  return {
    chatCompletions: endpoints?.chatCompletions?.enabled === true,
    responses: endpoints?.responses?.enabled === true,
    media: resolveHttpMedia(config),
  };
}

function stringsAt(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

/** `gateway.nodes.commands.allow` and `.deny` (the rest of `gateway.nodes` is the reference's alone). */
export function resolveNodeCommands(config: RawConfig): ResolvedNodeCommands {
  const commands = (config.gateway?.nodes as { commands?: Record<string, unknown> } | undefined)?.commands;
  return { allow: stringsAt(commands?.allow), deny: stringsAt(commands?.deny) };
}

/** `gateway.nodes.pairing.autoApproveLocal`: only an explicit `false` turns silent local pairing off. */
export function resolveAutoApproveLocal(config: RawConfig): boolean {
  const pairing = (config.gateway?.nodes as { pairing?: Record<string, unknown> } | undefined)?.pairing;
  return pairing?.autoApproveLocal !== false;
}

/** `gateway.tools` as written (absent lists leave the built-in policy in force). */
export function resolveToolsPolicy(config: RawConfig): ResolvedToolsPolicy {
  return config.gateway?.tools ?? {};
}

/** The `hooks` section: off unless `enabled: true`; request session keys only when allowed. */
export function resolveHooks(config: RawConfig): ResolvedHooks {
  const hooks = config.hooks ?? {};
  return {
    enabled: hooks.enabled === true,
    path: hooks.path,
    token: hooks.token,
    allowRequestSessionKey: hooks.allowRequestSessionKey === true,
    allowedAgentIds: hooks.allowedAgentIds,
    defaultSessionKey: hooks.defaultSessionKey,
    allowedSessionKeyPrefixes: hooks.allowedSessionKeyPrefixes,
    mappings: hooks.mappings,
    presets: hooks.presets,
    transformsDir: hooks.transformsDir,
    gmail: hooks.gmail,
  };
}

/**
 * The inbound-routing sections: `channels` (validated by the schema; each channel kind parses its
 * own typed account settings from it, since config/ may not import channel code), `bindings[]`
 * and `session`.
 */
export function resolveRouting(config: RawConfig): {
  channels: RawChannelsConfig;
  bindings: readonly RawBinding[];
  session: ResolvedSessionScopes;
} {
  return { channels: config.channels ?? {}, bindings: config.bindings ?? [], session: config.session ?? {} };
}

/** The channel ids the schema knows (as generated from it, so no zod at start): the channels a sender can be paired on. */
export const PAIRABLE_CHANNELS: readonly string[] = CHANNEL_SECTION_IDS.filter((id) => id !== "defaults");

/** The pairable channels a config declares and does not disable (`enabled: false`), in the schema's order. */
export function declaredChannels(config: RawConfig): string[] {
  const sections: Record<string, unknown> = config.channels ?? {};
  return PAIRABLE_CHANNELS.filter((id) => {
    const section = sections[id];
    return Boolean(section) && !(typeof section === "object" && section !== null && "enabled" in section &&
      section.enabled === false);
  });
}
