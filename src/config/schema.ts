import { z } from "zod";

/** A credential given by reference instead of inline: `{source: "env" | "file", id}`. */
export const SecretRefSchema = z.strictObject({
  source: z.enum(["env", "file", "exec", "store"]),
  provider: z.string().optional(),
  id: z.string().min(1),
});

/** What marks a schema node as a credential (zod metadata; it also shows in `config.schema`). */
export const SENSITIVE = { sensitive: true } as const;

/**
 * A credential field: a literal string or a {@link SecretRefSchema}. Marked {@link SENSITIVE}: every
 * redaction (config.get, config write replies, logs, doctor) finds secrets by this mark.
 */
export const SecretInputSchema = z.union([z.string(), SecretRefSchema]).meta(SENSITIVE);

const port = z.number().int().min(1).max(65535);
const stringList = z.array(z.string());
const ipv4 = z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "expected an IPv4 address");

const BindModeSchema = z.enum(["auto", "lan", "loopback", "custom", "tailnet"], {
  error: 'Invalid input (allowed: "auto", "lan", "loopback", "custom", "tailnet")',
});

const mediaFetchSchema = z.strictObject({
  allowUrl: z.boolean().optional(),
  urlAllowlist: stringList.optional(),
  allowedMimes: stringList.optional(),
  maxBytes: z.number().int().positive().optional(),
  maxChars: z.number().int().positive().optional(),
  maxRedirects: z.number().int().min(0).optional(),
  timeoutMs: z.number().int().positive().optional(),
  pdf: z.record(z.string(), z.unknown()).optional(),
});

const GatewayAuthSchema = z.strictObject({
  mode: z.enum(["none", "token", "password", "trusted-proxy"]).optional(),
  token: SecretInputSchema.optional(),
  password: SecretInputSchema.optional(),
  allowTailscale: z.boolean().optional(),
  identityScopes: z.record(z.string(), stringList).optional(),
  rateLimit: z.strictObject({
    maxAttempts: z.number().int().positive().optional(),
    windowMs: z.number().int().positive().optional(),
    lockoutMs: z.number().int().min(0).optional(),
    exemptLoopback: z.boolean().optional(),
  }).optional(),
  trustedProxy: z.looseObject({
    userHeader: z.string().optional(),
    requiredHeaders: stringList.optional(),
    allowUsers: stringList.optional(),
    allowLoopback: z.boolean().optional(),
  }).optional(),
});

const ControlUiSchema = z.strictObject({
  enabled: z.boolean().optional(),
  basePath: z.string().optional(),
  root: z.string().optional(),
  allowedOrigins: stringList.optional(),
  dangerouslyAllowHostHeaderOriginFallback: z.boolean().optional(),
  dangerouslyDisableDeviceAuth: z.boolean().optional(),
  environment: z.strictObject({ label: z.string().optional(), color: z.string().optional() })
    .optional(),
  communityInvite: z.boolean().optional(),
  github: z.strictObject({ token: SecretInputSchema.optional() }).optional(),
  sessionObserver: z.unknown().optional(),
  embedSandbox: z.enum(["strict", "scripts", "trusted"]).optional(),
  allowExternalEmbedUrls: z.boolean().optional(),
  automaticallyFetchFavicons: z.boolean().optional(),
  experimental: z.record(z.string(), z.unknown()).optional(),
});

/** The `gateway` section. Strict: an unknown key is an error, never silently ignored. */
export const GatewayConfigSchema = z.strictObject({
  mode: z.enum(["local", "remote"]).optional(),
  port: port.optional(),
  bind: BindModeSchema.optional(),
  customBindHost: ipv4.optional(),
  publicOrigin: z.url().optional(),
  auth: GatewayAuthSchema.optional(),
  trustedProxies: stringList.optional(),
  allowRealIpFallback: z.boolean().optional(),
  controlUi: ControlUiSchema.optional(),
  cliAgents: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  terminal: z.strictObject({
    enabled: z.boolean().optional(),
    shell: z.string().optional(),
    detachedSessionTimeoutSeconds: z.number().int().positive().optional(),
  }).optional(),
  tools: z.strictObject({ allow: stringList.optional(), deny: stringList.optional() }).optional(),
  http: z.strictObject({
    endpoints: z.strictObject({
      chatCompletions: z.strictObject({
        enabled: z.boolean().optional(),
        images: mediaFetchSchema.optional(),
      }).optional(),
      responses: z.strictObject({
        enabled: z.boolean().optional(),
        maxUrlParts: z.number().int().min(0).optional(),
        files: mediaFetchSchema.optional(),
        images: mediaFetchSchema.optional(),
      }).optional(),
    }).optional(),
    securityHeaders: z.strictObject({
      strictTransportSecurity: z.union([z.string(), z.literal(false)]).optional(),
    }).optional(),
  }).optional(),
  limits: z.strictObject({
    maxConnections: z.number().int().min(1).optional(),
    maxPreAuthConnections: z.number().int().min(1).optional(),
    maxPreAuthConnectionsPerIp: z.number().int().min(1).optional(),
    headersTimeoutMs: z.number().int().min(100).optional(),
    keepAliveTimeoutMs: z.number().int().min(100).optional(),
    closeTimeoutMs: z.number().int().min(100).optional(),
    sendTimeoutMs: z.number().int().min(100).optional(),
    webSocketIdleMs: z.number().int().min(1000).optional(),
  }).optional(),
  reload: z.strictObject({
    mode: z.enum(["off", "hot", "restart", "hybrid"]).optional(),
    debounceMs: z.number().int().min(0).max(60_000).optional(),
  }).optional(),
  remote: z.strictObject({
    url: z.string().optional(),
    transport: z.enum(["ssh", "direct"]).optional(),
    remotePort: port.optional(),
    token: SecretInputSchema.optional(),
    password: SecretInputSchema.optional(),
    edgeAuth: z.unknown().optional(),
    tlsFingerprint: z.string().optional(),
    sshTarget: z.string().optional(),
    sshIdentity: z.string().optional(),
    sshHostKeyPolicy: z.enum(["strict", "openssh"]).optional(),
  }).optional(),
  tailscale: z.strictObject({
    mode: z.enum(["off", "serve", "funnel"]).optional(),
    preserveFunnel: z.boolean().optional(),
  }).optional(),
  tls: z.strictObject({
    enabled: z.boolean().optional(),
    autoGenerate: z.boolean().optional(),
    certPath: z.string().optional(),
    keyPath: z.string().optional(),
    caPath: z.string().optional(),
  }).optional(),
  roles: z.record(z.string(), z.unknown()).optional(),
  nodes: z.record(z.string(), z.unknown()).optional(),
  push: z.record(z.string(), z.unknown()).optional(),
  portals: z.record(z.string(), z.unknown()).optional(),
});

const LogLevelSchema = z.enum(["silent", "fatal", "error", "warn", "info", "debug", "trace"]);

/** The `logging` section; unknown keys are kept for forward compatibility with OpenClaw configs. */
export const LoggingConfigSchema = z.looseObject({
  level: LogLevelSchema.optional(),
  consoleLevel: LogLevelSchema.optional(),
  consoleStyle: z.enum(["pretty", "json", "compact"]).optional(),
  file: z.string().optional(),
  maxFileBytes: z.number().int().positive().optional(),
  redactPatterns: stringList.optional(),
});

/** The `hooks` section: inbound webhooks with a secret of their own. */
export const HooksConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  path: z.string().optional(),
  token: z.string().meta(SENSITIVE).optional(),
  defaultSessionKey: z.string().optional(),
  allowRequestSessionKey: z.boolean().optional(),
  allowedSessionKeyPrefixes: stringList.optional(),
  allowedAgentIds: stringList.optional(),
  mappings: z.array(z.unknown()).optional(),
  presets: stringList.optional(),
  transformsDir: z.string().optional(),
});

const DmPolicySchema = z.enum(["pairing", "allowlist", "open", "disabled"]);
const GroupPolicySchema = z.enum(["open", "allowlist", "disabled"]);
const allowList = z.array(z.union([z.string(), z.number()]));

/** Per-group (IRC channel, Telegram group) access: who may drive the agent there, and whether a mention is needed. */
const GroupEntrySchema = z.looseObject({
  enabled: z.boolean().optional(),
  requireMention: z.boolean().optional(),
  allowFrom: allowList.optional(),
});

/** The access keys every chat channel shares (DM policy, group policy, allowlists). */
const channelAccess = {
  enabled: z.boolean().optional(),
  dmPolicy: DmPolicySchema.optional(),
  allowFrom: allowList.optional(),
  groupPolicy: GroupPolicySchema.optional(),
  groupAllowFrom: allowList.optional(),
  groups: z.record(z.string(), GroupEntrySchema).optional(),
  textChunkLimit: z.number().int().min(16).max(100_000).optional(),
  dangerouslyAllowNameMatching: z.boolean().optional(),
};

const IrcAccountSchema = z.looseObject({
  ...channelAccess,
  host: z.string().min(1).optional(),
  port: port.optional(),
  tls: z.boolean().optional(),
  nick: z.string().min(1).optional(),
  username: z.string().optional(),
  realname: z.string().optional(),
  password: SecretInputSchema.optional(),
  passwordFile: z.string().optional(),
  channels: stringList.optional(),
  sasl: z.strictObject({ username: z.string().optional(), password: SecretInputSchema }).optional(),
  nickserv: z.looseObject({
    enabled: z.boolean().optional(),
    service: z.string().optional(),
    password: SecretInputSchema.optional(),
    passwordFile: z.string().optional(),
    register: z.boolean().optional(),
    registerEmail: z.string().optional(),
  }).optional(),
  /** Lines per second the bot may send, after a burst (flood limit). */
  messagesPerSecond: z.number().positive().max(100).optional(),
});

const TelegramAccountSchema = z.looseObject({
  ...channelAccess,
  botToken: SecretInputSchema.optional(),
  tokenFile: z.string().optional(),
  apiRoot: z.url().optional(),
  webhookUrl: z.url().optional(),
  webhookSecret: SecretInputSchema.optional(),
  webhookPath: z.string().startsWith("/").optional(),
});

interface AccessFields {
  dmPolicy?: string | undefined;
  allowFrom?: (string | number)[] | undefined;
}

/** The reference's validation of DM access: an allowlist needs entries, `open` needs `"*"`. */
function checkDmAccess(value: AccessFields, path: (string | number)[], ctx: z.RefinementCtx): void {
  const allowFrom = value.allowFrom ?? [];
  if (value.dmPolicy === "allowlist" && allowFrom.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "allowFrom"],
      message: 'dmPolicy "allowlist" with an empty allowFrom blocks every DM; add sender ids or use "pairing"',
    });
  }
  if (value.dmPolicy === "open" && !allowFrom.map(String).includes("*")) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "allowFrom"],
      message: 'dmPolicy "open" requires allowFrom to include "*" (say explicitly that anyone may DM the bot)',
    });
  }
}

/** A channel section: root settings (the default account) plus named accounts inheriting them. */
function channelSection<T extends z.ZodObject>(account: T) {
  return account.extend({
    accounts: z.record(z.string(), account).optional(),
    defaultAccount: z.string().optional(),
  }).superRefine((section, ctx) => {
    const root = section as AccessFields & { accounts?: Record<string, AccessFields> };
    checkDmAccess(root, [], ctx);
    for (const [id, account] of Object.entries(root.accounts ?? {})) {
      // Omitted account fields inherit the root, so check the merged view.
      checkDmAccess({ ...root, ...account }, ["accounts", id], ctx);
    }
  });
}

/** The `channels` section: IRC and Telegram are served; other channels' sections are kept as written. */
export const ChannelsConfigSchema = z.looseObject({
  irc: channelSection(IrcAccountSchema).optional(),
  telegram: channelSection(TelegramAccountSchema).optional(),
  defaults: z.looseObject({ dmPolicy: DmPolicySchema.optional(), groupPolicy: GroupPolicySchema.optional() })
    .optional(),
});

/** How inbound chats map to sessions (`session.dmScope`, `session.groupScope`). */
export const SessionConfigSchema = z.looseObject({
  dmScope: z.enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"]).optional(),
  groupScope: z.enum(["per-group", "main"]).optional(),
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

/** The `agents` section as far as secrets go; the rest is read by agent/agents_config.ts. */
export const AgentsConfigSchema = z.looseObject({
  defaults: AgentSecretsSchema.optional(),
  list: z.array(AgentSecretsSchema).optional(),
  entries: z.record(z.string(), AgentSecretsSchema).optional(),
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
    reasoning: z.boolean().optional(),
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
 * read yet are accepted as written, so an existing OpenClaw config loads unchanged.
 */
export const RawConfigSchema = z.looseObject({
  $schema: z.string().optional(),
  gateway: GatewayConfigSchema.optional(),
  logging: LoggingConfigSchema.optional(),
  hooks: HooksConfigSchema.optional(),
  channels: ChannelsConfigSchema.optional(),
  session: SessionConfigSchema.optional(),
  bindings: z.array(BindingSchema).optional(),
  models: ModelsConfigSchema.optional(),
  agents: AgentsConfigSchema.optional(),
});

/** The raw config type: as written, all optional. */
export type RawConfig = z.infer<typeof RawConfigSchema>;
/** The raw `gateway` section. */
export type RawGatewayConfig = z.infer<typeof GatewayConfigSchema>;
/** A credential as written: literal or reference. */
export type SecretInput = z.infer<typeof SecretInputSchema>;
/** A log level as OpenClaw names them. */
export type LogLevelName = z.infer<typeof LogLevelSchema>;
/** The raw `channels` section. */
export type RawChannelsConfig = z.infer<typeof ChannelsConfigSchema>;
/** One IRC account's settings as written (the `channels.irc` root, or one entry under its `accounts`). */
export type RawIrcAccount = z.infer<typeof IrcAccountSchema>;
/** One Telegram account's settings as written (the `channels.telegram` root, or one entry under its `accounts`). */
export type RawTelegramAccount = z.infer<typeof TelegramAccountSchema>;
/** One raw `bindings[]` entry. */
export type RawBinding = z.infer<typeof BindingSchema>;
