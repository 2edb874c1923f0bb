// What a trajectory runtime event may hold, as the reference bounds it before it is stored: strings over 32,768
// characters, arrays over 64 items, objects over 64 keys and anything 6 levels down become truncation markers; the
// final prompt is masked and cut to 4 KB; then the diagnostic projection (credential fields, media, the 64-object
// budget) and the token masks. A stored line over 256 KB drops its largest fields first, as the reference's does.

const STRING_MAX_CHARS = 32_768;
const ARRAY_MAX_ITEMS = 64;
const OBJECT_MAX_KEYS = 64;
const MAX_DEPTH = 6;
const FINAL_PROMPT_MAX_BYTES = 4096;
/** The largest stored event line, in UTF-8 bytes. */
export const TRAJECTORY_EVENT_MAX_BYTES = 262_144;
const DROP_FIRST = ["messagesSnapshot", "messages", "systemPrompt"];
const PRESERVED = [
  "threadId",
  "turnId",
  "timedOut",
  "yieldDetected",
  "aborted",
  "promptError",
  "stopReason",
  "usage",
  "promptCache",
  "prompt",
];

type Data = Record<string, unknown>;

function marker(reason: string, details: Data = {}): Data {
  return { truncated: true, reason, ...details };
}

/**
 * An array whose bounded copy would equal it: no items past the limit, no holes, no named properties besides its items
 * (a copy drops those), Array's own prototype.
 */
function isPlainArray(value: unknown[]): boolean {
  return Object.getPrototypeOf(value) === Array.prototype && value.length <= ARRAY_MAX_ITEMS &&
    Object.keys(value).length === value.length;
}

/** An object whose copy would equal it: Object's or no prototype, within the key limit, no own `__proto__` key. */
function isPlainObject(value: object, keys: readonly string[]): boolean {
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && keys.length <= OBJECT_MAX_KEYS &&
    !keys.includes("__proto__");
}

/**
 * `value` within the reference's string, array, object and depth limits (circular references marked). A plain array or
 * object that is within them is returned as it is, not copied (a run's config, tool schemas and messages mostly are:
 * their copies were a third of what a channel DM allocated after its answer).
 */
export function limitTrajectoryValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") {
    return value.length > STRING_MAX_CHARS
      ? marker("trajectory-field-size-limit", { originalChars: value.length, limitChars: STRING_MAX_CHARS })
      : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return marker("trajectory-circular-reference");
  if (depth >= MAX_DEPTH) return marker("trajectory-depth-limit", { limitDepth: MAX_DEPTH });
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      // The copy is made only from the first item that changes (a hole stays a hole, as `map` keeps it).
      let limited: unknown[] | undefined;
      const end = Math.min(value.length, ARRAY_MAX_ITEMS);
      for (let i = 0; i < end; i++) {
        if (!(i in value)) continue;
        const item = limitTrajectoryValue(value[i], depth + 1, seen);
        if (limited) limited[i] = item;
        else if (item !== value[i]) (limited = value.slice(0, ARRAY_MAX_ITEMS))[i] = item;
      }
      if (value.length > ARRAY_MAX_ITEMS) {
        limited ??= value.slice(0, ARRAY_MAX_ITEMS);
        limited.push(
          marker("trajectory-array-size-limit", { originalLength: value.length, limitItems: ARRAY_MAX_ITEMS }),
        );
      }
      return limited ?? (isPlainArray(value) ? value : value.slice(0, ARRAY_MAX_ITEMS));
    }
    const keys = Object.keys(value);
    const end = Math.min(keys.length, OBJECT_MAX_KEYS);
    // The copy is made only from the first field that changes, or when one must be (not plain, too many keys).
    let limited: Data | undefined = isPlainObject(value, keys) ? undefined : {};
    for (let i = 0; i < end; i++) {
      const key = keys[i]!;
      const child = (value as Data)[key];
      const item = limitTrajectoryValue(child, depth + 1, seen);
      if (limited) limited[key] = item;
      else if (item !== child) {
        limited = {};
        for (let j = 0; j < i; j++) limited[keys[j]!] = (value as Data)[keys[j]!];
        limited[key] = item;
      }
    }
    if (!limited) return value;
    if (keys.length > OBJECT_MAX_KEYS) {
      limited._truncated = marker("trajectory-object-size-limit", {
        originalKeys: keys.length,
        limitKeys: OBJECT_MAX_KEYS,
      });
    }
    return limited;
  } finally {
    seen.delete(value);
  }
}

/** The longest prefix of `text` within `maxBytes` of UTF-8 that does not split a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/** `data` with its `finalPromptText` masked and, past 4 KB, cut (its original length kept beside it). */
function boundFinalPrompt(data: Data, redact: (text: string) => string): Data {
  const prompt = data.finalPromptText;
  if (typeof prompt !== "string") return data;
  const masked = redact(prompt);
  const size = (text: string) => new TextEncoder().encode(text).length;
  if (size(prompt) > FINAL_PROMPT_MAX_BYTES || size(masked) > FINAL_PROMPT_MAX_BYTES) {
    return {
      ...data,
      finalPromptText: utf8Prefix(masked, FINAL_PROMPT_MAX_BYTES),
      finalPromptTextOriginalLength: prompt.length,
    };
  }
  return { ...data, finalPromptText: masked };
}

/**
 * Every string in `value` (the projection's output: plain arrays and objects) passed through `redact` (the token
 * masks), structure kept; an array or object in which no string changed is returned as it is, and a copy is made only
 * from the first one that did.
 */
function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const item = redactStrings(value[i], redact);
      if (out) out[i] = item;
      else if (item !== value[i]) (out = value.slice())[i] = item;
    }
    return out ?? value;
  }
  const record = value as Data;
  const keys = Object.keys(record);
  let out: Data | undefined;
  for (let i = 0; i < keys.length; i++) {
    const child = record[keys[i]!];
    const item = redactStrings(child, redact);
    if (out) out[keys[i]!] = item;
    else if (item !== child) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = record[keys[j]!];
      out[keys[i]!] = item;
    }
  }
  return out ?? value;
}

/** What the projection does to a value (trajectory_projection.ts's `sanitizeDiagnosticPayload`). */
export type Projection = (value: unknown) => unknown;

/** Put where `systemPrompt` was while the rest is projected (short, plain, left as it is by the projection), then swapped back. */
const SYSTEM_PROMPT_SLOT = "\u0000openclaw:system-prompt\u0000";

/**
 * An event's `data` as the reference stores it: bounded, projected, then masked. `projectText` projects the
 * system prompt on its own (the same text every run of an agent, and most of an event's projection work, so the
 * caller keeps its result): a string projects the same wherever it sits outside media fields, and uses none of
 * the 64-object budget, so the stored value is the one a single projection of the whole would give.
 */
export function sanitizeTrajectoryData(
  data: Data,
  project: Projection,
  redact: (text: string) => string,
  projectText: (text: string) => unknown = project,
): unknown {
  const limited = limitTrajectoryValue(boundFinalPrompt(data, redact)) as Data;
  const prompt = limited.systemPrompt;
  if (typeof prompt !== "string") return redactStrings(project(limited), redact);
  const projected = project({ ...limited, systemPrompt: SYSTEM_PROMPT_SLOT }) as Data;
  if (projected.systemPrompt === SYSTEM_PROMPT_SLOT) projected.systemPrompt = projectText(prompt);
  return redactStrings(projected, redact);
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Whether `text` is within `max` UTF-8 bytes (a UTF-16 unit is at most 3 bytes: most lines need no encoding). */
function fits(text: string, max: number): boolean {
  return text.length * 3 <= max || byteLength(text) <= max;
}

/**
 * The stored line of `event`: as is up to 256 KB; else without `messagesSnapshot`, `messages`, `systemPrompt` (one
 * at a time), else only the outcome fields that fit, each version marked with its original size and what it
 * dropped. Undefined when not even the marker fits.
 */
export function boundedEventLine(event: Data & { data?: unknown }): string | undefined {
  const line = JSON.stringify(event);
  if (fits(line, TRAJECTORY_EVENT_MAX_BYTES)) return line;
  const bytes = byteLength(line);
  const original = (event.data ?? {}) as Data;
  const base = {
    truncated: true,
    originalBytes: bytes,
    limitBytes: TRAJECTORY_EVENT_MAX_BYTES,
    reason: "trajectory-event-size-limit",
  };
  const reduced: Data = { ...original };
  const dropped: string[] = [];
  for (const key of DROP_FIRST) {
    if (!Object.hasOwn(reduced, key)) continue;
    delete reduced[key];
    dropped.push(key);
    const candidate = JSON.stringify({ ...event, data: { ...reduced, ...base, droppedFields: dropped } });
    if (fits(candidate, TRAJECTORY_EVENT_MAX_BYTES)) return candidate;
  }
  const kept = new Set<string>();
  const build = (withDropped: boolean): string | undefined => {
    const data: Data = { ...base };
    for (const key of PRESERVED) if (kept.has(key)) data[key] = original[key];
    if (withDropped) {
      const rest = Object.keys(original).filter((key) => !kept.has(key));
      if (rest.length > 0) data.droppedFields = rest;
    }
    const candidate = JSON.stringify({ ...event, data });
    return fits(candidate, TRAJECTORY_EVENT_MAX_BYTES) ? candidate : undefined;
  };
  let best = build(true) ?? build(false);
  if (!best) return undefined;
  for (const key of PRESERVED) {
    if (!Object.hasOwn(original, key)) continue;
    kept.add(key);
    const next = build(true) ?? build(false);
    if (next) best = next;
    else kept.delete(key);
  }
  return best;
}
