// The bundled `compaction-notifier` hook: short progress notes pushed to the event's `messages` around a
// session compaction, in the reference's words.
import type { InternalHookHandler } from "../agent/internal_hooks.ts";

function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The handler: `session:compact:before` and `session:compact:after` each push one line. */
export const compactionNotifier: InternalHookHandler = (event) => {
  if (event.type !== "session") return;
  if (event.action === "compact:before") {
    const count = finiteNumber(event.context.messageCount);
    const suffix = count !== undefined && count >= 0 ? ` (${count} messages)` : "";
    event.messages.push(`🧹 Compacting context${suffix} so I can continue without losing history…`);
  } else if (event.action === "compact:after") {
    const before = finiteNumber(event.context.tokensBefore);
    const after = finiteNumber(event.context.tokensAfter);
    // en-US grouping, as node's default locale writes it in the reference.
    const delta = before !== undefined && after !== undefined
      ? ` (${before.toLocaleString("en-US")} → ${after.toLocaleString("en-US")} tokens)`
      : "";
    event.messages.push(`✅ Context compacted${delta}. Continuing from where I left off.`);
  }
};
