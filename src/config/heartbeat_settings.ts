// Per-agent heartbeat settings as `health.agents[].heartbeat` and `status.heartbeat` report them.
import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** The heartbeat settings of one agent, in the reference's key order. */
export interface HeartbeatSettings {
  enabled: boolean;
  every: string;
  everyMs: number | null;
  prompt: string;
  target: string;
  model?: string | undefined;
  session?: string | undefined;
  ackMaxChars: number;
}

/** The reference's delivery target when none is configured. */
const DEFAULT_TARGET = "owner";
/** The reference caps heartbeat acknowledgements at this many characters, whatever the config. */
const ACK_MAX_CHARS = 300;

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function agentEntry(config: RawConfig, agentId: string): Record<string, unknown> {
  const agents = record(config.agents);
  const fromEntries = record(agents.entries)[agentId];
  if (isJsonObject(fromEntries)) return fromEntries;
  const fromList = Array.isArray(agents.list) ? agents.list.find((entry) => record(entry).id === agentId) : undefined;
  return record(fromList);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * The heartbeat settings of `agentId`: `agents.defaults.heartbeat` overlaid with the agent's own.
 * This gateway runs no scheduled heartbeat turns, so every agent reports what the reference
 * reports for a heartbeat that does not run (`enabled: false`, `every: "disabled"`,
 * `everyMs: null`), with the prompt, target, model and session the config sets.
 */
export function heartbeatSettings(config: RawConfig, agentId: string): HeartbeatSettings {
  const merged = {
    ...record(record(record(config.agents).defaults).heartbeat),
    ...record(agentEntry(config, agentId).heartbeat),
  };
  return {
    enabled: false,
    every: "disabled",
    everyMs: null,
    prompt: text(merged.prompt) ?? "",
    target: text(merged.target) ?? DEFAULT_TARGET,
    model: text(merged.model),
    session: text(merged.session),
    ackMaxChars: ACK_MAX_CHARS,
  };
}
