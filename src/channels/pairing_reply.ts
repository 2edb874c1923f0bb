/** The reference's answer to an unknown DM sender under `dmPolicy: "pairing"`, word for word. */
export function pairingReply(channel: string, idLine: string, code: string): string {
  return [
    "OpenClaw: access not configured.",
    "",
    idLine,
    "Pairing code:",
    "```",
    code,
    "```",
    "",
    "Ask the bot owner to approve with:",
    "```",
    `openclaw pairing approve ${channel} ${code}`,
    "```",
  ].join("\n");
}

/** What the reference tells a sender once the owner approved them (`pairing approve --notify`). */
export const PAIRING_APPROVED_MESSAGE = "✅ OpenClaw access approved. Send a message to start chatting.";
