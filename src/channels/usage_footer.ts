// The usage footer a channel reply carries when its session asks for one (`responseUsage`, the reference TUI's
// `/usage tokens`): the run's tokens in the reference's words, appended to the reply's last text.
import { formatTokenCount } from "../agent/compaction.ts";
import { effectiveResponseUsage } from "../sessions/session_settings.ts";

/** A run's token counts, as a run outcome carries them. */
export interface FooterUsage {
  input: number;
  output: number;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
}

/**
 * The footer line (`Usage: 10 in / 8 out`, with ` · cache 1.2k cached / 0 new` when the cache was used) for a
 * session's `responseUsage`; undefined when it is off or the run reported no tokens. "full" gets the same line:
 * the reference's usage bar is not drawn here (docs/compatibility.md).
 */
export function usageFooter(responseUsage: string | undefined, usage: FooterUsage): string | undefined {
  if (effectiveResponseUsage(responseUsage) === "off") return undefined;
  const cacheRead = usage.cacheRead ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  if (!(usage.input > 0 || usage.output > 0 || cacheRead > 0 || cacheWrite > 0)) return undefined;
  const cache = cacheRead > 0 || cacheWrite > 0
    ? ` · cache ${formatTokenCount(cacheRead)} cached / ${formatTokenCount(cacheWrite)} new`
    : "";
  return `Usage: ${formatTokenCount(usage.input)} in / ${formatTokenCount(usage.output)} out${cache}`;
}
