import type { ConfigIssue } from "./errors.ts";
import type { EnvSnapshot } from "./paths.ts";

// `$${VAR}` escapes to a literal `${VAR}`; only upper-case names are variables, as in OpenClaw.
const REFERENCE = /\$(\$?)\{([A-Z_][A-Z0-9_]*)\}/g;

/** The result of substituting `${VAR}` references through a parsed config tree. */
export interface SubstitutionResult {
  value: unknown;
  /** One issue per reference to an unset variable, with the key path that holds it. */
  issues: ConfigIssue[];
}

/**
 * Replaces `${VAR}` in every string of a parsed config. Unlike the reference, a reference to an
 * unset variable is an error naming the variable and the key, never kept as literal text
 * (a literal `${HOOK_TOKEN}` silently became a working hook secret there).
 */
export function substituteEnv(value: unknown, env: EnvSnapshot): SubstitutionResult {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, path: string[]): unknown => {
    if (typeof node === "string") return substituteString(node, env, path, issues);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, String(i)]));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = walk(child, [...path, key]);
      return out;
    }
    return node;
  };
  return { value: walk(value, []), issues };
}

function substituteString(
  text: string,
  env: EnvSnapshot,
  path: string[],
  issues: ConfigIssue[],
): string {
  if (!text.includes("${")) return text;
  return text.replace(REFERENCE, (whole, escape: string, name: string) => {
    if (escape) return whole.slice(1);
    const found = env[name];
    if (found === undefined) {
      issues.push({
        path: path.join("."),
        message: `references environment variable ${name}, which is not set. Set ${name} or write the value directly`,
      });
      return whole;
    }
    return found;
  });
}
