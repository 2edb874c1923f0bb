import { z } from "zod";
import { choice } from "./schema_choice.ts";
import { SecretInputSchema } from "./schema_secret.ts";

const port = z.number().int().min(1).max(65535);
const stringList = z.array(z.string());
const ipv4 = z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "expected an IPv4 address");

const BindModeSchema = choice(["auto", "lan", "loopback", "custom", "tailnet"]);

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
  mode: choice(["none", "token", "password", "trusted-proxy"]).optional(),
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
  embedSandbox: choice(["strict", "scripts", "trusted"]).optional(),
  allowExternalEmbedUrls: z.boolean().optional(),
  automaticallyFetchFavicons: z.boolean().optional(),
  experimental: z.record(z.string(), z.unknown()).optional(),
});

/** The `gateway` section. Strict: an unknown key is an error, never silently ignored. */
export const GatewayConfigSchema = z.strictObject({
  port: port.optional(),
  mode: choice(["local", "remote"]).optional(),
  bind: BindModeSchema.optional(),
  customBindHost: ipv4.optional(),
  publicOrigin: z.url().optional(),
  portals: z.record(z.string(), z.unknown()).optional(),
  controlUi: ControlUiSchema.optional(),
  cliAgents: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  terminal: z.strictObject({
    enabled: z.boolean().optional(),
    shell: z.string().optional(),
    detachedSessionTimeoutSeconds: z.number().int().positive().optional(),
  }).optional(),
  auth: GatewayAuthSchema.optional(),
  roles: z.record(z.string(), z.unknown()).optional(),
  trustedProxies: stringList.optional(),
  allowRealIpFallback: z.boolean().optional(),
  tools: z.strictObject({ allow: stringList.optional(), deny: stringList.optional() }).optional(),
  tailscale: z.strictObject({
    mode: choice(["off", "serve", "funnel"]).optional(),
    preserveFunnel: z.boolean().optional(),
  }).optional(),
  remote: z.strictObject({
    url: z.string().optional(),
    transport: choice(["ssh", "direct"]).optional(),
    remotePort: port.optional(),
    token: SecretInputSchema.optional(),
    password: SecretInputSchema.optional(),
    edgeAuth: z.unknown().optional(),
    tlsFingerprint: z.string().optional(),
    sshTarget: z.string().optional(),
    sshIdentity: z.string().optional(),
    sshHostKeyPolicy: choice(["strict", "openssh"]).optional(),
  }).optional(),
  reload: z.strictObject({
    mode: choice(["off", "hot", "restart", "hybrid"]).optional(),
    debounceMs: z.number().int().min(0).max(60_000).optional(),
  }).optional(),
  tls: z.strictObject({
    enabled: z.boolean().optional(),
    autoGenerate: z.boolean().optional(),
    certPath: z.string().optional(),
    keyPath: z.string().optional(),
    caPath: z.string().optional(),
  }).optional(),
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
  push: z.record(z.string(), z.unknown()).optional(),
  nodes: z.record(z.string(), z.unknown()).optional(),
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
});

/** The raw `gateway` section. */
export type RawGatewayConfig = z.infer<typeof GatewayConfigSchema>;
