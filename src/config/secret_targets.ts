// The credential places of openclaw.json that `secrets audit` scans and `secrets apply` may rewrite: the
// reference's SecretRef credential surface (docs/reference/secretref-credential-surface), in its
// registry order, which is the order the audit reports findings in. Channel places are those whose
// secret contract the reference ships with its bundle (Telegram); the others it does not audit.
import { isJsonObject } from "../log/json_object.ts";

/** One registered credential place. */
export interface SecretTargetEntry {
  /** The registry id, e.g. `models.providers.*.apiKey`. */
  id: string;
  /** The plan `type` (the id without `*` segments where the reference names it so). */
  type: string;
  /** Other plan `type` names the reference accepts for it. */
  typeAliases: readonly string[];
  /** Dot pattern; `*` matches any one key. */
  pattern: readonly string[];
  /** Which path segment names the provider (findings carry it as `provider`). */
  providerIndex?: number | undefined;
  /** Which path segment names the channel account (`accountId` of a plan target). */
  accountIndex?: number | undefined;
  /** Whether an auth-profile credential for this provider shadows the ref (models apiKey only). */
  trackShadowing?: boolean | undefined;
}

/** A credential place found in a config, with what it holds. */
export interface SecretTarget {
  entry: SecretTargetEntry;
  path: string;
  segments: string[];
  value: unknown;
  providerId: string | undefined;
}

function entry(id: string, extra: Partial<SecretTargetEntry> = {}): SecretTargetEntry {
  return { id, type: id, typeAliases: [], pattern: id.split("."), ...extra };
}

/** `models.providers.*.<suffix>`: its plan type drops the `*`, and the pattern itself is an alias. */
function modelEntry(suffix: string): SecretTargetEntry {
  const id = `models.providers.*.${suffix}`;
  return entry(id, {
    type: id.split(".").filter((s) => s !== "*").join("."),
    typeAliases: [id],
    providerIndex: 2,
    trackShadowing: suffix === "apiKey",
  });
}

function ttsEntries(prefix: string): SecretTargetEntry[] {
  return ["providers.*", "personas.*.providers.*"].map((provider) => {
    const id = `${prefix}.${provider}.apiKey`;
    return entry(id, { providerIndex: id.split(".").length - 2 });
  });
}

const TLS_FIELDS = ["ca", "cert", "key", "passphrase"];

const PLUGIN_TARGETS = [
  "plugins.entries.acpx.config.mcpServers.*.env.*",
  "plugins.entries.brave.config.webSearch.apiKey",
  "plugins.entries.codex.config.appServer.authToken",
  "plugins.entries.codex.config.appServer.headers.*",
  "plugins.entries.comfy.config.headers.*",
  "plugins.entries.exa.config.webSearch.apiKey",
  "plugins.entries.facetime.config.realtime.providers.*.apiKey",
  "plugins.entries.firecrawl.config.webFetch.apiKey",
  "plugins.entries.firecrawl.config.webSearch.apiKey",
  "plugins.entries.google-meet.config.realtime.providers.*.apiKey",
  "plugins.entries.google.config.webSearch.apiKey",
  "plugins.entries.google.config.webSearch.headers.*",
  "plugins.entries.imap.config.accounts.*.password",
  "plugins.entries.minimax.config.webSearch.apiKey",
  "plugins.entries.moonshot.config.webSearch.apiKey",
  "plugins.entries.parallel.config.webSearch.apiKey",
  "plugins.entries.perplexity.config.webSearch.apiKey",
  "plugins.entries.tavily.config.webSearch.apiKey",
  "plugins.entries.xai.config.webSearch.apiKey",
];

function channelEntries(channel: string, fields: string[]): SecretTargetEntry[] {
  return [
    ...fields.map((field) => entry(`channels.${channel}.accounts.*.${field}`, { accountIndex: 3 })),
    ...fields.map((field) => entry(`channels.${channel}.${field}`)),
  ];
}

/** The openclaw.json credential places in the reference's registry order. */
export const CONFIG_SECRET_TARGETS: readonly SecretTargetEntry[] = [
  entry("memory.search.remote.apiKey"),
  entry("agents.entries.*.memory.search.remote.apiKey"),
  entry("cron.webhookToken"),
  entry("gateway.auth.token"),
  entry("gateway.auth.password"),
  entry("gateway.remote.password"),
  entry("gateway.remote.token"),
  ...ttsEntries("tts"),
  ...ttsEntries("agents.entries.*.tts"),
  modelEntry("apiKey"),
  modelEntry("headers.*"),
  modelEntry("request.headers.*"),
  modelEntry("request.auth.token"),
  modelEntry("request.auth.value"),
  ...TLS_FIELDS.map((field) => modelEntry(`request.proxy.tls.${field}`)),
  ...TLS_FIELDS.map((field) => modelEntry(`request.tls.${field}`)),
  entry("skills.entries.*.apiKey", { type: "skills.entries.apiKey", typeAliases: ["skills.entries.*.apiKey"] }),
  entry("talk.providers.*.apiKey", { providerIndex: 2 }),
  entry("talk.realtime.providers.*.apiKey", { providerIndex: 3 }),
  ...PLUGIN_TARGETS.map((id) => entry(id)),
  ...channelEntries("telegram", ["botToken", "webhookSecret"]),
];

/** Every place in `config` a registered credential may sit, in registry order then key order. */
export function discoverSecretTargets(config: Readonly<Record<string, unknown>>): SecretTarget[] {
  const found: SecretTarget[] = [];
  for (const target of CONFIG_SECRET_TARGETS) {
    walk(config, target.pattern, [], (segments, value) => {
      found.push({
        entry: target,
        path: segments.join("."),
        segments,
        value,
        providerId: target.providerIndex === undefined ? undefined : segments[target.providerIndex],
      });
    });
  }
  return found;
}

function walk(
  node: unknown,
  pattern: readonly string[],
  at: string[],
  visit: (segments: string[], value: unknown) => void,
): void {
  if (pattern.length === 0) {
    if (node !== undefined) visit(at, node);
    return;
  }
  if (!isJsonObject(node)) return;
  const [head, ...rest] = pattern;
  if (head === "*") {
    for (const [key, child] of Object.entries(node)) walk(child, rest, [...at, key], visit);
  } else if (head !== undefined && Object.hasOwn(node, head)) {
    walk(node[head], rest, [...at, head], visit);
  }
}

/** The registered place a plan target names, when `type` and `segments` agree with one; else undefined. */
export function matchSecretTarget(type: string, segments: readonly string[]): SecretTargetEntry | undefined {
  return CONFIG_SECRET_TARGETS.find((target) =>
    (target.type === type || target.typeAliases.includes(type)) &&
    target.pattern.length === segments.length &&
    target.pattern.every((part, index) => part === "*" || part === segments[index])
  );
}
