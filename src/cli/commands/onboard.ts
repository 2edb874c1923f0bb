// `openclaw onboard`: the reference's (OpenClaw 2026.9.6) option refusals, then local
// non-interactive setup (onboard_local.ts). The interactive wizards and remote mode are not served:
// they are refused with a message naming the served form, and nothing is written.
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson } from "../output.ts";
import { jsonFailure } from "./config_common.ts";
import { StateDbUnreadable } from "./onboard_auth.ts";
import { asOnboardRefusal, onboardLocal } from "./onboard_local.ts";
import { type OnboardOptions, onboardRefusal, parseGatewayPort } from "./onboard_options.ts";

/** The reference's `--json` refusal envelope of an onboarding option (stdout), with the words on stderr. */
function refuse(message: string, json: boolean | undefined): number {
  if (json) printJson({ ok: false, phase: "options", message });
  printError(message);
  return 1;
}

const NOT_SERVED_INTERACTIVE =
  "The interactive onboarding wizard is not served by this gateway. Use `openclaw onboard --non-interactive --accept-risk ...` for setup.";
const NOT_SERVED_REMOTE =
  "Remote onboarding (--mode remote) is not served by this gateway. Set gateway.remote.url with `openclaw config set`, or run `openclaw onboard --non-interactive --accept-risk --mode local`.";

/** Runs `openclaw onboard` and returns its exit code. */
export async function onboard(options: GlobalOptions & OnboardOptions): Promise<number> {
  const port = parseGatewayPort(options.gatewayPort);
  if (typeof port === "object") {
    // The reference parses the port while reading its flags: its generic failure, not the options envelope.
    if (!options.json) {
      printError(port.refusal);
      return 1;
    }
    printJson(jsonFailure(port.refusal));
    printFailureBlock(port.refusal);
    return 1;
  }
  const interactive = Deno.stdin.isTerminal() && Deno.stdout.isTerminal();
  const refusal = onboardRefusal(options, interactive);
  if (refusal) return refuse(refusal, options.json);
  if (!options.nonInteractive) return refuse(NOT_SERVED_INTERACTIVE, options.json);
  if (options.mode === "remote") return refuse(NOT_SERVED_REMOTE, options.json);
  try {
    return await onboardLocal(options, port);
  } catch (error) {
    if (error instanceof StateDbUnreadable) {
      // The reference's generic failure: its envelope on stdout with `--json`, the block on stderr.
      if (options.json) printJson(jsonFailure(error.message));
      printFailureBlock(error.message);
      return 1;
    }
    const known = asOnboardRefusal(error);
    if (!known) throw error;
    if (!options.json || !known.json) return refuse(known.message, options.json);
    printJson(known.json.envelope);
    printError(known.json.stderr);
    return 1;
  }
}
