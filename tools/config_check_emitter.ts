// The check functions of src/config/raw_config_check_gen.ts, one per distinct zod node: what
// tools/gen_config_check.ts assembles into the file (see there for what the check promises).
import * as Refinements from "../src/config/schema_refinements.ts";
import { child, type Def, defOf, isSchema, type Schema } from "./zod_def.ts";

/** The zod-free function `fn` is, by its export name in schema_refinements.ts. */
function refinementName(fn: unknown): string {
  const found = Object.entries(Refinements).find(([, value]) => value === fn)?.[0];
  if (!found) throw new Error("a refinement is not a function of src/config/schema_refinements.ts");
  return found;
}

/** Emits the check functions, one per distinct node. */
export class Emitter {
  #names = new Map<Schema, string>();
  #byBody = new Map<string, string>();
  #functions: string[] = [];
  #constants: string[] = [];
  readonly imports = new Set<string>();

  /** The name of the function checking `schema`, emitting it on first use. */
  fn(schema: Schema): string {
    const known = this.#names.get(schema);
    if (known) return known;
    // Nodes that check the same thing (every `z.string().optional()`) share one function.
    const body = this.#body(schema).map((line) => `  ${line}`).join("\n");
    const name = this.#byBody.get(body) ?? `c${this.#byBody.size}`;
    if (!this.#byBody.has(body)) {
      this.#byBody.set(body, name);
      this.#functions.push(`function ${name}(v: unknown, c: Ctx): unknown {\n${body}\n}`);
    }
    this.#names.set(schema, name);
    return name;
  }

  /** A module-level constant (a key set) holding `text`. */
  #constant(text: string): string {
    const line = (name: string) => `const ${name}: ReadonlySet<string> = ${text};`;
    const nameOf = (constant: string) => constant.split(/[ :]/)[1]!;
    const known = this.#constants.find((constant) => constant === line(nameOf(constant)));
    if (known) return nameOf(known);
    const name = `K${this.#constants.length}`;
    this.#constants.push(line(name));
    return name;
  }

  text(): string {
    return [...this.#constants, "", ...this.#functions].join("\n");
  }

  #refinement(check: unknown): string {
    const zod = (check as { _zod?: { def?: { check?: string; fn?: unknown } } })._zod;
    const own = (check as { refinement?: unknown }).refinement;
    const fn = own ?? zod?.def?.fn;
    if (zod?.def?.check !== "custom" || typeof fn !== "function") throw new Error("an unnamed refinement");
    const name = refinementName(fn);
    this.imports.add(name);
    // A superRefine reports through its context; a refine answers true or false.
    return own !== undefined ? `if (!refined(${name}, out)) return NO;` : `if (!${name}(out as never)) return NO;`;
  }

  #checks(def: Def, kind: "string" | "number" | "array" | "other"): string[] {
    const lines: string[] = [];
    for (const check of def.checks ?? []) {
      const d = (check as { _zod: { def: Record<string, unknown> } })._zod.def;
      const value = d.value as number;
      switch (d.check) {
        case "min_length":
          lines.push(`if ((out as { length: number }).length < ${d.minimum}) return NO;`);
          break;
        case "max_length":
          lines.push(`if ((out as { length: number }).length > ${d.maximum}) return NO;`);
          break;
        case "greater_than":
          lines.push(`if (!((out as number) ${d.inclusive ? ">=" : ">"} ${value})) return NO;`);
          break;
        case "less_than":
          lines.push(`if (!((out as number) ${d.inclusive ? "<=" : "<"} ${value})) return NO;`);
          break;
        case "number_format":
          if (d.format !== "safeint" || kind !== "number") throw new Error(`number format ${d.format}`);
          lines.push("if (!Number.isSafeInteger(out)) return NO;");
          break;
        case "string_format":
          if (kind !== "string") throw new Error("a string format on a non-string");
          if (d.format === "regex" && d.pattern instanceof RegExp && !d.pattern.global && !d.pattern.sticky) {
            lines.push(`if (!/${d.pattern.source}/${d.pattern.flags}.test(out as string)) return NO;`);
          } else if (d.format === "starts_with" && typeof d.prefix === "string") {
            lines.push(`if (!(out as string).startsWith(${JSON.stringify(d.prefix)})) return NO;`);
          } else throw new Error(`string format ${d.format}`);
          break;
        case "overwrite": {
          // zod keeps only the function: `trim()` is recognised by what it does, anything else refused.
          const tx = d.tx as (value: string) => string;
          if (kind !== "string" || tx(" \tA b\n ") !== "A b" || tx("aB") !== "aB") throw new Error("an overwrite");
          lines.push("out = (out as string).trim();");
          break;
        }
        case "custom":
          lines.push(this.#refinement(check));
          break;
        default:
          throw new Error(`check ${String(d.check)} on ${def.type}`);
      }
    }
    return lines;
  }

  #body(schema: Schema): string[] {
    const def = defOf(schema);
    switch (def.type) {
      case "optional":
        // `.optional().refine(...)` holds its checks here: not taught, so not silently dropped.
        if (def.checks?.length) throw new Error("an optional with checks");
        return ["if (v === undefined) return undefined;", `return ${this.fn(child(def, "innerType"))}(v, c);`];
      case "string": {
        const lines = ['if (typeof v !== "string") return NO;', "let out: unknown = v;"];
        if (def.format !== undefined) {
          // z.url(): URL-parseable once trimmed; the value becomes the trimmed text without tabs and newlines.
          if (def.format !== "url" || "normalize" in def || "hostname" in def || "protocol" in def) {
            throw new Error(`string format ${String(def.format)}`);
          }
          lines.push(
            "const trimmed = v.trim();",
            "if (!URL.canParse(trimmed)) return NO;",
            'out = trimmed.replace(/[\\t\\n\\r]/g, "");',
          );
        }
        return [...lines, ...this.#checks(def, "string"), "return out;"];
      }
      case "number": {
        if (def.coerce) throw new Error("a coerced number");
        // z.int() is a number node whose format is its own check (not in `checks`); other formats are not taught.
        if (def.format !== undefined && def.format !== "safeint") {
          throw new Error(`number format ${String(def.format)}`);
        }
        return [
          'if (typeof v !== "number" || !Number.isFinite(v)) return NO;',
          "const out: unknown = v;",
          ...(def.format === "safeint" ? ["if (!Number.isSafeInteger(out)) return NO;"] : []),
          ...this.#checks(def, "number"),
          "return out;",
        ];
      }
      case "boolean":
        if (def.coerce || def.checks?.length) throw new Error("a boolean with checks");
        return ['return typeof v === "boolean" ? v : NO;'];
      case "enum":
      case "literal": {
        const values = def.type === "enum" ? Object.values(def.entries as object) : def.values as unknown[];
        if (!values.every((value) => typeof value === "string" || typeof value === "boolean")) {
          throw new Error("an enum or literal of other than strings and booleans");
        }
        if (def.checks?.length) throw new Error("an enum with checks");
        return [`return ${values.map((value) => `v === ${JSON.stringify(value)}`).join(" || ")} ? v : NO;`];
      }
      case "unknown":
      case "any":
        return ["const out: unknown = v;", ...this.#checks(def, "other"), "return out;"];
      case "array":
        return [
          "if (!Array.isArray(v)) return NO;",
          "const items: unknown[] = [];",
          "for (const item of v) {",
          `  const r = ${this.fn(child(def, "element"))}(item, c);`,
          "  if (r === NO) return NO;",
          "  items.push(r);",
          "}",
          "const out: unknown = items;",
          ...this.#checks(def, "array"),
          "return out;",
        ];
      case "record": {
        const key = defOf(child(def, "keyType"));
        if (key.type !== "string" || key.checks?.length || def.mode === "loose") throw new Error("a record key");
        return [
          "if (!isPlain(v, c)) return NO;",
          "const fields: Record<string, unknown> = {};",
          "for (const k of Object.keys(v)) {",
          '  if (k === "__proto__") return unsure(c);',
          `  const r = ${this.fn(child(def, "valueType"))}(v[k], c);`,
          "  if (r === NO) return NO;",
          "  fields[k] = r;",
          "}",
          "const out: unknown = fields;",
          ...this.#checks(def, "other"),
          "return out;",
        ];
      }
      case "object":
        return this.#object(schema, def);
      case "union": {
        const options = (def.options as unknown[]).map((option) => {
          if (!isSchema(option)) throw new Error("a union option is no schema");
          return this.fn(option);
        });
        if (def.checks?.length || def.inclusive === false) throw new Error("a union with checks");
        // The first option that accepts wins, as in zod; an unsure option stops the search (zod decides).
        return [
          ...options.flatMap((name, i) => [
            `const r${i} = ${name}(v, c);`,
            `if (r${i} !== NO) return r${i};`,
            "if (c.unsure) return NO;",
          ]),
          "return NO;",
        ];
      }
      case "pipe": {
        const input = defOf(child(def, "in"));
        if (input.type !== "transform" || input.checks?.length || def.checks?.length) throw new Error("a pipe");
        const name = refinementName(input.transform);
        this.imports.add(name);
        return [
          "const sink: Sink = { issues: [] };",
          `const t = ${name}(v, sink);`,
          "if (sink.issues.length > 0) return NO;",
          `return ${this.fn(child(def, "out"))}(t, c);`,
        ];
      }
      default:
        throw new Error(`a ${def.type} node: teach tools/gen_config_check.ts what zod does with it`);
    }
  }

  #object(schema: Schema, def: Def): string[] {
    const shape = def.shape as Record<string, Schema>;
    const keys = Object.keys(shape);
    const lines = ["if (!isPlain(v, c)) return NO;", "const fields: Record<string, unknown> = {};"];
    for (const key of keys) {
      const field = shape[key]!;
      if (key in Object.prototype || key === "__proto__") throw new Error(`a declared key ${key}`);
      const { optin, optout } = field._zod;
      const optional = optin === "optional" && optout === "optional";
      if (!optional && optin !== undefined) throw new Error(`field ${key}: optin ${optin}, optout ${optout}`);
      lines.push(`if (!field(v, fields, ${JSON.stringify(key)}, ${this.fn(field)}, c, ${!optional})) return NO;`);
    }
    const catchall = def.catchall === undefined ? undefined : defOf(child(def, "catchall"));
    if (catchall === undefined) {
      // z.object: other keys are dropped.
    } else {
      const declared = this.#constant(`new Set(${JSON.stringify(keys)})`);
      if (catchall.type === "unknown" && !catchall.checks?.length) {
        lines.push(
          "for (const k in v) {",
          `  if (${declared}.has(k)) continue;`,
          '  if (k === "__proto__") return unsure(c);',
          "  fields[k] = v[k];",
          "}",
        );
      } else if (catchall.type === "never") {
        lines.push("for (const k in v) if (!" + declared + ".has(k)) return NO;");
      } else throw new Error(`a catchall of ${catchall.type} on ${schema._zod.def.type}`);
    }
    return [...lines, "const out: unknown = fields;", ...this.#checks(def, "other"), "return out;"];
  }
}
