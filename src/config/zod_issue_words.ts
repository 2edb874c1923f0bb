// How the reference words a zod issue of the config schema: zod's message, a numeric bound appended
// (`(maximum: 65535)`), and the values a refused choice could take (`(allowed: "a", "b")`, also
// listed as `allowedValues` in `--json`). The candidates come from the issue itself: an enum's or a
// literal's values, `true`/`false` for a boolean, and for a union every branch's, but only when each
// branch offers some (a union with a free-form branch has no closed list).
import { appendAllowedValuesHint, summarizeAllowedValues } from "./allowed_values.ts";

/** A zod issue as the mapping reads it: the fields of zod v4's issue records it needs, all optional. */
export interface ZodIssueRecord {
  code?: unknown;
  message?: unknown;
  origin?: unknown;
  inclusive?: unknown;
  maximum?: unknown;
  minimum?: unknown;
  values?: unknown;
  expected?: unknown;
  errors?: unknown;
}

/** What the reference shows for one zod issue. */
export interface ZodIssueWords {
  message: string;
  allowedValues?: string[];
  allowedValuesHiddenCount?: number;
}

/** `message` with the bound a number broke: `(maximum: n)`, `(minimum: n)`, or the exclusive forms. */
export function appendNumericBoundHint(message: string, issue: ZodIssueRecord): string {
  if (issue.origin !== "number") return message;
  const inclusive = issue.inclusive === true;
  if (issue.code === "too_big" && typeof issue.maximum === "number") {
    return inclusive ? `${message} (maximum: ${issue.maximum})` : `${message} (must be less than ${issue.maximum})`;
  }
  if (issue.code === "too_small" && typeof issue.minimum === "number") {
    return inclusive ? `${message} (minimum: ${issue.minimum})` : `${message} (must be greater than ${issue.minimum})`;
  }
  return message;
}

interface Collected {
  values: unknown[];
  /** Some branch admits values no list names: no hint at all. */
  incomplete: boolean;
}

const NONE: Collected = { values: [], incomplete: false };
const OPEN: Collected = { values: [], incomplete: true };

function isRecord(value: unknown): value is ZodIssueRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function collectFromIssue(issue: unknown): Collected {
  if (!isRecord(issue)) return NONE;
  if (issue.code === "invalid_value") {
    return Array.isArray(issue.values) ? { values: issue.values, incomplete: false } : OPEN;
  }
  if (issue.code === "invalid_type") {
    return issue.expected === "boolean" ? { values: [true, false], incomplete: false } : OPEN;
  }
  if (issue.code !== "invalid_union") return NONE;
  const branches = issue.errors;
  if (!Array.isArray(branches) || branches.length === 0) return OPEN;
  const values: unknown[] = [];
  for (const branch of branches) {
    if (!Array.isArray(branch) || branch.length === 0) return OPEN;
    const collected = collectFromList(branch);
    if (collected.incomplete || collected.values.length === 0) return OPEN;
    values.push(...collected.values);
  }
  return { values, incomplete: false };
}

function collectFromList(issues: readonly unknown[]): Collected {
  const values: unknown[] = [];
  for (const issue of issues) {
    const collected = collectFromIssue(issue);
    if (collected.incomplete) return OPEN;
    values.push(...collected.values);
  }
  return { values, incomplete: false };
}

/** The values a refused value could have been, per the issue; empty when the choice is open. */
export function allowedValuesOf(issue: unknown): unknown[] {
  const collected = collectFromIssue(issue);
  return collected.incomplete ? [] : collected.values;
}

/** The reference's words for one zod issue: message with its hints, and the allowed values. */
export function zodIssueWords(issue: ZodIssueRecord): ZodIssueWords {
  const base = typeof issue.message === "string" ? issue.message : "Invalid input";
  const message = appendNumericBoundHint(base, issue);
  const summary = summarizeAllowedValues(allowedValuesOf(issue));
  if (!summary) return { message };
  return {
    message: appendAllowedValuesHint(message, summary),
    allowedValues: summary.values,
    allowedValuesHiddenCount: summary.hiddenCount,
  };
}
