// The table of model-policy cases tools/record_model_policy.ts runs against the reference gateway
// (OpenClaw 2026.9.6) and tests/config/model_policy_test.ts replays against ours: a few configs, each
// with probes of `sessions.patch {model}`, the `/model <text>` chat command and `models.list`.

/** The providers every case config shares: two providers, nested model ids on `other`. */
export const POLICY_PROVIDERS: Record<string, unknown> = {
  fake: {
    baseUrl: "http://127.0.0.1:9/v1",
    api: "openai-completions",
    apiKey: "fake-key",
    models: ["m1", "m2-mini", "gpt-large"].map((id) => ({ id, name: id })),
  },
  other: {
    baseUrl: "http://127.0.0.1:9/v1",
    api: "openai-completions",
    apiKey: "other-key",
    models: ["o1", "o2", "ns/a", "nsx/b"].map((id) => ({ id, name: id })),
  },
};

/** The agents every case config declares: `main` (default), `ops` and `free`. */
function roster(entries: { ops?: Record<string, unknown>; free?: Record<string, unknown> } = {}) {
  return [
    { id: "main", default: true },
    { id: "ops", ...entries.ops },
    { id: "free", ...entries.free },
  ];
}

/** One config of the table: what goes beside `gateway` in `openclaw.json`. */
export interface PolicyConfigCase {
  name: string;
  /** Why the case exists (the rule it pins). */
  about: string;
  config: Record<string, unknown>;
}

/** The configs, by name. */
export const POLICY_CONFIGS: PolicyConfigCase[] = [
  {
    name: "open",
    about: "no models map and no policy: any model may be chosen",
    config: { agents: { defaults: { model: { primary: "fake/m1" } }, list: roster() } },
  },
  {
    name: "legacy",
    about: "agents.defaults.models keys act as the allowlist (no marker, no modelPolicy)",
    config: {
      agents: {
        defaults: { model: { primary: "fake/m1" }, models: { "fake/m1": { alias: "one" }, "other/o1": {} } },
        list: roster(),
      },
    },
  },
  {
    name: "migrated",
    about: "the migration marker turns the legacy keys into aliases only",
    config: {
      meta: { migrations: { modelPolicyAllowlist: true } },
      agents: {
        defaults: { model: { primary: "fake/m1" }, models: { "fake/m1": { alias: "one" }, "other/o1": {} } },
        list: roster(),
      },
    },
  },
  {
    name: "policy",
    about: "defaults allow fake/*; ops replaces it (an alias and an exact ref); free opts into allow-any",
    config: {
      agents: {
        defaults: {
          model: { primary: "fake/m1" },
          models: { "fake/m1": { alias: "one" }, "other/o2": { alias: "two" } },
          modelPolicy: { allow: ["fake/*"] },
        },
        list: roster({ ops: { modelPolicy: { allow: ["other/o2", "one"] } }, free: { modelPolicy: { allow: [] } } }),
      },
    },
  },
  {
    name: "nested",
    about: "a nested wildcard matches by /-segment only",
    config: {
      agents: {
        defaults: { model: { primary: "fake/m1" }, modelPolicy: { allow: ["other/ns/*", "fake/m1"] } },
        list: roster(),
      },
    },
  },
  {
    name: "empty-policy",
    about: "a modelPolicy object without allow suppresses the legacy keys",
    config: {
      agents: {
        defaults: { model: { primary: "fake/m1" }, models: { "fake/m1": { alias: "one" } }, modelPolicy: {} },
        list: roster(),
      },
    },
  },
];

/** What a probe asks. */
export type ProbeKind = "patch" | "command" | "list";

/** One probe: a config, the agent whose session it acts on, and the model text (none for a list). */
export interface PolicyProbe {
  config: string;
  agent: string;
  kind: ProbeKind;
  input: string;
}

const PATCHES: Record<string, string[]> = {
  open: ["fake/m2-mini", "other/nsx/b", "unknown/x", "o1", "FAKE/m1"],
  legacy: ["fake/m1", "one", "other/o1", "o1", "fake/m2-mini", "unknown/x"],
  migrated: ["one", "fake/m2-mini", "other/o2"],
  policy: ["fake/m2-mini", "one", "two", "other/o2", "Fake/gpt-large", "unknown/x"],
  nested: ["other/ns/a", "other/nsx/b", "fake/m1", "fake/m2-mini", "other/ns/zzz"],
  "empty-policy": ["one", "other/o2"],
};

const COMMANDS: Record<string, string[]> = {
  open: ["fake/m2-mini", "m2", "mini", "large", "other/o", "unknown/x", "zzz", "o1", "gpt", "default"],
  legacy: ["one", "m2-mini", "fake/m2-mini", "o1", "other/o2", "other", "default"],
  policy: ["mini", "fake/o2", "other/o2", "two", "large"],
  nested: ["ns", "other/nsx/b", "other/ns/a", "a"],
};

const AGENT_PATCHES: { config: string; agent: string; inputs: string[] }[] = [
  { config: "policy", agent: "ops", inputs: ["other/o2", "one", "fake/m2-mini", "other/o1", "two"] },
  { config: "policy", agent: "free", inputs: ["other/o1", "unknown/x"] },
];

const AGENT_COMMANDS: { config: string; agent: string; inputs: string[] }[] = [
  { config: "policy", agent: "ops", inputs: ["o2", "mini", "one"] },
];

/** Every probe of the table, in recording order. */
export function policyProbes(): PolicyProbe[] {
  const out: PolicyProbe[] = [];
  for (const { name } of POLICY_CONFIGS) {
    for (const input of PATCHES[name] ?? []) out.push({ config: name, agent: "main", kind: "patch", input });
    for (const group of AGENT_PATCHES.filter((g) => g.config === name)) {
      for (const input of group.inputs) out.push({ config: name, agent: group.agent, kind: "patch", input });
    }
    for (const input of COMMANDS[name] ?? []) out.push({ config: name, agent: "main", kind: "command", input });
    for (const group of AGENT_COMMANDS.filter((g) => g.config === name)) {
      for (const input of group.inputs) out.push({ config: name, agent: group.agent, kind: "command", input });
    }
    for (const agent of ["main", "ops", "free"]) out.push({ config: name, agent, kind: "list", input: "" });
  }
  return out;
}

/** The key a probe's answer is stored under in the recordings. */
export function probeId(probe: PolicyProbe): string {
  return `${probe.config}|${probe.agent}|${probe.kind}|${probe.input}`;
}

/** What the reference answered: accepted (with the resolved ref or reply) or refused with its words. */
export interface ProbeAnswer {
  ok: boolean;
  /** patch: the stored `provider/model`; command: the reply text; list: unused. */
  text?: string;
  /** patch refusal: the error message. */
  error?: string;
  /** list: the `provider/id` keys in order. */
  models?: string[];
}

/** The config a case runs with (gateway section added by the caller). */
export function policyConfig(name: string): Record<string, unknown> {
  const found = POLICY_CONFIGS.find((c) => c.name === name);
  if (!found) throw new Error(`no model policy case config named ${name}: add it to POLICY_CONFIGS first`);
  const config = structuredClone(found.config) as Record<string, unknown>;
  return { ...config, models: { providers: structuredClone(POLICY_PROVIDERS) } };
}
