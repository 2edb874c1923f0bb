// The exec tool's arguments as the reference declares them, and their checks: a wrong argument is a
// ToolError worded for the model, which reads it and tries again.
import { ToolError } from "./tool.ts";

/** The reference's exec arguments (title, pty, ask and node are accepted; see the docs for what is used). */
export const EXEC_PARAMETERS = {
  type: "object",
  properties: {
    title: {
      type: "string",
      maxLength: 120,
      description: "Every call: short purpose; never claim success. No secrets.",
    },
    command: { type: "string", description: "Shell command." },
    workdir: { type: "string", description: "Omit/empty string: default; whitespace-only invalid." },
    env: {
      type: "object",
      patternProperties: { "^.*$": { type: "string" } },
      description: "Literal overrides; no expansion. Omit to inherit.",
    },
    yieldMs: { type: "number", description: "Milliseconds before backgrounding; default 10000." },
    background: { type: "boolean", description: "Background now; timeoutSeconds applies." },
    timeoutSeconds: { type: "number", description: "Process lifetime in seconds; 0 disables." },
    pty: { type: "boolean", description: "PTY for TTY-required CLIs/coding agents." },
    elevated: { type: "boolean", description: "Host elevation if allowed." },
    host: {
      type: "string",
      enum: ["auto", "sandbox", "gateway", "node"],
      description: "Omit/auto: inherit configured host.",
    },
    ask: {
      type: "string",
      description:
        "Requests stricter approvals under tools.exec.mode and host policy; channel-origin calls cannot override host ask=off.",
    },
    node: { type: "string", description: "Node id/name for host=node." },
  },
  required: ["command"],
} as const;

/** The parsed arguments of one call. */
export interface ExecArgs {
  command: string;
  workdir: string | undefined;
  env: Record<string, string>;
  yieldMs: number | undefined;
  background: boolean;
  timeoutSeconds: number | undefined;
  pty: boolean;
  elevated: boolean;
  host: string | undefined;
  ask: "off" | "on-miss" | "always" | undefined;
}

/** Checks and narrows the model's arguments; a wrong one is a ToolError the model can fix. */
export function parseExecArgs(args: Record<string, unknown>): ExecArgs {
  const { command, workdir, env, yieldMs, background, timeoutSeconds, pty, elevated, host, ask } = args;
  if (typeof command !== "string" || command.trim() === "") throw new ToolError("Provide a command to start.");
  if (workdir !== undefined && typeof workdir !== "string") throw new ToolError("workdir must be a string.");
  if (typeof workdir === "string" && workdir !== "" && workdir.trim() === "") {
    throw new ToolError("workdir must not be whitespace-only; omit it to use the default cwd.");
  }
  if (env !== undefined && (env === null || typeof env !== "object" || Array.isArray(env))) {
    throw new ToolError("env must be an object of string values.");
  }
  const envEntries = Object.entries((env ?? {}) as Record<string, unknown>);
  if (envEntries.some(([, value]) => typeof value !== "string")) throw new ToolError("env values must be strings.");
  for (const [name, value] of [["yieldMs", yieldMs], ["timeoutSeconds", timeoutSeconds]] as const) {
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
      throw new ToolError(`${name} must be a number of at least 0.`);
    }
  }
  if (host !== undefined && typeof host !== "string") {
    throw new ToolError("host must be one of auto, sandbox, gateway, node.");
  }
  return {
    command,
    workdir: typeof workdir === "string" && workdir !== "" ? workdir : undefined,
    env: Object.fromEntries(envEntries) as Record<string, string>,
    yieldMs: yieldMs as number | undefined,
    background: background === true,
    timeoutSeconds: timeoutSeconds as number | undefined,
    pty: pty === true,
    elevated: elevated === true,
    host: host as string | undefined,
    ask: ask === "off" || ask === "on-miss" || ask === "always" ? ask : undefined,
  };
}
