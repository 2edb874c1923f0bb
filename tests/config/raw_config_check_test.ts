import assert from "node:assert/strict";
import { z } from "zod";
import { RawConfigSchema } from "../../src/config/schema.ts";
import { checkRawConfig } from "../../src/config/raw_config_check_gen.ts";
import { CONFIG_CHECK_PATH, configCheckSource } from "../../tools/gen_config_check.ts";
import { ConfigFuzz } from "../support/config_fuzz.ts";
import { edgeConfigs } from "../support/config_edges.ts";

// The generated config check (src/config/raw_config_check_gen.ts) against zod, the mechanism it
// stands in for: on every fuzzed config it must accept exactly what zod accepts (JSON-shaped input
// leaves it nothing to be unsure of) and return exactly zod's value, key order included.

type Check = (value: unknown) => { value: unknown } | undefined;

const SECTIONS = Object.keys(RawConfigSchema.shape);

/**
 * Fuzzed configs: whole ones, one section at a time (so most get past the other sections), one leaf at
 * each of its edges (so every bound, prefix and pattern is met on an otherwise valid config), and
 * hand-picked refinement cases.
 */
function corpus(seed: number, count: number): unknown[] {
  const fuzz = new ConfigFuzz(seed);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) out.push(fuzz.value(RawConfigSchema));
    else {
      const section = SECTIONS[i % SECTIONS.length]!;
      out.push({ [section]: fuzz.value(RawConfigSchema.shape[section as keyof typeof RawConfigSchema.shape]) });
    }
  }
  return [...out, ...edgeConfigs(RawConfigSchema, fuzz), ...REFINEMENT_CASES];
}

const REFINEMENT_CASES: unknown[] = [
  {},
  { channels: { telegram: { dmPolicy: "allowlist", allowFrom: [] } } },
  { channels: { telegram: { dmPolicy: "allowlist", allowFrom: [1] } } },
  { channels: { irc: { dmPolicy: "open", allowFrom: ["a"] } } },
  { channels: { irc: { dmPolicy: "open", allowFrom: ["*"] } } },
  { channels: { discord: { dmPolicy: "open", allowFrom: ["*"], accounts: { a: { dmPolicy: "allowlist" } } } } },
  { channels: { slack: { mode: "http" } } },
  { channels: { slack: { mode: "http", signingSecret: "s" } } },
  { channels: { slack: { mode: "http", accounts: { a: {} } } } },
  { channels: { slack: { accounts: { a: { mode: "http", signingSecret: { source: "env", id: "S" } } } } } },
  { channels: { slack: { enabled: false, mode: "http" } } },
  { hooks: { mappings: [{ sessionMode: "persistent" }] } },
  { hooks: { defaultSessionKey: "k", mappings: [{ sessionMode: "persistent" }] } },
  { hooks: { mappings: [{ sessionMode: "persistent", action: "wake" }] } },
  { hooks: { mappings: [{ sessionMode: "persistent", transform: { module: "ok.ts" } }] } },
  { hooks: { mappings: [{ transform: { module: "../up.ts" } }] } },
  { hooks: { mappings: [{ channel: "  " }, { channel: " tg " }] } },
  { cron: { sessionRetention: "-1h" } },
  { cron: { sessionRetention: "1h30m" } },
  { cron: "anything" },
  { mcp: { servers: JSON.parse('{"__proto__": {"command": "x"}}') } },
  { mcp: { servers: { a: { toolFilter: { include: [" x "] } } } } },
  { mcp: { servers: { a: { toolFilter: { include: [] } } } } },
  { gateway: { publicOrigin: " https://example.com/\t" } },
  { gateway: { port: 65535, bind: "lan", auth: { token: { source: "env", id: "T" } } } },
  { gateway: { port: 65536 } },
  { gateway: { unknown: 1 } },
  { models: { providers: { p: { models: ["m", { id: "n", input: ["text", "image"] }] } } }, extra: { kept: 1 } },
];

type Verdict = { config: unknown; zod: ReturnType<typeof RawConfigSchema.safeParse> };

/** zod's verdict on each config, computed once for the real check and every planted fault. */
function verdicts(configs: unknown[]): Verdict[] {
  return configs.map((config) => ({ config, zod: RawConfigSchema.safeParse(config) }));
}

/** The first config on which `check` and zod disagree, or undefined. */
function firstDisagreement(check: Check, cases: Verdict[]): string | undefined {
  for (const { config, zod } of cases) {
    const fast = check(config);
    if (fast === undefined && !zod.success) continue;
    if (fast === undefined) return `refused what zod accepts: ${JSON.stringify(config)}`;
    if (!zod.success) return `accepted what zod refuses: ${JSON.stringify(config)}`;
    try {
      assert.deepStrictEqual(fast.value, zod.data);
      assert.equal(JSON.stringify(fast.value), JSON.stringify(zod.data), "key order");
    } catch (error) {
      return `a value other than zod's for ${JSON.stringify(config)}: ${error}`;
    }
  }
  return undefined;
}

Deno.test("raw config check: the checked-in file is the generator's output for the schema as it is", async () => {
  assert.equal(await Deno.readTextFile(CONFIG_CHECK_PATH), configCheckSource());
});

Deno.test("raw config check: accepts exactly what zod accepts and returns zod's value (differential fuzz)", () => {
  const cases = verdicts(corpus(23, 8000));
  const accepted = cases.filter((verdict) => verdict.zod.success).length;
  // The premise: both verdicts are well represented, so agreement says something.
  assert.ok(accepted > 1500 && accepted < cases.length - 1500, `zod accepted ${accepted} of ${cases.length}`);
  assert.equal(firstDisagreement(checkRawConfig, cases), undefined);
});

Deno.test("raw config check: refuses what it cannot judge as JSON (zod decides)", () => {
  assert.equal(checkRawConfig({ gateway: { port: undefined } }), undefined);
  assert.equal(checkRawConfig({ channels: Object.create({ inherited: 1 }) }), undefined);
  assert.equal(checkRawConfig(JSON.parse('{"__proto__": {"a": 1}}')), undefined);
  assert.equal(checkRawConfig([]), undefined);
});

/** Planted faults: each edit of the generated text must make the differential fuzz fail. */
const PLANTED: [string, (text: string) => string][] = [
  ["an inclusive bound made exclusive", (t) => t.replace(/\(out as number\) >= 1\)/, "(out as number) > 1)")],
  [
    "a strict object's unknown key let through",
    (t) => t.replace(/for \(const k in v\) if \(!K\d+\.has\(k\)\) return NO;/, ""),
  ],
  ["a loose object's unknown keys dropped", (t) => t.replaceAll("  fields[k] = v[k];\n", "")],
  ["an enum value dropped", (t) => t.replace(' || v === "per-account-channel-peer"', "")],
  ["a refinement not called", (t) => t.replace(/if \(!refined\(refineChannelSection, out\)\) return NO;/g, "")],
  ["the url value not trimmed", (t) => t.replace("out = trimmed.replace(", "out = v.replace(")],
  ["trim() not applied", (t) => t.replace("out = (out as string).trim();", "")],
  [
    "the preprocess step's value dropped",
    (t) => t.replace("const t = checkReservedMcpServerName(v, sink);", "const t = {};"),
  ],
  [
    "a record's reserved key and the preprocess let through",
    (t) =>
      t.replace("if (sink.issues.length > 0) return NO;", "").replaceAll(
        'if (k === "__proto__") return unsure(c);',
        "",
      ),
  ],
  [
    "declared keys in the written order",
    (t) =>
      t.replace(
        "if (!isPlain(v, c)) return NO;\n  const fields: Record<string, unknown> = {};",
        "if (!isPlain(v, c)) return NO;\n  const fields: Record<string, unknown> = { ...v };",
      ),
  ],
  ["a bound deep in the tree made exclusive (a channel's messagesPerSecond)", (t) => t.replace("<= 100)", "< 100)")],
  [
    "a pattern dropped (a hook mapping's forEach)",
    (t) => t.replace("if (!/^[^.[\\]]+$/.test(out as string)) return NO;", ""),
  ],
  ["a prefix check dropped (webhookPath)", (t) => t.replace('if (!(out as string).startsWith("/")) return NO;', "")],
  ["a required key let be absent", (t) => t.replaceAll(", c, true)) return NO;", ", c, false)) return NO;")],
  [
    "every union's second option dropped",
    (t) => t.replaceAll(/ {2}const r1 = c\d+\(v, c\);\n {2}if \(r1 !== NO\) return r1;\n/g, ""),
  ],
];

/** The check in a generated text, imported from `file` (its refinements from src/config). */
async function importCheck(text: string, file: string): Promise<Check> {
  const refinements = new URL("../../src/config/schema_refinements.ts", import.meta.url).href;
  await Deno.writeTextFile(file, text.replace('from "./schema_refinements.ts"', `from "${refinements}"`));
  return (await import(`file://${file}`)).checkRawConfig;
}

Deno.test("raw config check: the fuzz catches faults planted in the generated code", async () => {
  const source = configCheckSource();
  const dir = await Deno.makeTempDir();
  try {
    const cases = verdicts(corpus(23, 8000));
    for (const [name, plant] of PLANTED) {
      const planted = plant(source);
      assert.notEqual(planted, source, `the fault "${name}" was planted`);
      const check = await importCheck(planted, `${dir}/${name.replaceAll(/\W+/g, "_")}.ts`);
      assert.ok(firstDisagreement(check, cases) !== undefined, `the fuzz misses: ${name}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("raw config check generator: z.int()'s own format is checked; a number format or optional's check it was not taught fails generation", async () => {
  // z.int() keeps its safe-integer check as its format, not among its checks.
  const schema = z.object({ n: z.int() });
  const dir = await Deno.makeTempDir();
  try {
    const check = await importCheck(configCheckSource(schema), `${dir}/int.ts`);
    for (const n of [2, -0, 1.5, 2 ** 53, 2 ** 53 - 1]) {
      assert.equal(check({ n }) !== undefined, schema.safeParse({ n }).success, `n: ${n}`);
    }
    assert.throws(() => configCheckSource(z.object({ n: z.float32() })), /number format float32/);
    // A check on an optional node (`.optional().refine()`) fails generation rather than being dropped.
    const refined = z.object({ n: z.string().optional().refine((value) => value !== "bad") });
    assert.throws(() => configCheckSource(refined), /an optional with checks/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
