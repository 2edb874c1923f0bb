// `openclaw secrets configure`: the reference's interactive planner. Its non-interactive edges answer as
// the reference's: without a TTY (or with both --providers-only and --skip-provider-setup) it refuses with
// its words, exit 1. The interactive planner itself is not built here: on a TTY it refuses naming the
// hand-written plan route (`openclaw secrets apply --from <plan>`), see docs/compatibility.md.
import { messageOf } from "../../log/error_text.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson } from "../output.ts";

/** Options of `openclaw secrets configure`. */
export interface SecretsConfigureOptions extends GlobalOptions {
  providersOnly?: boolean;
  skipProviderSetup?: boolean;
  json?: boolean;
}

/** Why `secrets configure` cannot run here: no TTY, conflicting flags, or the planner not built. */
export class SecretsConfigureRefusal extends Error {}

/** The refusal for these options and terminal, checked in the reference's order. */
export function configureRefusal(options: SecretsConfigureOptions, isTty: boolean): SecretsConfigureRefusal {
  if (!isTty) return new SecretsConfigureRefusal("secrets configure requires an interactive TTY.");
  if (options.providersOnly && options.skipProviderSetup) {
    return new SecretsConfigureRefusal("Cannot combine --providers-only with --skip-provider-setup.");
  }
  return new SecretsConfigureRefusal(
    "the interactive planner is not available in this gateway; write a plan (docs: Secrets Apply Plan Contract) and run openclaw secrets apply --from <plan> --dry-run",
  );
}

/** Runs `openclaw secrets configure`: always a refusal here; returns exit code 1. */
export function secretsConfigure(options: SecretsConfigureOptions): Promise<number> {
  const refusal = configureRefusal(options, Deno.stdin.isTerminal());
  if (options.json) printJson({ ok: false, error: { type: "cli_error", message: messageOf(refusal) } });
  else {
    printError(
      `Secrets configure failed: ${refusal.message}. Re-run openclaw secrets audit before applying changes.`,
    );
  }
  return Promise.resolve(1);
}
