// The reference's hook template syntax: `{{payload.a.b}}` or `{{a.b}}`, array indexing
// (`{{messages[0].subject}}`), `{{headers.x-event}}`, `{{query.kind}}`, `{{path}}`, `{{now}}`.
// Missing and null values render empty; objects render as JSON.

/** What a template reads from: the request a mapping matched. */
export interface HookTemplateContext {
  payload: Record<string, unknown>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  url: URL;
  /** The sub-path after `hooks.path`, without leading slashes. */
  path: string;
}

const EXPRESSION = /\{\{\s*([^}]+)\s*\}\}/g;
// Prototype keys are never walked, so a template cannot reach beyond the payload's own data.
const BLOCKED_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/** Whether `template` has a `{{...}}` expression (a templated session key is payload-derived). */
export function hasTemplateExpressions(template: string): boolean {
  return /\{\{\s*[^}]+\s*\}\}/.test(template);
}

/** Renders `template` against `ctx`. */
export function renderTemplate(template: string | undefined, ctx: HookTemplateContext): string {
  if (!template) return "";
  return template.replace(EXPRESSION, (_, expr: string) => {
    const value = resolveExpression(expr.trim(), ctx);
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value) ?? "";
  });
}

/** Renders an optional template; an empty result is `undefined`. */
export function renderOptional(template: string | undefined, ctx: HookTemplateContext): string | undefined {
  if (!template) return undefined;
  const rendered = renderTemplate(template, ctx).trim();
  return rendered || undefined;
}

function resolveExpression(expr: string, ctx: HookTemplateContext): unknown {
  if (expr === "path") return ctx.path;
  if (expr === "now") return new Date().toISOString();
  if (expr.startsWith("headers.")) return getByPath(ctx.headers, expr.slice(8));
  if (expr.startsWith("query.")) return getByPath(Object.fromEntries(ctx.url.searchParams.entries()), expr.slice(6));
  if (expr.startsWith("payload.")) return getByPath(ctx.payload, expr.slice(8));
  return getByPath(ctx.payload, expr);
}

/** Walks `a.b[0].c` through plain data; anything off the path is `undefined`. */
export function getByPath(input: unknown, pathExpr: string): unknown {
  const parts: (string | number)[] = [];
  for (const match of pathExpr.matchAll(/([^.[\]]+)|(\[(\d+)\])/g)) {
    if (match[1]) parts.push(match[1]);
    else if (match[3]) parts.push(Number(match[3]));
  }
  if (parts.length === 0) return undefined;
  let current = input;
  for (const part of parts) {
    if (current === null || current === undefined) return undefined;
    if (typeof part === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[part];
      continue;
    }
    if (BLOCKED_KEYS.has(part) || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
