// An agent's provider retry settings, where the reference keeps them: `<agentDir>/settings.json`, its embedded
// agent's global settings file, `retry.provider.maxRetries` and `retry.provider.maxRetryDelayMs`. Looked at for
// each run, as the reference reads the file for each run it prepares, but through a stat: an async read of the
// (usually missing) file put a thread-pool round trip and a NotFound in front of every model request, 0.8 ms of a
// streamed `/v1/chat/completions` answer (docs/performance.md, session 30).
import { type AbsentPaths, knownAbsent, recordAbsent } from "../state/absent_paths.ts";
import { sameStamp, settled, type Stamp, stampOf } from "../state/path_stamp.ts";
import { DEFAULT_MAX_RETRY_DELAY_MS, type ProviderRetrySettings } from "./transient_retry.ts";

/** The most settings files kept (one per agent); past it the oldest go first. */
const MAX_KEPT_FILES = 256;

/**
 * Settings files kept between runs: each file's settings with the stamp it had when read (used while a stat
 * still shows that stamp), and the files known to be absent (while their directory is unchanged).
 */
export interface ProviderRetryCache {
  files: Map<string, { stamp: Stamp; settings: ProviderRetrySettings }>;
  absent: AbsentPaths;
}

/** An empty {@link ProviderRetryCache}, for the life of one run engine. */
export function providerRetryCache(): ProviderRetryCache {
  return { files: new Map(), absent: new Map() };
}

/** A non-negative number, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The settings in a settings file's text; the defaults for what it does not set (or for text that is not JSON). */
export function providerRetrySettings(text: string | undefined): ProviderRetrySettings {
  let provider: Record<string, unknown> | undefined;
  try {
    const parsed = text === undefined ? undefined : JSON.parse(text) as { retry?: { provider?: unknown } } | null;
    const found = parsed?.retry?.provider;
    provider = found !== null && typeof found === "object" ? found as Record<string, unknown> : undefined;
  } catch {
    // The reference ignores a settings file it cannot parse (and reports it elsewhere): the defaults apply.
  }
  return {
    maxRetries: count(provider?.maxRetries),
    maxRetryDelayMs: count(provider?.maxRetryDelayMs) ?? DEFAULT_MAX_RETRY_DELAY_MS,
  };
}

function statOrError(path: string): Deno.FileInfo | Error {
  try {
    return Deno.statSync(path);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * `<agentDir>/settings.json`'s provider retry settings; the defaults when the file is absent or unreadable. An edit
 * is seen by the next run: a kept file is used only while its stat is unchanged, and only once that stamp has
 * settled (`now`, tests move it); an absent one only while the directory above it is unchanged.
 */
export function readProviderRetrySettings(
  agentDir: string,
  cache: ProviderRetryCache,
  now: () => number = Date.now,
): ProviderRetrySettings {
  const path = `${agentDir}/settings.json`;
  if (knownAbsent(cache.absent, path)) return providerRetrySettings(undefined);
  const at = now();
  const info = statOrError(path);
  if (info instanceof Error) {
    if (info instanceof Deno.errors.NotFound) recordAbsent(cache.absent, path, at);
    return providerRetrySettings(undefined);
  }
  const stamp = info.isFile ? stampOf(info) : undefined;
  const kept = cache.files.get(path);
  if (kept && stamp && sameStamp(kept.stamp, stamp)) return kept.settings;
  cache.files.delete(path);
  let text: string | undefined;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    // Unreadable (a directory, no permission): the defaults, as for a missing file.
  }
  const settings = providerRetrySettings(text);
  // Kept only once settled: a write within the clock's grain after this stat could leave the stamp as it is.
  if (stamp && text !== undefined && settled(stamp, at)) {
    cache.files.set(path, { stamp, settings });
    for (const oldest of cache.files.keys()) {
      if (cache.files.size <= MAX_KEPT_FILES) break;
      cache.files.delete(oldest);
    }
  }
  return settings;
}
