// A hand check that vouches for the configs most hosts have (a `gateway` section with mode, port,
// bind and a literal token or password; `logging`; `session`; the onboarding's `meta`/`wizard`),
// so a CLI command that only needs the gateway's address and credentials can skip building the zod
// schema (about a fifth of `openclaw health`'s CPU: docs/performance.md). It only ever says "the
// schema accepts this as it is": every key it does not know, every value it is not sure of, sends
// the config to the full schema (src/config/load.ts), which gives the answer and the words of any
// error. Held to the schema by tests/config/target_config_test.ts (a differential fuzz).

import type { RawConfig } from "./schema.ts";

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === "string";
const isBoolean: Check = (value) => typeof value === "boolean";

function oneOf(...choices: string[]): Check {
  return (value) => typeof value === "string" && choices.includes(value);
}

/** zod's `z.number().int()` (a safe integer) within `min`..`max`. */
function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check {
  return (value) => typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

const strings: Check = (value) => Array.isArray(value) && value.every(isString);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype;
}

/** An object whose every key is one of `fields` and passes its check (all of them optional in the schema). */
function only(fields: Readonly<Record<string, Check>>): Check {
  return (value) =>
    isRecord(value) &&
    Object.entries(value).every(([key, field]) => Object.hasOwn(fields, key) && fields[key]!(field));
}

const LOG_LEVEL = oneOf("silent", "fatal", "error", "warn", "info", "debug", "trace");

/** The parts of src/config/schema*.ts vouched for here, each exactly as the schema has it. */
const PLAIN_CONFIG = only({
  $schema: isString,
  gateway: only({
    mode: oneOf("local", "remote"),
    port: integer(1, 65535),
    bind: oneOf("auto", "lan", "loopback", "custom", "tailnet"),
    customBindHost: (value) => typeof value === "string" && /^(\d{1,3})(\.\d{1,3}){3}$/.test(value),
    // A secret reference (`{source, id}`) is left to the schema; a literal string is a valid secret input.
    auth: only({
      mode: oneOf("none", "token", "password", "trusted-proxy"),
      token: isString,
      password: isString,
      allowTailscale: isBoolean,
    }),
    trustedProxies: strings,
    allowRealIpFallback: isBoolean,
    controlUi: only({ enabled: isBoolean, basePath: isString, allowedOrigins: strings }),
    reload: only({ mode: oneOf("off", "hot", "restart", "hybrid"), debounceMs: integer(0, 60_000) }),
    tailscale: only({ mode: oneOf("off", "serve", "funnel"), preserveFunnel: isBoolean }),
  }),
  logging: only({
    level: LOG_LEVEL,
    consoleLevel: LOG_LEVEL,
    consoleStyle: oneOf("pretty", "json", "compact"),
    file: isString,
    maxFileBytes: integer(1),
    redactPatterns: strings,
  }),
  session: only({
    dmScope: oneOf("main", "per-peer", "per-channel-peer", "per-account-channel-peer"),
    groupScope: oneOf("per-group", "main"),
  }),
  attachments: only({ ttlHours: integer(1, 168) }),
  // What OpenClaw's onboarding and migrations write (src/config/schema_onboarding.ts); no resolver reads them.
  meta: only({
    lastTouchedVersion: isString,
    migrations: only({
      modelPolicyAllowlist: (value) => value === true,
      utilityModelSeparation: (value) => value === true,
    }),
  }),
  wizard: only({
    accessMode: oneOf("full", "guarded"),
    appRecommendations: isBoolean,
    lastRunAt: isString,
    lastRunVersion: isString,
    lastRunCommit: isString,
    lastRunCommand: isString,
    lastRunMode: oneOf("local", "remote"),
    securityAcknowledgedAt: isString,
  }),
});

/**
 * True when the config (parsed and `${VAR}`-substituted) is one the full schema accepts unchanged
 * and no resolver reads beyond `gateway`, `logging`, `session` and `attachments`; false means
 * "ask the schema", never "invalid".
 */
export function isPlainConfig(config: unknown): config is RawConfig {
  return PLAIN_CONFIG(config);
}
