// The `openclaw security` command tree, as the reference names it; the action imports
// cli/commands/security_audit.ts lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

/** Adds `openclaw security audit` to `program`. */
export function addSecurityCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const security = program.command("security").description(
    "Audit local config and state for common security foot-guns",
  );
  security.command("audit").description("Audit config + local state for common security foot-guns")
    .option("--deep", "Attempt live Gateway probes and plugin-owned collector checks", false)
    .option("--auth <mode>", 'Runtime gateway auth mode ("none"|"token"|"password"|"trusted-proxy")')
    .option("--token <token>", "Use explicit gateway token for deep probe auth")
    .option("--password <password>", "Use explicit gateway password for deep probe auth")
    .option("--fix", "Apply safe fixes (tighten defaults + chmod state/config)", false)
    .option("--json", "Print JSON", false)
    .action((options) =>
      run(async () => (await import("./commands/security_audit.ts")).securityAudit({ ...globals(), ...options }))
    );
}
