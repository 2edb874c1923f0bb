// The params fields the reference OpenClaw 2026.9.6 accepts that the pinned @openclaw/gateway-protocol
// 2026.9.1 rejects as unexpected, as facts (name, kind, bounds; every one optional): npm has no newer
// package, and the reference's own clients send them (its Control UI's `sessions.describe` with
// `agentId`, `models.list` with `sessionKey`, `sessions.list` with `excludeCron`, …). Found by diffing
// each validator's JSON Schema in the package with the reference's dist (tests/fixtures/protodrift/).
// tools/gen_protocol_checks.ts adds them to the package's schemas before compiling src/rpc/checks/;
// src/rpc/validators.ts words a refusal of one of them. Only fields the methods act on are listed:
// a field that would change the answer and is not acted on stays refused.

import { WORK_CONTEXT_LIMITS } from "../sessions/work_context.ts";
import type { StringLength } from "./string_length.ts";

/** One newer field: its JSON kind and the bounds the reference's schema puts on it. */
export interface NewerField {
  readonly kind: "string" | "boolean" | "integer" | "object";
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  /** A regular expression a string must match (JSON Schema `pattern`). */
  readonly pattern?: string;
  /** The only strings allowed. */
  readonly values?: readonly string[];
  /** An object's fields (no others allowed), each optional unless named in `required`. */
  readonly properties?: Readonly<Record<string, NewerField>>;
  readonly required?: readonly string[];
}

const nonEmpty = { kind: "string", minLength: 1 } as const satisfies NewerField;
const flag = { kind: "boolean" } as const satisfies NewerField;

/** By validator, the newer top-level fields by name (all optional). */
export const PROTOCOL_OVERLAY = {
  validateModelsListParams: {
    sessionKey: nonEmpty,
    provider: nonEmpty,
    authProfileId: { kind: "string", minLength: 1, maxLength: 256 },
    includeDetails: flag,
    includeDefaultModels: flag,
  },
  validateChatHistoryParams: { maxBytes: { kind: "integer", minimum: 1024 } },
  validateSessionsCatalogListParams: { allowPartialResults: flag, metadataOnly: flag },
  validateTasksListParams: { sortBy: { kind: "string", values: ["updatedAt", "endedAt"] } },
  validateWebLoginStartParams: { channel: nonEmpty },
  validateWebLoginWaitParams: { channel: nonEmpty, sessionKey: nonEmpty },
  validateSessionsDescribeParams: { agentId: nonEmpty },
  // The reference Control UI opens a session's link (`/chat/<agent>/<rest>`) by this: an exact key, then a slug.
  validateSessionsResolveParams: {
    reference: { kind: "object", properties: { key: nonEmpty, slug: nonEmpty }, required: ["key"] },
  },
  // The reference's cron page scoped to one session (its Control UI's session view).
  validateCronListParams: { sessionKey: nonEmpty, sessionAgentId: nonEmpty },
  validateSessionsResetParams: { expectedSessionId: nonEmpty },
  // The reference Control UI's assistant panel sends the page it was opened on (src/sessions/work_context.ts).
  validateChatSendParams: {
    workContext: {
      kind: "object",
      properties: {
        page: { kind: "string", minLength: 1, maxLength: WORK_CONTEXT_LIMITS.page },
        title: { kind: "string", maxLength: WORK_CONTEXT_LIMITS.title },
        sessionKey: { kind: "string", maxLength: WORK_CONTEXT_LIMITS.sessionKey },
        sessionId: { kind: "string", maxLength: WORK_CONTEXT_LIMITS.sessionId },
        agentId: { kind: "string", maxLength: WORK_CONTEXT_LIMITS.agentId },
        workspace: { kind: "string", maxLength: WORK_CONTEXT_LIMITS.workspace },
        file: { kind: "string", maxLength: WORK_CONTEXT_LIMITS.file },
        selection: { kind: "string", maxLength: WORK_CONTEXT_LIMITS.selection },
      },
      required: ["page"],
    },
  },
  // The reference's Control UI saves an agent file with the hash it read, and picks a model with its runtime.
  validateAgentsFilesSetParams: {
    expectedHash: { kind: "string", minLength: 64, maxLength: 64, pattern: "^[a-fA-F0-9]{64}$" },
  },
  validateAgentsUpdateParams: { agentRuntime: nonEmpty },
  validateSessionsListParams: {
    activeOnly: flag,
    excludeSubagents: flag,
    excludeCron: flag,
    excludeSystem: flag,
    pinned: flag,
    hasBoard: flag,
    projectId: nonEmpty,
    workspaceDir: nonEmpty,
    group: { kind: "string" },
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, NewerField>>>>;

/** The validators that have newer fields. */
export type OverlaidValidator = keyof typeof PROTOCOL_OVERLAY;

/** The TypeScript type of one newer field. */
type FieldType<F> = F extends { values: readonly (infer V)[] } ? V
  : F extends { kind: "object"; properties: infer P } ? { [K in keyof P]?: FieldType<P[K]> }
  : F extends { kind: "boolean" } ? boolean
  : F extends { kind: "integer" } ? number
  : string;

/** The newer fields of a validator as TypeScript sees them (all optional). */
export type NewerFieldsOf<V extends OverlaidValidator> = {
  [K in keyof (typeof PROTOCOL_OVERLAY)[V]]?: FieldType<(typeof PROTOCOL_OVERLAY)[V][K]>;
};

/** The newer fields of `validator`, or none. */
export function newerFieldsOf(validator: string): Readonly<Record<string, NewerField>> {
  return Object.hasOwn(PROTOCOL_OVERLAY, validator) ? PROTOCOL_OVERLAY[validator as OverlaidValidator] : {};
}

/** The JSON Schema of a newer field, as the reference writes it. */
export function newerFieldSchema(field: NewerField): Record<string, unknown> {
  const { kind, values, properties, required, ...bounds } = field;
  if (values) return { type: "string", enum: [...values] };
  if (properties) {
    const shapes = Object.fromEntries(Object.entries(properties).map(([name, f]) => [name, newerFieldSchema(f)]));
    return { type: "object", properties: shapes, required: [...(required ?? [])], additionalProperties: false };
  }
  return { type: kind, ...bounds };
}

/** Why `value` breaks an object field (a missing required field, an unknown one, a bad value), or undefined. */
function objectProblem(
  properties: Readonly<Record<string, NewerField>>,
  required: readonly string[],
  value: unknown,
  lengths: StringLength,
): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "must be object";
  const missing = required.find((name) => !Object.hasOwn(value, name));
  if (missing) return `must have required property '${missing}'`;
  for (const [name, inner] of Object.entries(value)) {
    const field = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!field) return `unexpected property '${name}'`;
    const problem = newerFieldProblem(field, inner, lengths);
    // The path goes down to the field, as the package's `at /workContext/page: …` names it.
    if (problem) return problem.startsWith("/") ? `/${name}${problem}` : `/${name}: ${problem}`;
  }
  return undefined;
}

/**
 * Why `value` breaks `field`, in the package's words (`must be boolean`), or undefined when it fits; a
 * problem inside an object field starts with its path (`/page: must not have fewer than 1 characters`). String
 * lengths count as `lengths` says (string_length.ts: TypeBox's rule).
 */
export function newerFieldProblem(field: NewerField, value: unknown, lengths: StringLength): string | undefined {
  // An optional property present as `undefined` passes, as TypeBox decides (JSON never carries one).
  if (value === undefined) return undefined;
  if (field.values) {
    return field.values.includes(value as string) ? undefined : "must be equal to one of the allowed values";
  }
  if (field.kind === "boolean") return typeof value === "boolean" ? undefined : "must be boolean";
  if (field.properties) return objectProblem(field.properties, field.required ?? [], value, lengths);
  if (field.kind === "integer") {
    if (!Number.isInteger(value)) return "must be integer";
    const min = field.minimum;
    return min !== undefined && (value as number) < min ? `must be >= ${min}` : undefined;
  }
  if (typeof value !== "string") return "must be string";
  if (field.minLength !== undefined && !lengths.atLeast(value, field.minLength)) {
    return `must not have fewer than ${field.minLength} characters`;
  }
  if (field.maxLength !== undefined && !lengths.atMost(value, field.maxLength)) {
    return `must not have more than ${field.maxLength} characters`;
  }
  if (field.pattern !== undefined && !new RegExp(field.pattern, "u").test(value)) {
    return `must match pattern "${field.pattern}"`;
  }
  return undefined;
}
