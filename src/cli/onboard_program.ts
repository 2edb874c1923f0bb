// The `openclaw onboard` command as the reference (OpenClaw 2026.9.6) names the flags of its local
// non-interactive setup; the action imports cli/commands/onboard.ts lazily. The wizard's other
// flags (auth choices, remote, import, reset, daemon install) are not registered: commander refuses
// them as unknown options.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

/** Adds `openclaw onboard` to `program`. */
export function addOnboardCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  program.command("onboard").description("Guided setup for auth, models, Gateway, workspace, channels, and skills")
    .option("--workspace <dir>", "Workspace proposal for guided setup; persisted by classic/non-interactive setup")
    .option("--non-interactive", "Run without prompts", false)
    .option(
      "--accept-risk",
      "Acknowledge that agents are powerful and full system access is risky (required for --non-interactive)",
      false,
    )
    .option("--mode <mode>", "Onboard mode: local|remote")
    .option("--auth-choice <choice>", "Auth: apiKey|skip (Anthropic API key; other providers are not served)")
    .option("--anthropic-api-key <key>", "Anthropic API key")
    .option("--secret-input-mode <mode>", "Credential persistence mode: plaintext|ref (default: plaintext)")
    .option("--gateway-port <port>", "Gateway port")
    .option("--gateway-bind <mode>", "Gateway bind: loopback|tailnet|lan|auto|custom")
    .option("--gateway-auth <mode>", "Gateway auth: token|password")
    .option("--gateway-token <token>", "Gateway token (token auth)")
    .option("--gateway-password <password>", "Gateway password (password auth)")
    .option("--skip-daemon", "Skip gateway service install")
    .option("--no-install-daemon", "Skip gateway service install")
    .option("--skip-skills", "Skip skills setup")
    .option("--skip-bootstrap", "Skip creating default agent workspace files")
    .option("--skip-health", "Skip health check")
    .option("--skip-hooks", "Skip hook setup")
    .option("--node-manager <name>", "Node manager for skills: npm|pnpm|bun")
    .option("--json", "Output JSON summary", false)
    .action((options) =>
      run(async () => (await import("./commands/onboard.ts")).onboard({ ...globals(), ...options }))
    );
}
