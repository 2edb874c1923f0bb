import { z } from "zod";
import { choice } from "./schema_choice.ts";
import { ChannelsConfigSchema } from "./schema_channels.ts";
import { GatewayConfigSchema } from "./schema_gateway.ts";
import { SecretInputSchema, SENSITIVE } from "./schema_secret.ts";
import { McpConfigSchema } from "./schema_mcp.ts";
import { HookMappingSchema, HooksGmailSchema, InternalHooksSchema } from "./schema_hooks.ts";
import { refineHooks } from "./schema_refinements.ts";
import { namedRefinement } from "./schema_refinement_check.ts";
import { CronConfigSchema } from "./schema_cron.ts";
import { MetaConfigSchema, WizardConfigSchema } from "./schema_onboarding.ts";

// The sections live in their own files; their schemas and types are re-exported here so the file
// as written has one entry point.
export { SecretInputSchema, SecretRefSchema, SENSITIVE } from "./schema_secret.ts";
export { GatewayConfigSchema, type RawGatewayConfig } from "./schema_gateway.ts";
export {
  ChannelsConfigSchema,
  type RawChannelsConfig,
  type RawDiscordAccount,
  type RawIrcAccount,
  type RawSlackAccount,
  type RawTelegramAccount,
  type RawWhatsAppAccount,
} from "./schema_channels.ts";

const stringList = z.array(z.string());

const LogLevelSchema = choice(["silent", "fatal", "error", "warn", "info", "debug", "trace"]);

/** The `logging` section; unknown keys are kept for forward compatibility with OpenClaw configs. */
export const LoggingConfigSchema = z.looseObject({
  level: LogLevelSchema.optional(),
  file: z.string().optional(),
  maxFileBytes: z.number().int().positive().optional(),
  consoleLevel: LogLevelSchema.optional(),
  consoleStyle: choice(["pretty", "json", "compact"]).optional(),
  redactPatterns: stringList.optional(),
});

/** The `hooks` section: inbound webhooks with a secret of their own, and internal hooks (`internal`). */
export const HooksConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  path: z.string().optional(),
  token: z.string().meta(SENSITIVE).optional(),
  defaultSessionKey: z.string().optional(),
  allowRequestSessionKey: z.boolean().optional(),
  allowedSessionKeyPrefixes: stringList.optional(),
  allowedAgentIds: stringList.optional(),
  mappings: z.array(HookMappingSchema).optional(),
  gmail: HooksGmailSchema.optional(),
  presets: stringList.optional(),
  transformsDir: z.string().optional(),
  internal: InternalHooksSchema.optional(),
}).check(namedRefinement(refineHooks));
/** One automatic reset policy (`session.reset`, a `resetByType`/`resetByChannel` entry), strict as the reference's. */
export const SessionResetSchema = z.strictObject({
  mode: choice(["none", "daily", "idle"]).optional(),
  atHour: z.number().int().min(0).max(23).optional(),
  idleMinutes: z.number().int().positive().optional(),
});

/** `session.sendPolicy`: whether replies may leave for a chat, by rules on its channel, chat type and key. */
const SendPolicySchema = z.strictObject({
  default: choice(["allow", "deny"]).optional(),
  rules: z.array(z.strictObject({
    action: choice(["allow", "deny"]),
    match: z.strictObject({
      channel: z.string().optional(),
      chatType: choice(["direct", "group", "channel"]).optional(),
      keyPrefix: z.string().optional(),
      rawKeyPrefix: z.string().optional(),
    }).optional(),
  })).optional(),
});

/** How inbound chats map to sessions (`session.dmScope`, `session.groupScope`) and when they reset on their own. */
export const SessionConfigSchema = z.looseObject({
  dmScope: z.enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"]).optional(),
  groupScope: z.enum(["main", "per-group"]).optional(),
  reset: SessionResetSchema.optional(),
  resetByType: z.strictObject({
    direct: SessionResetSchema.optional(),
    group: SessionResetSchema.optional(),
    thread: SessionResetSchema.optional(),
  }).optional(),
  resetByChannel: z.record(z.string(), SessionResetSchema).optional(),
  sendPolicy: SendPolicySchema.optional(),
});

/** One `bindings[]` entry: inbound channel/account/peer → agent. */
export const BindingSchema = z.looseObject({
  agentId: z.string().min(1),
  match: z.looseObject({
    channel: z.string().min(1),
    accountId: z.string().optional(),
    peer: z.looseObject({ kind: z.string(), id: z.string() }).optional(),
  }),
  session: z.looseObject({
    dmScope: SessionConfigSchema.shape.dmScope,
    groupScope: SessionConfigSchema.shape.groupScope,
  }).optional(),
});

/** Extra HTTP headers sent to a model provider: every value may carry a credential (Authorization, x-api-key). */
const ProviderHeadersSchema = z.record(z.string(), SecretInputSchema);

/** An agent entry as far as secrets go: the memory-search (embeddings) endpoint's key and headers. */
const AgentSecretsSchema = z.looseObject({
  memorySearch: z.looseObject({
    remote: z.looseObject({ apiKey: SecretInputSchema.optional(), headers: ProviderHeadersSchema.optional() })
      .optional(),
  }).optional(),
});

/**
 * A tool policy (`tools`, an agent's `tools`): a profile the reference knows and lists of names. A
 * typo must refuse the config (as the reference does), not silently allow every tool.
 */
export const ToolPolicySchema = z.looseObject({
  profile: choice(["minimal", "coding", "messaging", "full"]).optional(),
  allow: stringList.optional(),
  alsoAllow: stringList.optional(),
  deny: stringList.optional(),
  /** Tool-call loop detection (agent/tool_loop_detection.ts); strict, as the reference's schema is. */
  loopDetection: z.strictObject({ enabled: z.boolean().optional() }).optional(),
});

/**
 * `tools.toolSearch` (agent/tool_search.ts; read by config/resolve_tool_search.ts): a switch, or the reference's
 * strict object. Top level only, as the reference's schema has it.
 */
const ToolSearchSchema = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().optional(),
    mode: choice(["code", "tools", "directory"]).optional(),
    codeTimeoutMs: z.number().int().positive().optional(),
    searchDefaultLimit: z.number().int().positive().optional(),
    maxSearchLimit: z.number().int().positive().optional(),
  }),
]);

/** The top-level `tools` section: the tool policy, and Tool Search. */
const ToolsSectionSchema = ToolPolicySchema.extend({ toolSearch: ToolSearchSchema.optional() });

/** When a chat shows "typing…" during a run (channels/typing.ts). */
const TypingModeSchema = choice(["never", "instant", "thinking", "message"]);

/** One agent (`agents.list[]`, `agents.entries.<id>`): its secrets, its tool policy and its typing mode. */
const AgentEntrySchema = AgentSecretsSchema.extend({
  tools: ToolPolicySchema.optional(),
  typingMode: TypingModeSchema.optional(),
});

/** The `agents` section as far as secrets and tool policy go; the rest is read by agent/agents_config.ts. */
export const AgentsConfigSchema = z.looseObject({
  defaults: AgentSecretsSchema.extend({
    mediaMaxMb: z.number().positive().optional(),
    // In the reference's order (its issues are listed in schema order): the interval, then the mode.
    typingIntervalSeconds: z.number().int().positive().optional(),
    typingMode: TypingModeSchema.optional(),
  }).optional(),
  list: z.array(AgentEntrySchema).optional(),
  entries: z.record(z.string(), AgentEntrySchema).optional(),
});

/**
 * One `models.providers.<id>.models[]` entry. The reference reads only the object form
 * (`{id, name?, contextWindow?, ...}`, refusing a bare string with "expected object"); a bare
 * model id string is accepted here too, for configs written for earlier versions of this gateway.
 */
export const ModelEntrySchema = z.union([
  z.string().min(1),
  z.looseObject({
    id: z.string().min(1),
    name: z.string().optional(),
    contextWindow: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
    reasoning: z.boolean().optional(),
    /** What the model reads: `["text"]` or `["text","image"]` (images reach it only with "image"). */
    input: z.array(choice(["text", "image", "video", "audio"])).optional(),
  }),
]);

/** One `models.providers.<id>` entry: an OpenAI-compatible or Anthropic endpoint and its models. */
export const ModelProviderSchema = z.looseObject({
  baseUrl: z.string().optional(),
  apiKey: SecretInputSchema.optional(),
  api: z.string().optional(),
  headers: ProviderHeadersSchema.optional(),
  timeoutMs: z.number().int().positive().optional(),
  models: z.array(ModelEntrySchema).optional(),
});

/** The `models` section: providers keyed by id; other keys are kept as written. */
export const ModelsConfigSchema = z.looseObject({
  providers: z.record(z.string(), ModelProviderSchema).optional(),
});

/**
 * The raw config: exactly what the file says, every key optional. Sections this gateway does not
 * read yet are accepted as written, so an existing OpenClaw config loads unchanged. The keys are in
 * the reference's order, which is the order zod reports issues in (so ours list them as it does).
 */
export const RawConfigSchema = z.looseObject({
  $schema: z.string().optional(),
  meta: MetaConfigSchema.optional(),
  wizard: WizardConfigSchema.optional(),
  logging: LoggingConfigSchema.optional(),
  models: ModelsConfigSchema.optional(),
  agents: AgentsConfigSchema.optional(),
  tools: ToolsSectionSchema.optional(),
  bindings: z.array(BindingSchema).optional(),
  /** The media retention sweep (`attachments.ttlHours`, 1 to 168 hours as the reference allows). */
  attachments: z.strictObject({ ttlHours: z.number().int().min(1).max(168).optional() }).optional(),
  session: SessionConfigSchema.optional(),
  cron: CronConfigSchema.optional(),
  hooks: HooksConfigSchema.optional(),
  channels: ChannelsConfigSchema.optional(),
  gateway: GatewayConfigSchema.optional(),
  mcp: McpConfigSchema.optional(),
});

/** The raw config type: as written, all optional. */
export type RawConfig = z.infer<typeof RawConfigSchema>;
/** A credential as written: literal or reference. */
export type SecretInput = z.infer<typeof SecretInputSchema>;
/** A log level as OpenClaw names them. */
export type LogLevelName = z.infer<typeof LogLevelSchema>;
/** One raw `bindings[]` entry. */
export type RawBinding = z.infer<typeof BindingSchema>;
