import { GatewayCloseCodes } from "discord-api-types/v10";

/** Close codes the reference treats as fatal: a bad token, sharding, API version or intents. */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  GatewayCloseCodes.AuthenticationFailed,
  GatewayCloseCodes.InvalidShard,
  GatewayCloseCodes.ShardingRequired,
  GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents,
  GatewayCloseCodes.DisallowedIntents,
]);

/** The reference's words for a fatal close (4014 gets its own hint). */
export function fatalCloseMessage(code: number, detail: string): string {
  return code === GatewayCloseCodes.DisallowedIntents
    ? "discord: gateway closed with code 4014 (missing privileged gateway intents). Enable the required intents in the Discord Developer Portal or disable them in config."
    : `discord gateway fatal: Fatal gateway close code: ${code} (${detail})`;
}

/** Whether a gateway close code means retrying cannot help. */
export function isFatalClose(code: number | undefined): code is number {
  return code !== undefined && FATAL_CLOSE_CODES.has(code);
}
