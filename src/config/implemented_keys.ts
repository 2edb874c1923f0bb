/**
 * The config keys this gateway acts on, as data: a pattern covers its whole subtree, `*` matches
 * one map key or array index. Everything else an OpenClaw config may carry (other channels, cron,
 * skills, sandbox, hook mappings, ...) loads, so one file serves both programs,
 * but does nothing here; {@link ignoredKeys} names it, so start-up, `health` and `doctor` can say so.
 * Keep this next to `schema.ts`: a key gains an entry when code starts reading it.
 */
export const IMPLEMENTED_KEYS: readonly string[] = [
  // Bookkeeping the OpenClaw CLI writes; it asks nothing of a gateway.
  "$schema",
  "meta",
  "wizard",
  // SecretRef providers and default aliases, resolved at start and reload (config/runtime_secret_refs.ts).
  "secrets.providers",
  "secrets.defaults",
  "gateway.mode",
  "gateway.port",
  "gateway.bind",
  "gateway.customBindHost",
  "gateway.auth.mode",
  "gateway.auth.token",
  "gateway.auth.password",
  "gateway.auth.rateLimit",
  "gateway.trustedProxies",
  "gateway.allowRealIpFallback",
  "gateway.controlUi.enabled",
  "gateway.controlUi.basePath",
  "gateway.controlUi.allowedOrigins",
  "gateway.tools.allow",
  "gateway.tools.deny",
  "tools.profile",
  "tools.allow",
  "tools.alsoAllow",
  "tools.deny",
  // Tool Search (agent/tool_search.ts): `code` and `directory` offer the `tools` controls (resolve_tool_search.ts).
  "tools.toolSearch",
  "gateway.nodes.commands.allow",
  "gateway.nodes.commands.deny",
  "gateway.nodes.pairing.autoApproveLocal",
  "commands.allowFrom",
  "commands.ownerAllowFrom",
  "tools.agentToAgent",
  // Tool-call loop detection, the agent's own overlaying the global (agent/tool_loop_detection.ts).
  "tools.loopDetection.enabled",
  "agents.entries.*.tools.loopDetection.enabled",
  "agents.list.*.tools.loopDetection.enabled",
  "tools.sessions.visibility",
  "gateway.http.endpoints.chatCompletions.enabled",
  "gateway.http.endpoints.responses.enabled",
  // Media parts of the two endpoints (config/resolve_http_media.ts, http/chat_images.ts, http/responses_media.ts).
  ...["chatCompletions.images", "responses.images", "responses.files"].flatMap((section) =>
    ["allowUrl", "urlAllowlist", "allowedMimes", "maxBytes", "maxRedirects", "timeoutMs"].map((key) =>
      `gateway.http.endpoints.${section}.${key}`
    )
  ),
  "gateway.http.endpoints.responses.maxUrlParts",
  "gateway.http.endpoints.responses.files.maxChars",
  "gateway.http.endpoints.responses.files.pdf.maxPages",
  "gateway.http.endpoints.responses.files.pdf.maxPixels",
  "gateway.http.endpoints.responses.files.pdf.minTextChars",
  "gateway.reload",
  // The cron scheduler's switches (config/cron_settings.ts).
  "cron.enabled",
  "cron.skipMissedJobs",
  "gateway.limits",
  "logging.level",
  "logging.consoleLevel",
  "logging.file",
  "logging.maxFileBytes",
  "hooks.enabled",
  "hooks.path",
  "hooks.token",
  "hooks.allowRequestSessionKey",
  "hooks.allowedAgentIds",
  "hooks.defaultSessionKey",
  "hooks.allowedSessionKeyPrefixes",
  "hooks.mappings",
  "hooks.presets",
  "hooks.transformsDir",
  "hooks.gmail.maxBytes",
  "hooks.gmail.allowUnsafeExternalContent",
  "hooks.internal",
  "channels.irc",
  "channels.telegram",
  "channels.discord",
  "channels.slack",
  "channels.whatsapp",
  "channels.defaults",
  "session.dmScope",
  "session.groupScope",
  "session.scope",
  // Automatic resets (config/session_reset_policy.ts, agent/session_auto_reset.ts).
  "session.reset",
  "session.resetByType",
  "session.resetByChannel",
  "session.sendPolicy",
  "bindings",
  "approvals.exec",
  // Exec approvals read the requested host-exec policy (config/exec_policy_config.ts).
  ...["tools.exec", "agents.entries.*.tools.exec", "agents.list.*.tools.exec"].flatMap((exec) => [
    `${exec}.mode`,
    `${exec}.security`,
    `${exec}.ask`,
    `${exec}.safeBins`,
    `${exec}.safeBinTrustedDirs`,
    `${exec}.safeBinProfiles`,
    `${exec}.pathPrepend`,
  ]),
  "models.providers.*.baseUrl",
  "models.providers.*.apiKey",
  // Which key a model call sends (config/provider_credentials.ts): the auth profiles' order and shape.
  "models.providers.*.auth",
  "auth.order",
  "auth.profiles",
  "models.providers.*.api",
  "models.providers.*.headers",
  "models.providers.*.timeoutMs",
  "models.providers.*.models.*.id",
  "models.providers.*.models.*.name",
  "models.providers.*.models.*.contextWindow",
  "models.providers.*.models.*.reasoning",
  "models.providers.*.models.*.maxTokens",
  "models.providers.*.models.*.compat.supportsReasoningEffort",
  "agents.defaults.model.primary",
  "agents.defaults.model.fallbacks",
  "agents.defaults.workspace",
  "agents.defaults.memorySearch.provider",
  "agents.defaults.memorySearch.model",
  "agents.defaults.bootstrapMaxChars",
  "agents.defaults.bootstrapTotalMaxChars",
  "agents.defaults.contextInjection",
  "agents.defaults.verboseDefault",
  // Every run's deadline unless its request brings one (src/config/run_timeout.ts).
  "agents.defaults.timeoutSeconds",
  // The file tools and web_fetch (src/config/resolve_file_tools.ts, resolve_web_fetch.ts).
  "tools.fs.workspaceOnly",
  "tools.exec.applyPatch.enabled",
  "tools.exec.applyPatch.workspaceOnly",
  "tools.exec.applyPatch.allowModels",
  "tools.web.fetch.enabled",
  "tools.web.fetch.maxChars",
  "tools.web.fetch.maxCharsCap",
  "tools.web.fetch.maxResponseBytes",
  "tools.web.fetch.timeoutSeconds",
  "tools.web.fetch.maxRedirects",
  "tools.web.fetch.userAgent",
  "tools.web.fetch.headers",
  "tools.web.fetch.ssrfPolicy.dangerouslyAllowPrivateNetwork",
  "tools.web.fetch.ssrfPolicy.allowedHostnames",
  "tools.web.fetch.ssrfPolicy.blockedHostnames",
  "tools.web.fetch.ssrfPolicy.allowRfc2544BenchmarkRange",
  "tools.web.fetch.ssrfPolicy.allowIpv6UniqueLocalRange",
  "agents.defaults.thinkingDefault",
  "agents.defaults.compaction.enabled",
  "agents.defaults.compaction.keepRecentTokens",
  "agents.defaults.compaction.model",
  "agents.defaults.skills",
  "skills.entries.*.enabled",
  "skills.entries.*.env",
  "skills.entries.*.apiKey",
  "skills.allowBundled",
  "skills.load.extraDirs",
  "skills.limits.maxSkillsInPrompt",
  "skills.limits.maxSkillsPromptChars",
  "memory.search.enabled",
  "memory.search.provider",
  "memory.search.model",
  "memory.search.query.maxResults",
  "memory.search.query.minScore",
  "memory.citations",
  // Configured MCP servers (agent/mcp_*.ts); oauth, TLS, codex and mcp.apps are not acted on.
  ...[
    "enabled",
    "command",
    "args",
    "env",
    "cwd",
    "workingDirectory",
    "url",
    "transport",
    "type",
    "headers",
    "connectionTimeoutMs",
    "requestTimeoutMs",
    "toolFilter",
  ].map((key) => `mcp.servers.*.${key}`),
  ...["agents.entries.*", "agents.list.*"].flatMap((agent) => [
    `${agent}.id`,
    `${agent}.default`,
    `${agent}.identity.name`,
    `${agent}.model.primary`,
    `${agent}.model.fallbacks`,
    `${agent}.workspace`,
    `${agent}.memorySearch.provider`,
    `${agent}.memorySearch.model`,
    `${agent}.bootstrapMaxChars`,
    `${agent}.bootstrapTotalMaxChars`,
    `${agent}.contextInjection`,
    `${agent}.tools.profile`,
    `${agent}.tools.allow`,
    `${agent}.tools.alsoAllow`,
    `${agent}.tools.deny`,
    `${agent}.verboseDefault`,
    `${agent}.tools.fs.workspaceOnly`,
    `${agent}.tools.exec.applyPatch.enabled`,
    `${agent}.tools.exec.applyPatch.workspaceOnly`,
    `${agent}.tools.exec.applyPatch.allowModels`,
    `${agent}.thinkingDefault`,
    `${agent}.skills`,
    `${agent}.memory.search.enabled`,
    `${agent}.memory.search.provider`,
    `${agent}.memory.search.model`,
    `${agent}.memory.search.query.maxResults`,
    `${agent}.memory.search.query.minScore`,
  ]),
  // The exec tool and its sandbox (config/resolve_exec.ts); docker-only sandbox keys stay ignored.
  ...["tools", "agents.entries.*.tools", "agents.list.*.tools"].flatMap((tools) =>
    ["host", "timeoutSeconds", "backgroundMs", "cleanupMs", "pathPrepend"].map((key) => `${tools}.exec.${key}`)
  ),
  ...["agents.defaults", "agents.entries.*", "agents.list.*"].flatMap((agent) =>
    ["mode", "backend", "scope", "workspaceAccess", "workspaceRoot", "docker.network", "docker.env"].map((key) =>
      `${agent}.sandbox.${key}`
    )
  ),
  // Heartbeat turns (config/heartbeat_settings.ts, automation/heartbeat_service.ts).
  ...["agents.defaults", "agents.entries.*", "agents.list.*"].flatMap((agent) =>
    [
      "every",
      "model",
      "prompt",
      "target",
      "to",
      "accountId",
      "session",
      "activeHours",
      "isolatedSession",
      "lightContext",
      "timeoutSeconds",
      "directPolicy",
    ].map((key) => `${agent}.heartbeat.${key}`)
  ),
  "agents.defaults.heartbeat.agentId",
  "agents.defaults.userTimezone",
  // Cron delivery (config/cron_delivery_settings.ts): webhook auth and SSRF policy, failure alerts.
  "cron.webhookToken",
  "cron.webhookSsrfPolicy",
  "cron.failureAlert",
  // Pruning of finished isolated run sessions (config/cron_retention.ts, automation/cron_session_sweep.ts).
  "cron.sessionRetention",
  "agents.defaults.userTimezone",
  // The media store (config/media_settings.ts): the default size limit and the retention sweep.
  "agents.defaults.mediaMaxMb",
  // Typing indicators of channel runs (channels/typing.ts).
  "agents.defaults.typingMode",
  "agents.defaults.typingIntervalSeconds",
  "agents.entries.*.typingMode",
  "agents.list.*.typingMode",
  "attachments.ttlHours",
  // Inbound media for the run (channels/inbound_media.ts): vision models and voice-note transcription.
  "models.providers.*.models.*.input",
  ...["enabled", "language", "prompt", "timeoutSeconds", "maxBytes", "maxChars", "baseUrl", "headers"]
    .map((key) => `tools.media.audio.${key}`),
  "tools.media.audio.preferredModel",
  "tools.media.audio.echoTranscript",
  "tools.media.audio.echoFormat",
  ...["provider", "model", "capabilities", "type", "baseUrl", "headers", "language", "prompt", "timeoutSeconds"]
    .map((key) => `tools.media.models.*.${key}`),
  "tools.media.models.*.maxBytes",
  "tools.media.models.*.maxChars",
];

function matchesPrefix(pattern: readonly string[], path: readonly string[]): boolean {
  return pattern.every((segment, i) => segment === "*" || segment === path[i]);
}

function label(path: readonly (string | number)[]): string {
  return path.map((segment, i) => typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`)
    .join("");
}

/**
 * The key paths of `config` that no {@link IMPLEMENTED_KEYS} pattern covers, each named at the
 * highest level that is wholly ignored (`cron`, `agents.defaults.sandbox`,
 * `agents.list[0].sandbox`), in file order. A scalar where the table expects an object (the
 * `"provider/model"` shorthand of `model`, a bare model id) counts as implemented.
 */
export function ignoredKeys(config: Record<string, unknown>, table: readonly string[] = IMPLEMENTED_KEYS): string[] {
  const patterns = table.map((pattern) => pattern.split("."));
  const out: string[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    const segments = path.map(String);
    if (path.length > 0) {
      if (patterns.some((p) => p.length <= segments.length && matchesPrefix(p, segments))) return;
      const deeper = patterns.some((p) =>
        p.length > segments.length && matchesPrefix(p.slice(0, segments.length), segments)
      );
      if (!deeper) {
        out.push(label(path));
        return;
      }
    }
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...path, i]));
    else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    }
  };
  walk(config, []);
  return out;
}
