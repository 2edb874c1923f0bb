// Random configs drawn from the zod config schema itself (src/config/schema*.ts): every section,
// every field, valid values near each bound, wrong types, unknown keys, missing required keys,
// shuffled key order, and the values the refinements look at (DM policies and allowlists, Slack's
// HTTP mode, persistent hook mappings, cron durations, MCP's reserved name). Shared by the
// differential tests that hold the generated config check (tests/config/raw_config_check_test.ts)
// and the schema-free secret walk (tests/config/sensitive_test.ts) to zod.
import type { z } from "zod";
import { prng } from "./prng.ts";

type Schema = z.core.$ZodType;
type Def = Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };

const STRINGS = [
  "",
  " ",
  "a",
  "main",
  "*",
  "  padded  ",
  "http://example.com",
  " https://example.com/x\t",
  "https://exa\nmple.com",
  "not a url",
  "/hooks",
  "hooks",
  "127.0.0.1",
  "999.1.1.1",
  "1.2.3",
  "ok/module.ts",
  "../up.ts",
  "/abs.ts",
  "~/home.ts",
  "c:drive.ts",
  "a.b",
  "${TOKEN}",
  "30m",
  "-1h",
  "1h30m",
  "x30m",
  "http",
  "socket",
  "allowlist",
  "open",
  "persistent",
  "agent",
  "wake",
  "env",
  "__proto__",
  "constructor",
];
const NUMBERS = [
  0,
  1,
  -1,
  0.5,
  1.5,
  15,
  16,
  99,
  100,
  101,
  168,
  169,
  1000,
  60_000,
  60_001,
  65_535,
  65_536,
  100_000,
  100_001,
  2 ** 53,
  2 ** 53 - 1,
  Infinity,
  -Infinity,
  NaN,
];
const KEYS = ["a", "b", "main", "0", "10", "2", "toString", "constructor", "x-api-key", "Authorization", "token"];

/** Draws configs from a zod schema. */
export class ConfigFuzz {
  #random: () => number;
  constructor(seed: number) {
    this.#random = prng(seed);
  }

  #chance(p: number): boolean {
    return this.#random() < p;
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)]!;
  }

  /** Any JSON value, small. */
  json(depth = 0): unknown {
    const r = this.#random();
    if (depth > 2 || r < 0.5) return this.#pick<unknown>([null, true, false, ...NUMBERS.slice(0, 8), ...STRINGS]);
    if (r < 0.75) return Array.from({ length: Math.floor(this.#random() * 3) }, () => this.json(depth + 1));
    const out: Record<string, unknown> = {};
    for (let i = Math.floor(this.#random() * 3); i > 0; i--) out[this.#pick(KEYS)] = this.json(depth + 1);
    return out;
  }

  /** A value for `schema`: mostly valid, sometimes at or past a bound, sometimes of the wrong type. */
  value(schema: Schema, depth = 0): unknown {
    if (this.#chance(0.01)) return this.json(3);
    const def = schema._zod.def as unknown as Def;
    switch (def.type) {
      case "optional":
        return this.value(def.innerType as Schema, depth);
      case "string":
        return this.#string(def);
      case "number":
        return this.#number(def);
      case "boolean":
        return this.#chance(0.95) ? this.#chance(0.5) : this.#pick(["true", 0, null]);
      case "enum": {
        const values = Object.values(def.entries as object);
        return this.#chance(0.9) ? this.#pick(values) : this.#pick(["bogus", "", 1]);
      }
      case "literal":
        return this.#pick(def.values as unknown[]);
      case "array": {
        if (depth > 6) return [];
        const length = this.#pick([0, 0, 1, 1, 2, 3]);
        return Array.from({ length }, () => this.value(def.element as Schema, depth + 1));
      }
      case "record": {
        const out: Record<string, unknown> = {};
        if (depth > 6) return out;
        for (let i = this.#pick([0, 1, 1, 2, 3]); i > 0; i--) {
          out[this.#pick(KEYS)] = this.value(def.valueType as Schema, depth + 1);
        }
        return out;
      }
      case "union":
        return this.value(this.#pick(def.options as Schema[]), depth);
      case "pipe":
        return this.value(def.out as Schema, depth);
      case "object":
        return this.#object(def, depth);
      case "unknown":
      case "any":
        // `cron` is `unknown` with a refinement on `sessionRetention`.
        return this.#chance(0.5)
          ? { sessionRetention: this.#pick<unknown>([false, true, "30m", "-1h", "1h30m", "x", 5]), jobs: [] }
          : this.json(depth);
      default:
        throw new Error(`the fuzz does not know a ${def.type} node`);
    }
  }

  #string(def: Def): unknown {
    if (def.format === "url") {
      return this.#pick(["http://example.com", " https://e.com/x\t", "https://a\nb.c", "nope", ""]);
    }
    for (const check of def.checks ?? []) {
      const d = check._zod.def;
      if (d.format === "starts_with" && this.#chance(0.5)) return `${d.prefix}${this.#pick(STRINGS)}`;
    }
    return this.#chance(0.97) ? this.#pick(STRINGS) : this.#pick([1, null, ["a"]]);
  }

  #number(def: Def): unknown {
    const bounds: number[] = [];
    for (const check of def.checks ?? []) {
      const value = check._zod.def.value;
      if (typeof value === "number") bounds.push(value - 1, value, value + 1, value + 0.5);
    }
    if (bounds.length && this.#chance(0.5)) return this.#pick(bounds);
    return this.#chance(0.97) ? this.#pick(NUMBERS) : this.#pick(["1", null]);
  }

  #object(def: Def, depth: number): unknown {
    const shape = def.shape as Record<string, Schema>;
    const keys = Object.keys(shape).filter((key) => {
      const optional = shape[key]!._zod.optin === "optional";
      // A required key is sometimes missing (zod refuses that), an optional one often.
      if (!optional) return this.#chance(0.97);
      return this.#chance(depth === 0 ? 0.5 : depth > 5 ? 0.1 : 0.3);
    });
    if (this.#chance(0.15)) keys.push(this.#pick(KEYS));
    // Key order as written varies; zod's output puts declared keys first.
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
      out[key] = field ? this.value(field, depth + 1) : this.json(depth + 1);
    }
    return out;
  }
}
