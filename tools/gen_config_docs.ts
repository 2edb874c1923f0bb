// Generates docs/configuration.md from the zod schema and the reload table
// (`deno task docs`). tests/docs/configuration_doc_test.ts fails when the committed file is stale.
import { z } from "zod";
import { classifyPath } from "../src/config/reload_plan.ts";
import { RawConfigSchema } from "../src/config/schema.ts";

/** Defaults applied by `src/config/resolve.ts` and the gateway, for keys whose schema has none. */
const DEFAULTS: Record<string, string> = {
  "gateway.port": "18789 (19001 with --dev; profile-derived with --profile)",
  "gateway.bind": "loopback",
  "gateway.auth.mode": "password when a password is set, else token",
  "gateway.auth.rateLimit.maxAttempts": "10",
  "gateway.auth.rateLimit.windowMs": "60000",
  "gateway.auth.rateLimit.lockoutMs": "300000",
  "gateway.auth.rateLimit.exemptLoopback": "true",
  "gateway.controlUi.enabled": "true",
  "gateway.controlUi.basePath": '"" (root)',
  "gateway.trustedProxies": "[]",
  "gateway.allowRealIpFallback": "false",
  "gateway.http.endpoints.chatCompletions.enabled": "false",
  "gateway.http.endpoints.responses.enabled": "false",
  "gateway.limits.maxConnections": "8192 (lowered by itself after an EMFILE)",
  "gateway.limits.maxPreAuthConnections": "256",
  "gateway.limits.maxPreAuthConnectionsPerIp": "32 (OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP)",
  "gateway.limits.headersTimeoutMs": "5000",
  "gateway.limits.keepAliveTimeoutMs": "5000",
  "gateway.limits.closeTimeoutMs": "3000",
  "gateway.limits.sendTimeoutMs": "30000",
  "gateway.limits.webSocketIdleMs": "60000",
  "gateway.reload.mode": "hybrid",
  "session.reset.mode": "none (no automatic reset)",
  "session.reset.atHour": "4 (the gateway host's local time)",
  "session.reset.idleMinutes": "— (never; also with mode idle)",
  "gateway.reload.debounceMs": "300",
  "logging.level": "info",
  "logging.consoleLevel": "info",
  "logging.file": "<stateDir>/logs/openclaw[-<profile>]-YYYY-MM-DD.log (daily, 7 days kept)",
  "logging.maxFileBytes": "104857600",
  "hooks.enabled": "false",
  "hooks.path": "/hooks",
  "hooks.allowRequestSessionKey": "false",
  "hooks.mappings": "[] (docs/hooks.md)",
  "hooks.presets": "[] (`gmail`)",
  "hooks.transformsDir": "<config dir>/hooks/transforms",
  "hooks.internal.enabled":
    "unset: on when an entry, extra dir or install selects hooks (docs/hooks.md, Internal hooks)",
  "hooks.internal.entries": "{} (per hook key: enabled, env, the hook's own options)",
  "hooks.internal.load.extraDirs": "[]",
  "hooks.gmail.maxBytes": "20000",
  "hooks.gmail.allowUnsafeExternalContent": "false",
};

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: unknown;
  minimum?: number;
  maximum?: number;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" \\| ");
  if (schema.type === "array") return `${schema.items ? typeOf(schema.items) : "any"}[]`;
  if (schema.type === "integer" && schema.minimum !== undefined && schema.maximum !== undefined) {
    return `integer ${schema.minimum}..${schema.maximum}`;
  }
  if (Array.isArray(schema.type)) return schema.type.join(" \\| ");
  if (
    schema.type === "object" && schema.properties && Object.keys(schema.properties).length === 3 &&
    "source" in schema.properties
  ) {
    return "SecretRef";
  }
  return schema.type ?? "any";
}

function rows(schema: JsonSchema, prefix: string, out: string[][]): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const isSection = child.type === "object" && child.properties && Object.keys(child.properties).length > 0 &&
      !("source" in child.properties);
    if (isSection) {
      rows(child, path, out);
      continue;
    }
    const reload = classifyPath(path);
    out.push([`\`${path}\``, typeOf(child), DEFAULTS[path] ?? "—", reload === "none" ? "no action" : reload]);
  }
}

/** The whole generated page. */
export function configurationDoc(): string {
  const schema = z.toJSONSchema(RawConfigSchema, { unrepresentable: "any" }) as JsonSchema;
  const sections = ["gateway", "logging", "hooks", "session"];
  const parts = [
    "# Configuration reference",
    "",
    "Generated from `src/config/schema.ts` and `src/config/reload_plan.ts` by `deno task docs`; do not edit by hand.",
    "",
    "The file is JSON5 at `OPENCLAW_CONFIG_PATH`, else `<stateDir>/openclaw.json`. Every string may use `${VAR}`",
    "(an unset variable is an error; `$${VAR}` is a literal). Keys under `gateway` are strict: an unknown key is",
    "an error naming its line and column. Other sections OpenClaw configs carry are kept as written.",
    "",
    "**Reload** says what an edit to a running gateway does: `hot` applies in place, `restart` restarts the",
    "gateway in place (port and bind included), `no action` needs nothing. See `gateway.reload.mode`.",
    "",
    "Model providers and agents (`models.providers.<id>`: `baseUrl`, `apiKey`, `api`, `models[]`, `timeoutMs`;",
    "`agents.defaults.model.primary`, `agents.defaults.memorySearch.{provider,model}`, `agents.entries.<id>`)",
    "are read as OpenClaw writes them and hot-apply. `anthropic` and `openai` need no entry (an entry may move",
    "their `baseUrl` or add a key); a call's key is the first usable auth profile `openclaw onboard` stored (in",
    "`auth.order` / `auth.profiles` order), else `ANTHROPIC_API_KEY`/`OPENAI_API_KEY`, else the entry's `apiKey`",
    '(first with `auth: "api-key"`; docs/compatibility.md). `agents.defaults.model.fallbacks` and an agent\'s own',
    "`model: { primary, fallbacks }` are the models a run fails over to on rate limits, overload, timeouts and",
    "auth errors, with cooldowns (docs/compatibility.md, Model failover). The workspace's bootstrap files become each",
    "run's system prompt within `agents.defaults.bootstrapMaxChars` (per file, default 20000; `USER.md` at most 4000)",
    'and `agents.defaults.bootstrapTotalMaxChars` (all files, default 60000); `agents.defaults.contextInjection: "never"`',
    "injects none. Each has a per-agent override under `agents.entries.<id>`; the files are read at every run, so an",
    "edit applies to the next one. `agents.defaults.thinkingDefault` (or an agent's own) is the thinking level runs",
    "use when neither the message (`/think`, `thinking`) nor the session (`sessions.patch` `thinkingLevel`) chose one;",
    "a model offers levels only with `reasoning: true` on its `models[]` entry (default `medium` then, else `off`);",
    "`compat.supportsReasoningEffort: true` lets an OpenAI-compatible model be sent `reasoning_effort`, and",
    "`maxTokens` (default 8192) bounds Anthropic thinking budgets.",
    "`agents.defaults.compaction` (`enabled`, default true; `keepRecentTokens`, default 20000; `model`) compacts a",
    "session's older history into a summary when its context nears the model's `contextWindow` (default 200000) minus",
    "a 20000-token reserve (at most a quarter of the window); `/compact` and `sessions.compact` compact on demand.",
    "`agents.defaults.timeoutSeconds` (whole seconds, default 172800: 48 hours; `0`: none) is the deadline of every run",
    "whose request brings none (`chat.send` `timeoutMs` and the `agent` request's `timeout` in seconds bring their own,",
    "`0` meaning none); past it the run ends with the reference's timeout error. It applies to the next run.",
    "",
    "Media (files messages carry in and files sent out) is kept under `<stateDir>/media/inbound` and",
    "`<stateDir>/media/outbound`, as OpenClaw keeps it: files 0600 in 0700 directories, named `<name>---<uuid>.<ext>`",
    "with the type checked from the bytes. `agents.defaults.mediaMaxMb` (default 20) is the size limit of a kept file;",
    "a channel's own `mediaMaxMb` replaces it for that channel (Telegram: default 100, and the Bot API downloads at",
    "most 20 MB). `attachments.ttlHours` (1 to 168; unset: off) removes kept media last written longer ago than that;",
    "unset, staged outbound files go after a day (OpenClaw's `outgoing` and `playback-transcode` are never swept).",
    "The sweep runs after start and hourly; both keys apply hot.",
    "",
    'Typing indicators (Telegram `sendChatAction` "typing", into the message\'s forum topic): `agents.defaults.typingMode`',
    "(an agent's own `typingMode` over it) is `never`, `instant` (as the run starts), `thinking` or `message` (at the",
    "run's first streamed text); unset: `instant` in direct chats and when the bot was mentioned, else `message`.",
    "`agents.defaults.typingIntervalSeconds` (default 6) is how often typing is sent again while the run works; it stops",
    "when the run ends, or after 2 minutes without streamed text.",
    'A model\'s `input` (`["text", "image"]`) lets images from chat channels reach it as image input; voice notes',
    'and audio are transcribed first by `tools.media.models` entries with `capabilities: ["audio"]` (`provider`,',
    "`model`, `baseUrl`, `headers`, `language`, `prompt`, `timeoutSeconds`, `maxBytes`, `maxChars`) under the defaults of",
    "`tools.media.audio` (`enabled`, the same keys, `preferredModel`, `echoTranscript`, `echoFormat`); see",
    "docs/compatibility.md (Media).",
    "",
    "The `exec` tool reads `tools.exec.{host,timeoutSeconds,backgroundMs,cleanupMs,pathPrepend}` (per agent under",
    "`agents.entries.<id>.tools.exec`); the sandbox reads `agents.defaults.sandbox.{mode,backend,scope,workspaceAccess,",
    "workspaceRoot,docker.network,docker.env}` (per agent under `agents.entries.<id>.sandbox`). Defaults, what the",
    "bubblewrap sandbox isolates and which docker-only keys are ignored: docs/sandbox.md.",
    "",
    "Heartbeats (`agents.defaults.heartbeat`, merged with `agents.entries.<id>.heartbeat`; when any agent has a block",
    "of its own only those run, else `agents.defaults.heartbeat.agentId`, else every agent when the defaults block",
    "exists, else the default agent) run an agent turn every `every` (default `30m`, minutes when bare, `0m` turns the",
    "cadence off; wakes still run) inside `activeHours` (`{start, end, timezone}`, `HH:MM`, end exclusive, `24:00`",
    "allowed; `timezone` defaults to `agents.defaults.userTimezone`, else the host's). The turn sends `prompt` (default:",
    "the reference's, answer `NO_REPLY` when nothing needs attention) after the queued system events as `System:`",
    "lines, with the workspace's `HEARTBEAT.md` appended (an effectively empty one skips scheduled turns). `NO_REPLY`",
    "and `HEARTBEAT_OK` at either edge with at most 300 characters besides it are delivered to nobody; other answers go",
    "to `target`: `owner` (default: the first `channel:id` of `commands.ownerAllowFrom`), `last`, `none`, or a channel",
    "id with `to` (and `accountId`). `model`, `session`, `isolatedSession` (a fresh `<session>:heartbeat` each turn),",
    "`lightContext` (no workspace bootstrap files),",
    "`timeoutSeconds` (default `agents.defaults.timeoutSeconds`, else the interval capped at 600) and `directPolicy`",
    "(`block` keeps owner DMs silent) apply per turn. `cron.enabled: false` stops scheduled heartbeats, as in OpenClaw.",
    "",
    "Skills (`SKILL.md` folders in the workspace's `skills/` and `.agents/skills/`, `<stateDir>/skills`, the agent's",
    "`<stateDir>/agents/<id>/agent/workshop-skills` and `skills.load.extraDirs`) are gated by their",
    "`metadata.openclaw.requires` (bins, anyBins, env, config) and `os`; `skills.entries.<name>.enabled: false` turns one",
    "off, its `env` and `apiKey` satisfy env requirements, `agents.defaults.skills` / `agents.entries.<id>.skills` is",
    "the agent's allowlist, `skills.limits.maxSkillsInPrompt` (150) and `maxSkillsPromptChars` (18000) bound the prompt's",
    "catalog. Memory search (`memory_search`, `memory_get`, `memory.search`) indexes `MEMORY.md`, `USER.md` and",
    "`memory/**/*.md` in the agent's database; `memory.search.enabled` (true), `memory.search.query.maxResults` (6) and",
    "`.minScore` (0.35), per agent under `agents.entries.<id>.memory.search`; `memory.citations` (`auto`, `on`, `off`);",
    "`memory.search.{provider,model}` (a `models.providers` id; `none` for keywords only) or",
    "`agents.defaults.memorySearch.{provider,model}` adds embeddings (hybrid search). Files are read at each call.",
    "",
    "The cron scheduler reads `cron.enabled` (default true; false, or `OPENCLAW_SKIP_CRON=1` in the gateway's",
    "environment, keeps stored jobs without running them) and `cron.skipMissedJobs` (default false: recurring runs",
    "missed while the gateway was down catch up at start; true: they skip to their next occurrence; one-shot `at`",
    "jobs catch up either way). Both apply hot: turning the scheduler on catches up and arms it at once.",
    "",
    "`cron.sessionRetention` (default `24h`; a duration string, a bare number is hours; `false` or a zero duration such",
    "as `0h` turns it off; a negative or malformed one is refused when the config loads) is how long finished",
    "isolated automation runs are kept: when cron runs end (at most every five minutes per agent), earlier runs'",
    "transcripts of a job's session `agent:<id>:cron:<job>` and OpenClaw's `agent:<id>:cron:<job>:run:<runId>` rows",
    "last touched before then are pruned, each pruned transcript archived as a deleted session's",
    "(`agents/<id>/sessions/<sessionId>.jsonl.deleted.<time>.<generation>.zst`); a job session's current transcript,",
    "rows a run is using and OpenClaw's run rows still running are kept. It applies hot.",
    "",
    "`session.reset` makes a conversation start fresh on its own, checked when its next turn starts (`chat.send`,",
    '`agent`, a channel\'s message; heartbeat and cron turns neither reset nor count as activity): `mode: "daily"`',
    "resets a session that started before the last `atHour:00` (default 4, the host's local time), `idleMinutes`",
    "one whose last interaction is older than that (with `daily` too, whichever passes first). An entry written",
    "without `mode` means `daily`. `session.resetByType.{direct,group,thread}` overrides it field by field for that kind",
    "of chat (a type entry under a global `none` turns resets on); `session.resetByChannel.<channel>` replaces both",
    "for that channel. A reset starts a new session window (new session id) and fires the `session:auto-reset` hook.",
    "Edits apply hot, from the next turn.",
    "",
  ];
  for (const section of sections) {
    const child = schema.properties?.[section];
    if (!child) continue;
    const out: string[][] = [];
    rows(child, section, out);
    parts.push(`## \`${section}\``, "", "| key | type | default | reload |", "| --- | --- | --- | --- |");
    for (const row of out) parts.push(`| ${row.join(" | ")} |`);
    parts.push("");
  }
  return parts.join("\n");
}

if (import.meta.main) {
  await Deno.writeTextFile(new URL("../docs/configuration.md", import.meta.url), configurationDoc());
}
