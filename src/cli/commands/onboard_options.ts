// The refusals of `openclaw onboard` before it reads or writes anything, word for word as the
// reference (OpenClaw 2026.9.6) words them, in its order: the port (parsed with the flags, before
// the rest: parseGatewayPort), then mode, choice flags, secret input mode, the risk
// acknowledgement and the terminal check of an interactive run (onboardRefusal).

/** The flags of `openclaw onboard` this gateway serves (commander's camel-cased names). */
export interface OnboardOptions {
  nonInteractive?: boolean;
  acceptRisk?: boolean;
  mode?: string;
  workspace?: string;
  gatewayPort?: string;
  gatewayBind?: string;
  gatewayAuth?: string;
  gatewayToken?: string;
  gatewayPassword?: string;
  secretInputMode?: string;
  authChoice?: string;
  anthropicApiKey?: string;
  skipBootstrap?: boolean;
  skipSkills?: boolean;
  skipHealth?: boolean;
  skipDaemon?: boolean;
  installDaemon?: boolean;
  skipHooks?: boolean;
  nodeManager?: string;
  json?: boolean;
}

const TTY_REQUIRED =
  "Onboarding needs an interactive TTY. Use `openclaw onboard --non-interactive --accept-risk ...` for automation.";

const CHOICES: readonly [string, keyof OnboardOptions, readonly string[]][] = [
  ["--gateway-bind", "gatewayBind", ["loopback", "tailnet", "lan", "auto", "custom"]],
  ["--gateway-auth", "gatewayAuth", ["token", "password"]],
];

/** `--gateway-port` as a port number, or the reference's refusal of it (undefined when not given). */
export function parseGatewayPort(raw: string | undefined): number | undefined | { refusal: string } {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const port = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { refusal: "--gateway-port must be an integer between 1 and 65535." };
  }
  return port;
}

/**
 * The first refusal the reference gives these options, or undefined when they may go on.
 * `interactiveTerminal` says whether stdin and stdout are terminals (only an interactive run asks).
 */
export function onboardRefusal(options: OnboardOptions, interactiveTerminal: boolean): string | undefined {
  if (options.mode !== undefined && options.mode !== "local" && options.mode !== "remote") {
    return `Invalid --mode "${options.mode}". Use "local" or "remote", or run openclaw onboard for interactive setup.`;
  }
  for (const [flag, key, allowed] of CHOICES) {
    const value = options[key];
    if (typeof value === "string" && !allowed.includes(value)) {
      return `Invalid ${flag} ${JSON.stringify(value)}. Use ${
        allowed.map((choice) => JSON.stringify(choice)).join(", ")
      }.`;
    }
  }
  if (options.nodeManager !== undefined && !["npm", "pnpm", "bun"].includes(options.nodeManager)) {
    return 'Invalid --node-manager. Use "npm", "pnpm", or "bun".';
  }
  if (options.secretInputMode !== undefined && !["plaintext", "ref"].includes(options.secretInputMode)) {
    return 'Invalid --secret-input-mode. Use "plaintext" or "ref", or run openclaw onboard for the interactive setup.';
  }
  if (options.nonInteractive && options.acceptRisk !== true) {
    return [
      "Non-interactive setup requires explicit risk acknowledgement.",
      "Read: https://docs.openclaw.ai/security",
      "Re-run with: openclaw onboard --non-interactive --accept-risk ...",
    ].join("\n");
  }
  if (!options.nonInteractive && !interactiveTerminal) return TTY_REQUIRED;
  return undefined;
}
