import { ChannelError } from "../errors.ts";
import { sanitize, splitBytes } from "./protocol.ts";

/** Bytes of a PRIVMSG line the text may take: 512 minus our prefix as others see it and the command. */
const LINE_BUDGET = 512 - 2 - 100;
/** Longest nick or channel a message may go to. */
const MAX_TARGET_BYTES = 200;

/**
 * The PRIVMSG lines that carry a message to a nick or channel. IRC has no multi-line messages
 * and no Markdown: one line per text line, code fences dropped, long lines split on byte budget.
 * Throws a {@link ChannelError} for a target that is not one, or a text that is empty once formatted.
 */
export function privmsgLines(target: string, text: string): string[] {
  if (!/^[^\s,\0]+$/.test(target)) throw new ChannelError("invalid", `"${target}" is not an IRC nick or channel`);
  // Servers cap nicks near 30 and channels near 50 bytes; a longer target leaves no room for text.
  if (new TextEncoder().encode(target).length > MAX_TARGET_BYTES) {
    throw new ChannelError(
      "invalid",
      `An IRC target is at most ${MAX_TARGET_BYTES} bytes; "${target.slice(0, 40)}…" is longer`,
    );
  }
  const lines = text.split("\n").map((l) => sanitize(l).trimEnd()).filter((l) => l.trim() && !/^\s*```\w*\s*$/.test(l));
  const pieces = lines.flatMap((l) => splitBytes(l, LINE_BUDGET - target.length));
  if (pieces.length === 0) throw new ChannelError("invalid", "The message is empty once formatted for IRC");
  return pieces.map((piece) => `PRIVMSG ${target} :${piece}`);
}
