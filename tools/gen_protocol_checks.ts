// Regenerates src/rpc/connect_check_gen.ts: the `connect` params check of @openclaw/gateway-protocol,
// compiled ahead of time. The package builds every schema of the protocol when it is imported
// (about 145 ms and 20 MB), and the first client's `hello-ok` waited for that. The check compiled
// here is the code TypeBox's own compiler produces from the package's ConnectParams schema, so it
// accepts exactly what the package's validator accepts (tests/rpc/connect_check_test.ts checks both
// that and that this file is current). A rejected `connect` still goes to the package, which words
// the reference's error. It also writes src/rpc/checks/: every other validator a method family names,
// compiled the same way into one module per family file (src/rpc/methods/<family>.ts) and an index that
// loads a family's module with its first request, so a first `sessions.list` loads only the sessions
// family's checks (tests/rpc/family_checks_test.ts: current, and equal to the package plus the overlay on
// fuzzed params). The family checks compile the package's schemas with the newer fields of the reference
// 2026.9.6 (src/rpc/protocol_overlay.ts) added, so its clients' params pass.
// Usage: deno run --allow-read --allow-write tools/gen_protocol_checks.ts
import * as Protocol from "@openclaw/gateway-protocol";
import { validateConnectParams } from "@openclaw/gateway-protocol";
import { Type } from "typebox";
import { Code } from "typebox/compile";
import { newerFieldSchema, newerFieldsOf } from "../src/rpc/protocol_overlay.ts";

/** Where the generated check is written. */
export const CONNECT_CHECK_PATH = new URL("../src/rpc/connect_check_gen.ts", import.meta.url);

/** The package version the check was compiled from, as deno.json pins it. */
async function protocolVersion(): Promise<string> {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  return String(denoJson.imports["@openclaw/gateway-protocol"]).replace(/^npm:/, "");
}

/** A RegExp as a literal that builds the same expression. */
function regexLiteral(value: unknown): string {
  if (!(value instanceof RegExp)) throw new Error(`ConnectParams has an external that is not a RegExp: ${value}`);
  return `/${value.source}/${value.flags}`;
}

/**
 * The package validator's schema with the newer fields of src/rpc/protocol_overlay.ts added as optional
 * properties (the reference 2026.9.6 accepts them); the package's own schema when it has none.
 */
export function overlaidSchema(validator: string): unknown {
  const guard: unknown = Reflect.get(Protocol, validator);
  const schema: unknown = typeof guard === "function" ? Reflect.get(guard, "schema") : undefined;
  if (!Type.IsSchema(schema)) throw new Error(`${validator}.schema is not a TypeBox schema`);
  const newer = Object.entries(newerFieldsOf(validator));
  if (newer.length === 0) return schema;
  // The package's schemas are plain JSON Schema objects (checked: Type.IsSchema holds for the copy).
  const copy = JSON.parse(JSON.stringify(schema));
  if (typeof copy.properties !== "object" || copy.properties === null) {
    throw new Error(`${validator}: the overlay names fields, but the package's schema has no properties`);
  }
  for (const [name, field] of newer) {
    if (Object.hasOwn(copy.properties, name)) throw new Error(`${validator}: the package already has ${name}`);
    copy.properties[name] = newerFieldSchema(field);
  }
  if (!Type.IsSchema(copy)) throw new Error(`${validator}: the overlaid schema is not a TypeBox schema`);
  return copy;
}

/** TypeBox's standalone check of one validator's overlaid schema, as a function body named `name`, and its externals. */
function compiledCheck(validator: string, name: string): { externals: string; body: string } {
  const schema = overlaidSchema(validator);
  if (!Type.IsSchema(schema)) throw new Error(`${validator}.schema is not a TypeBox schema`);
  const { External, Code: code } = Code(schema);
  const body = code.split("\n").filter((line) =>
    !line.startsWith("import ") && line !== "// @ts-ignore" && !line.startsWith("let External") &&
    !line.startsWith("export function SetExternal")
  ).join("\n").trim().replace(/^export function Check\(value\)/m, `function ${name}(value)`);
  if (!body.includes(`function ${name}(value)`)) throw new Error("TypeBox's Code() changed shape");
  if (/\b(Format|CheckContext)\./.test(body)) throw new Error(`${validator} needs TypeBox's Format or context`);
  return { externals: `[${External.variables.map(regexLiteral).join(", ")}]`, body: stableNames(body) };
}

/** TypeBox numbers its variables per process; renumbered from 0 the text is the same whatever compiled before. */
function stableNames(body: string): string {
  const renamed = new Map<string, string>();
  return body.replace(/\bvar_\d+\b/g, (name) => {
    if (!renamed.has(name)) renamed.set(name, `var_${renamed.size}`);
    return renamed.get(name)!;
  }).replace(/\n\n+/g, "\n");
}

/** Where the per-family checks are written: one module per method family file, and their index. */
export const FAMILY_CHECKS_DIR = new URL("../src/rpc/checks/", import.meta.url);
const METHODS_DIR = new URL("../src/rpc/methods/", import.meta.url);

/** Whether TypeBox can compile the validator's schema standalone (plain regular expressions, no formats). */
function compilable(validator: string): boolean {
  try {
    compiledCheck(validator, "check");
    return true;
  } catch {
    return false;
  }
}

/**
 * The validators each method family names (`"validateX"` in src/rpc/methods/<family>.ts), each in the first
 * family that names it, without `connect` (its own module) and those TypeBox cannot compile standalone.
 */
export async function familyValidators(): Promise<Map<string, string[]>> {
  const files = (await Array.fromAsync(Deno.readDir(METHODS_DIR))).map((entry) => entry.name)
    .filter((name) => name.endsWith(".ts")).sort();
  const taken = new Set(["validateConnectParams"]);
  const families = new Map<string, string[]>();
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, METHODS_DIR));
    const named = [...new Set([...text.matchAll(/"(validate[A-Za-z]+)"/g)].map((m) => m[1]!))].sort()
      .filter((v) => !taken.has(v) && typeof Reflect.get(Protocol, v) === "function" && compilable(v));
    named.forEach((v) => taken.add(v));
    if (named.length > 0) families.set(file.replace(/\.ts$/, ""), named);
  }
  return families;
}

/** The generated files of src/rpc/checks/, by file name: one module per family and the index that loads them. */
export async function familyCheckSources(): Promise<Map<string, string>> {
  const version = await protocolVersion();
  const header = (what: string) => [
    `// Generated by tools/gen_protocol_checks.ts from ${version} (${what}, TypeBox's Code()),`,
    "// plus the newer fields of src/rpc/protocol_overlay.ts. Do not edit: regenerate after upgrading the",
    "// package, changing the overlay or naming another validator in a method family.",
    "// deno-lint-ignore-file",
    "// deno-fmt-ignore-file",
  ];
  const out = new Map<string, string>();
  const index: string[] = [];
  for (const [family, validators] of await familyValidators()) {
    const checks = validators.map((v) => {
      const { externals, body } = compiledCheck(v, "check");
      return `  ${v}: (() => {\n    const External = ${externals};\n    ${
        body.replaceAll("\n", "\n    ")
      }\n    return check;\n  })(),`;
    });
    out.set(
      `${family}_checks_gen.ts`,
      [
        ...header(`the params schemas src/rpc/methods/${family}.ts validates with`),
        "// @ts-nocheck: TypeBox's generated JavaScript",
        'import { Guard } from "typebox/guard";',
        'import { Hashing } from "typebox/system";',
        "",
        "/** Each validator's check: true exactly when the package's validator plus the overlay's newer fields accept the value. */",
        "export const CHECKS = {",
        ...checks,
        "};",
        "",
      ].join("\n"),
    );
    for (const v of validators) {
      index.push(`  ${v}: async () => (await import("./${family}_checks_gen.ts")).CHECKS.${v},`);
    }
  }
  out.set(
    "index_gen.ts",
    [
      ...header("the index of the per-family checks"),
      "",
      "/** Loads the precompiled check of a validator with its family's module (only that family's checks load). */",
      "export const FAMILY_CHECKS: Readonly<Record<string, () => Promise<(value: unknown) => boolean>>> = {",
      ...index.sort(),
      "};",
      "",
    ].join("\n"),
  );
  return out;
}

/** The text of connect_check_gen.ts for the installed package. */
export async function connectCheckSource(): Promise<string> {
  const schema: unknown = validateConnectParams.schema;
  if (!Type.IsSchema(schema)) throw new Error("validateConnectParams.schema is not a TypeBox schema");
  const { External, Code: code } = Code(schema);
  const body = code.split("\n").filter((line) =>
    !line.startsWith("import ") && line !== "// @ts-ignore" && !line.startsWith("let External") &&
    !line.startsWith("export function SetExternal")
  ).join("\n").trim().replace(/^export function Check\(value\)/m, "export function checkConnectParams(value)");
  if (!body.includes("export function checkConnectParams(value)")) throw new Error("TypeBox's Code() changed shape");
  // TypeBox numbers its variables per process; renumbered from 0 the file is the same whatever compiled before.
  const renamed = new Map<string, string>();
  const stable = body.replace(/\bvar_\d+\b/g, (name) => {
    if (!renamed.has(name)) renamed.set(name, `var_${renamed.size}`);
    return renamed.get(name)!;
  });
  if (/\b(Format|CheckContext)\./.test(body)) throw new Error("ConnectParams now needs TypeBox's Format or context");
  return [
    `// Generated by tools/gen_protocol_checks.ts from ${await protocolVersion()} (ConnectParamsSchema,`,
    "// TypeBox's Code()). Do not edit: regenerate after upgrading the package.",
    "// deno-lint-ignore-file",
    "// deno-fmt-ignore-file",
    "// @ts-nocheck: TypeBox's generated JavaScript",
    'import { Guard } from "typebox/guard";',
    'import { Hashing } from "typebox/system";',
    "",
    `const ${External.identifier} = [${External.variables.map(regexLiteral).join(", ")}];`,
    "",
    stable.replace(/\n\n+/g, "\n").replace(
      "export function checkConnectParams",
      "/** True when `value` is valid `connect` params, exactly as the package's validateConnectParams decides. */\n" +
        "export function checkConnectParams",
    ),
    "",
  ].join("\n");
}

if (import.meta.main) {
  await Deno.writeTextFile(CONNECT_CHECK_PATH, await connectCheckSource());
  await Deno.mkdir(FAMILY_CHECKS_DIR, { recursive: true });
  for (const [name, text] of await familyCheckSources()) {
    await Deno.writeTextFile(new URL(name, FAMILY_CHECKS_DIR), text);
  }
  // deno-lint-ignore no-console -- a generator says what it wrote.
  console.log(`wrote ${CONNECT_CHECK_PATH.pathname}`);
}
