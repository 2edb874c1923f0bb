import type { HttpMediaLimits } from "./resolve_http_media.ts";
import type { ResolvedCommands } from "./resolve_commands.ts";
import type { ResolvedSessionTools } from "./resolve_session_tools.ts";
import type { GatewayPaths } from "./paths.ts";
import type { ResolvedToolSearch } from "./resolve_tool_search.ts";
import type { ResolvedToolPolicy } from "./resolve_tool_policy.ts";
import type { AgentsConfig, ModelEntry } from "./resolve_agents.ts";
import type { ResolvedMcp } from "./resolve_mcp.ts";
export type { AgentsConfig, AgentSpec, ModelEntry, ModelRef, ProviderSpec } from "./resolve_agents.ts";
import type { RawHookMapping } from "./schema_hooks.ts";
import type {
  LogLevelName,
  RawBinding,
  RawChannelsConfig,
  RawConfig,
  RawDiscordAccount,
  RawIrcAccount,
  RawSlackAccount,
  RawTelegramAccount,
  RawWhatsAppAccount,
  SecretInput,
} from "./schema.ts";

/** Bind modes, as `gateway.bind` and `--bind` spell them. */
export type BindMode = "auto" | "lan" | "loopback" | "custom" | "tailnet";
/** Auth modes, as `gateway.auth.mode` and `--auth` spell them. */
export type AuthMode = "none" | "token" | "password" | "trusted-proxy";
/** Reload modes of `gateway.reload.mode`. */
export type ReloadMode = "off" | "hot" | "restart" | "hybrid";
/** Where a resolved value came from, for `status` and `doctor` to explain. */
export type ValueSource = "flag" | "env" | "dev" | "config" | "profile" | "stored" | "default";

/** `gateway run` flags that take part in precedence, exactly as typed (strings are validated here). */
export interface GatewayFlags {
  port?: string | undefined;
  bind?: string | undefined;
  auth?: string | undefined;
  token?: string | undefined;
  password?: string | undefined;
}

/** Facts about the host that bind resolution depends on; gathered once by the caller. */
export interface HostFacts {
  inContainer: boolean;
  /** The host's address in 100.64.0.0/10, when it has one. */
  tailnetAddress: string | undefined;
}

/** One socket the gateway listens on; optional ones (like `::1`) may fail to bind silently. */
export interface ListenAddress {
  host: string;
  required: boolean;
}

/** The gateway's auth settings after precedence: secrets present or not, never re-read. */
export interface ResolvedAuth {
  mode: AuthMode;
  /** True when `gateway.auth.mode` or `--auth` named the mode. */
  modeExplicit: boolean;
  token: string | undefined;
  tokenSource: ValueSource | undefined;
  password: string | undefined;
  passwordSource: ValueSource | undefined;
  rateLimit: { maxAttempts: number; windowMs: number; lockoutMs: number; exemptLoopback: boolean };
}

/** Logging settings after precedence. */
export interface ResolvedLogging {
  level: LogLevelName;
  consoleLevel: LogLevelName;
  /** `logging.file`, when set; otherwise the daily file under `<stateDir>/logs`. */
  file: string | undefined;
  maxFileBytes: number;
}

/**
 * The config after every precedence rule and default, for every section a decision reads. The
 * `gateway` section's fields sit at the top level (as they always have); the other sections are
 * named. Built once per config snapshot by `resolveConfig`; nothing outside config/ reads the file
 * as written to decide anything.
 */
export interface ResolvedConfig {
  paths: GatewayPaths;
  port: number;
  portSource: ValueSource;
  bind: BindMode;
  bindSource: ValueSource;
  /** The primary listen host (the one in `ws://host:port`). */
  host: string;
  /** Every address to listen on, the primary first. */
  listen: ListenAddress[];
  auth: ResolvedAuth;
  reload: { mode: ReloadMode; debounceMs: number };
  logging: ResolvedLogging;
  controlUi: { enabled: boolean; basePath: string; allowedOrigins: string[] };
  /** Protocol timings; OPENCLAW_TICK_INTERVAL_MS and OPENCLAW_HANDSHAKE_TIMEOUT_MS tune them. */
  protocol: { tickIntervalMs: number; handshakeTimeoutMs: number };
  /** Connection limits (`gateway.limits.*`; docs/security.md lists each with its default). */
  limits: ResolvedLimits;
  /** `gateway.mode`, as written (the start-up guard refuses anything but "local"). */
  mode: "local" | "remote" | undefined;
  /** `gateway.trustedProxies` and `gateway.allowRealIpFallback`. */
  proxies: ResolvedProxies;
  /** `gateway.http.endpoints`: which OpenAI-compatible routes are served. */
  http: ResolvedHttpEndpoints;
  /** `gateway.tools`: the `/tools/invoke` allow and deny lists. */
  tools: ResolvedToolsPolicy;
  /** `tools.*` and each agent's `tools`: which tools runs (and `/tools/invoke`) may use. */
  toolPolicy: ResolvedToolPolicy;
  /** `tools.toolSearch`: whether runs offer the core tools plus Tool Search's controls, the rest deferred. */
  toolSearch: ResolvedToolSearch;
  /** `gateway.nodes.commands`: dangerous node commands opted into, and commands refused. */
  nodeCommands: ResolvedNodeCommands;
  /** `gateway.nodes.pairing.autoApproveLocal` (default true): trusted local clients pair without approval. */
  autoApproveLocalPairing: boolean;
  /** The `hooks` section. */
  hooks: ResolvedHooks;
  /** The `channels` section, validated; each channel kind parses its own account settings from it. */
  channels: ChannelsSection;
  /** `bindings[]`: inbound channel/account/peer → agent. */
  bindings: readonly BindingConfig[];
  /** `session.dmScope` and `session.groupScope`. */
  session: ResolvedSessionScopes;
  /** Agents and model providers (`agents`, `models.providers`). */
  agents: AgentsConfig;
  /** Every model `models.providers.<id>.models[]` lists, for `models.list`. */
  models: readonly ModelEntry[];
  /** `commands.allowFrom` and `commands.ownerAllowFrom`: who may run chat commands, who is the owner. */
  commands: ResolvedCommands;
  /** `tools.sessions.visibility` and `tools.agentToAgent`: how far the session tools reach. */
  sessionTools: ResolvedSessionTools;
  /** `mcp.servers`: the configured MCP servers, in declaration order. */
  mcp: ResolvedMcp;
}

/** The `gateway` section after precedence: the top-level fields of {@link ResolvedConfig}. */
export type ResolvedGatewayConfig = ResolvedConfig;

/** Proxy attribution settings after defaults. */
export interface ResolvedProxies {
  trustedProxies: string[];
  allowRealIpFallback: boolean;
}

/** OpenAI-compatible routes after defaults (both off unless enabled). */
export interface ResolvedHttpEndpoints {
  chatCompletions: boolean;
  responses: boolean;
  /** Their media limits (images, files). */
  media: HttpMediaLimits;
}

/** `gateway.tools` as written; absent lists mean the built-in policy. */
export interface ResolvedToolsPolicy {
  allow?: string[] | undefined;
  deny?: string[] | undefined;
}

/** `gateway.nodes.commands.allow` / `.deny` (empty when absent). */
export interface ResolvedNodeCommands {
  allow: string[];
  deny: string[];
}

/** A `hooks.mappings[]` entry as the mapping code reads it (http/hook_mappings.ts applies the defaults). */
export type HookMappingEntry = RawHookMapping;

/** The `hooks` section after defaults; `path` is normalized by http/hooks.ts, which owns the route. */
export interface ResolvedHooks {
  enabled: boolean;
  path: string | undefined;
  token: string | undefined;
  allowRequestSessionKey: boolean;
  allowedAgentIds: string[] | undefined;
  /** `hooks.defaultSessionKey`, `allowedSessionKeyPrefixes`, `mappings`, `presets`, `transformsDir`, `gmail` as written (http/hook_config.ts resolves them). */
  defaultSessionKey?: string | undefined;
  allowedSessionKeyPrefixes?: string[] | undefined;
  mappings?: HookMappingEntry[] | undefined;
  presets?: string[] | undefined;
  transformsDir?: string | undefined;
  gmail?: { maxBytes?: number | undefined; allowUnsafeExternalContent?: boolean | undefined } | undefined;
}

/** How inbound chats map to sessions, as `session` writes them (routing applies the defaults). */
export type ResolvedSessionScopes = NonNullable<RawConfig["session"]>;

/** `gateway.limits` after defaults: what one client may hold of the process. */
export interface ResolvedLimits {
  maxConnections: number;
  maxPreAuthConnections: number;
  maxPreAuthConnectionsPerIp: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  closeTimeoutMs: number;
  /** A response write the client takes no byte of for this long closes the connection. */
  sendTimeoutMs: number;
  webSocketIdleMs: number;
}

/**
 * The `channels` section as validated, typed per channel kind. config/ may import nothing but
 * log/, so the generic part is decided here (the schema's access rules, `channels.defaults`) and
 * each kind applies its own defaults when it reads an account (channels/<kind>/settings.ts).
 */
export type ChannelsSection = RawChannelsConfig;
/** One IRC account's settings as validated (the `channels.irc` root, or the root overlaid by one of its `accounts`). */
export type IrcAccountConfig = RawIrcAccount;
/** One Telegram account's settings as validated (the `channels.telegram` root, or the root overlaid by one of its `accounts`). */
export type TelegramAccountConfig = RawTelegramAccount;
/** One Discord account's settings as validated (the `channels.discord` root, or the root overlaid by one of its `accounts`). */
export type DiscordAccountConfig = RawDiscordAccount;
/** One Slack account's settings as validated (the `channels.slack` root, or the root overlaid by one of its `accounts`). */
export type SlackAccountConfig = RawSlackAccount;
/** One WhatsApp account's settings as validated (the `channels.whatsapp` root, or the root overlaid by one of its `accounts`). */
export type WhatsAppAccountConfig = RawWhatsAppAccount;
/** One `bindings[]` entry as validated. */
export type BindingConfig = RawBinding;
/** A credential: literal, or a reference the reader resolves (`{source: "env" | "file", id}`). */
export type { SecretInput };
