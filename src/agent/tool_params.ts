// Required-argument checks for the file tools, worded as the reference words them so a model that
// left one out (or sent an empty one) knows what to resend: "Missing required parameter: path
// (received: content). Supply correct parameters before retrying."
import { ToolError } from "./tool.ts";
import { isJsonObject } from "../log/json_object.ts";

/** One required argument (or one of several keys), optionally with its own validity test. */
export interface RequiredParam {
  keys: string[];
  label: string;
  /** An empty string counts (write's `content`). */
  allowEmpty?: boolean;
  validator?: (record: Record<string, unknown>) => boolean;
}

const SUFFIX = " Supply correct parameters before retrying.";

function describe(value: unknown, allowEmpty: boolean): string | undefined {
  if (typeof value === "string") return allowEmpty || value.trim().length > 0 ? undefined : "<empty-string>";
  if (Array.isArray(value)) return "<array>";
  return `<${typeof value}>`;
}

function receivedHint(record: Record<string, unknown>, groups: readonly RequiredParam[]): string {
  const allowEmpty = new Set(groups.filter((group) => group.allowEmpty).flatMap((group) => group.keys));
  const received = Object.entries(record).filter(([, value]) => value !== undefined && value !== null).map(
    ([key, value]) => {
      const detail = describe(value, allowEmpty.has(key));
      return detail ? `${key}=${detail}` : key;
    },
  );
  return received.length > 0 ? ` (received: ${received.join(", ")})` : "";
}

/** Throws the reference's retry guidance when a required argument is missing, empty or invalid. */
export function assertRequiredParams(record: Record<string, unknown>, groups: readonly RequiredParam[]): void {
  const missing = groups.filter((group) =>
    !(group.validator?.(record) ?? group.keys.some((key) => {
      const value = record[key];
      return typeof value === "string" && (group.allowEmpty === true || value.trim().length > 0);
    }))
  ).map((group) => group.label);
  if (missing.length === 0) return;
  const noun = missing.length === 1 ? "parameter" : "parameters";
  throw new ToolError(`Missing required ${noun}: ${missing.join(", ")}${receivedHint(record, groups)}.${SUFFIX}`);
}

/** `edits` holds at least one replacement, each with a non-blank `oldText` and a string `newText`. */
export function validEdits(record: Record<string, unknown>): boolean {
  const edits = record.edits;
  return Array.isArray(edits) && edits.length > 0 &&
    edits.every((entry) =>
      isJsonObject(entry) && typeof entry.oldText === "string" && entry.oldText.trim().length > 0 &&
      typeof entry.newText === "string"
    );
}
