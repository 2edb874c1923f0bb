// Model-facing names of MCP tools, as the reference builds them: `<server>__<tool>`, each part
// reduced to provider-safe characters, the server part capped at 30 and the whole at 64
// characters, collisions suffixed `-2`, `-3`, ... (case-insensitively).

const UNSAFE = /[^A-Za-z0-9_-]/g;
const MAX_SERVER_CHARS = 30;
const MAX_TOTAL_CHARS = 64;

function fragment(raw: string, fallback: string, maxChars?: number): string {
  const normalized = raw.trim().replace(UNSAFE, "-") || fallback;
  const safe = /^[A-Za-z]/.test(normalized) ? normalized : `${fallback}-${normalized}`;
  return maxChars && safe.length > maxChars ? safe.slice(0, maxChars) : safe;
}

/**
 * Safe server names for the declared servers, in declaration order (the order decides which of
 * two colliding names gets the suffix, as in the reference).
 */
export function assignSafeServerNames(names: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const name of names) {
    const base = fragment(name, "mcp", MAX_SERVER_CHARS);
    let candidate = base;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) {
      const suffix = `-${n}`;
      candidate = `${base.slice(0, Math.max(1, MAX_SERVER_CHARS - suffix.length))}${suffix}`;
    }
    used.add(candidate.toLowerCase());
    out.set(name, candidate);
  }
  return out;
}

/**
 * The model-facing name of one MCP tool, unique against `reserved` (lower-cased names already
 * taken); the caller adds the result to `reserved`.
 */
export function mcpToolName(safeServerName: string, toolName: string, reserved: ReadonlySet<string>): string {
  const maxToolChars = Math.max(1, MAX_TOTAL_CHARS - safeServerName.length - 2);
  const truncated = fragment(toolName, "tool").slice(0, maxToolChars);
  let tool = truncated || "tool";
  let candidate = `${safeServerName}__${tool}`;
  for (let n = 2; reserved.has(candidate.toLowerCase()); n++) {
    const suffix = `-${n}`;
    tool = `${(truncated || "tool").slice(0, Math.max(1, maxToolChars - suffix.length))}${suffix}`;
    candidate = `${safeServerName}__${tool}`;
  }
  return candidate;
}

/** The reference's tool-filter glob: exact text, or `*` matching any run of characters. */
export function matchesMcpToolPattern(pattern: string, value: string): boolean {
  const trimmed = pattern.trim();
  if (!trimmed) return false;
  if (!trimmed.includes("*")) return trimmed === value;
  const escaped = trimmed.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`, "s").test(value);
}

/** Include-then-exclude, as the reference applies `toolFilter`. */
export function mcpToolAllowed(filter: { include: string[]; exclude: string[] }, toolName: string): boolean {
  const matches = (pattern: string) => matchesMcpToolPattern(pattern, toolName);
  return (filter.include.length === 0 || filter.include.some(matches)) && !filter.exclude.some(matches);
}
