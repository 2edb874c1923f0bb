import assert from "node:assert/strict";
import { ConfigError } from "../../src/config/errors.ts";
import { loadConfig, parseConfigText } from "../../src/config/load.ts";

async function issuesOf(fn: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

Deno.test("parseConfigText() reads JSON5: comments, trailing commas, unquoted keys", async () => {
  const text = `{
    // a comment
    gateway: { mode: 'local', port: 1234, },
  }`;
  const parsed = await parseConfigText(text, { path: "/c.json", env: {} });
  assert.equal(parsed.config.gateway?.port, 1234);
});

Deno.test("parseConfigText() names an unknown gateway key at its object's value, as the reference locates it", async () => {
  const text = `{
  gateway: {
    mode: "local",
    bogusKey: true,
  },
}`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/x/openclaw.json", env: {} }));
  assert.deepEqual(error.issues, [{
    path: "gateway",
    message: 'Unrecognized key: "bogusKey"',
    line: 2,
    column: 12,
    segments: ["gateway"],
  }]);
  assert.match(error.message, /Invalid config at \/x\/openclaw\.json:/);
  assert.match(error.message, /\/x\/openclaw\.json:2:12 — gateway: Unrecognized key: "bogusKey"/);
});

Deno.test("parseConfigText() refuses unknown meta and wizard keys as the reference does", async () => {
  // Recorded from the reference 2026.9.6: its root schema declares both sections strict.
  const text =
    `{ meta: { lastTouchedVersion: "2026.9.6", foo: 1, migrations: { x: 1 } }, wizard: { lastRunMode: "cloud" } }`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }));
  assert.deepEqual(error.issues.map(({ path, message }) => `${path}: ${message}`).sort(), [
    'meta.migrations: Unrecognized key: "x"',
    'meta: Unrecognized key: "foo"',
    'wizard.lastRunMode: Invalid input (allowed: "local", "remote")',
  ]);
  const fine = await parseConfigText(
    '{ meta: { lastTouchedVersion: "2026.9.6", migrations: { modelPolicyAllowlist: true } }, wizard: { lastRunMode: "local" } }',
    { path: "/c.json", env: {} },
  );
  assert.deepEqual(fine.config.meta, { lastTouchedVersion: "2026.9.6", migrations: { modelPolicyAllowlist: true } });
});

Deno.test("parseConfigText() takes tools.loopDetection as the reference's strict schema does, globally and per agent", async () => {
  // Recorded from the reference 2026.9.6 (`openclaw config validate`); it names an agents.list entry by its
  // migrated agents.entries path, which is not reproduced here.
  const text = `{ tools: { loopDetection: { enabled: true, threshold: 5 } },
  agents: { list: [{ id: "main", tools: { loopDetection: { enabled: "yes", x: 1 } } }] } }`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }));
  assert.deepEqual(error.issues.map(({ path, message }) => `${path}: ${message}`).sort(), [
    "agents.list.0.tools.loopDetection.enabled: Invalid input: expected boolean, received string (allowed: true, false)",
    'agents.list.0.tools.loopDetection: Unrecognized key: "x"',
    'tools.loopDetection: Unrecognized key: "threshold"',
  ]);
  const fine = await parseConfigText(
    "{ tools: { loopDetection: { enabled: true } }, agents: { entries: { a: { tools: { loopDetection: {} } } } } }",
    { path: "/c.json", env: {} },
  );
  assert.deepEqual(fine.config.tools?.loopDetection, { enabled: true });
});

Deno.test("parseConfigText() names a wrong type with its line", async () => {
  const text = `{\n  "gateway": {\n    "port": "18789"\n  }\n}`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }));
  assert.equal(error.issues[0]!.path, "gateway.port");
  assert.equal(error.issues[0]!.line, 3);
  assert.match(error.issues[0]!.message, /expected number/);
});

Deno.test("parseConfigText() reports JSON5 syntax errors with line and column", async () => {
  const error = await issuesOf(() => parseConfigText(`{\n  gateway: {\n`, { path: "/c.json", env: {} }));
  assert.equal(error.issues[0]!.path, "");
  assert.match(error.issues[0]!.message, /JSON5 parse failed/);
  assert.equal(typeof error.issues[0]!.line, "number");
});

Deno.test("parseConfigText() places a syntax error that ends a line on that line, not the next", async () => {
  // An unterminated string on line 3: json5 counts the newline first and says 4:0.
  const text = `{\n  gateway: {\n    mode: "local\n  },\n}\n`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }));
  assert.equal(error.issues[0]!.line, 3);
  assert.equal(error.issues[0]!.column, 17);
  assert.match(error.issues[0]!.message, /unexpected end of line at 3:17$/);
  assert.match(error.message, /\/c\.json:3:17 — <root>: JSON5 parse failed/);
  // A truncated literal at the end of line 2.
  const truncated = await issuesOf(() => parseConfigText(`{\n  a: tru\n}`, { path: "/c.json", env: {} }));
  assert.deepEqual([truncated.issues[0]!.line, truncated.issues[0]!.column], [2, 9]);
});

Deno.test("parseConfigText() keeps json5's position when it already points at the fault", async () => {
  const text = `{\n  gateway: {\n    mode: "local"\n    port: 1\n  }\n}`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }));
  assert.deepEqual([error.issues[0]!.line, error.issues[0]!.column], [4, 5]);
});

Deno.test("parseConfigText() asks to fix keys only for schema issues, the syntax for syntax errors", async () => {
  const syntax = await issuesOf(() => parseConfigText(`{\n  a: 1,,\n}`, { path: "/c.json", env: {} }));
  assert.doesNotMatch(syntax.message, /Fix the keys/);
  assert.match(syntax.message, /Fix the syntax at the position above and retry/);
  const schema = await issuesOf(() => parseConfigText(`{ gateway: { port: "x" } }`, { path: "/c.json", env: {} }));
  assert.match(schema.message, /Fix the keys above and retry/);
});

Deno.test("parseConfigText() substitutes ${VAR} and keeps $${VAR} literal", async () => {
  const text = `{ gateway: { auth: { token: "\${TOK}" }, remote: { url: "$\${KEEP}" } } }`;
  const parsed = await parseConfigText(text, { path: "/c.json", env: { TOK: "secret-value-123" } });
  assert.equal(parsed.config.gateway?.auth?.token, "secret-value-123");
  assert.equal(parsed.config.gateway?.remote?.url, "\${KEEP}");
  // The authored tree keeps the reference, so writes never inline the secret.
  assert.equal((parsed.authored.gateway as { auth: { token: string } }).auth.token, "\${TOK}");
});

Deno.test("parseConfigText() makes an unset ${VAR} an error naming the variable and key", async () => {
  const text = `{\n  hooks: {\n    token: "\${HOOK_SECRET}",\n  },\n}`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }));
  assert.equal(error.issues[0]!.path, "hooks.token");
  assert.equal(error.issues[0]!.line, 3);
  assert.match(error.issues[0]!.message, /HOOK_SECRET, which is not set/);
});

Deno.test("parseConfigText() keeps sections it does not model, for existing OpenClaw configs", async () => {
  const parsed = await parseConfigText(`{ discovery: { mdns: { mode: "off" } }, agents: {} }`, {
    path: "/c.json",
    env: {},
  });
  assert.deepEqual((parsed.config as Record<string, unknown>).discovery, { mdns: { mode: "off" } });
});

Deno.test("loadConfig() treats a missing file as an empty config", async () => {
  const snapshot = await loadConfig("/nonexistent/dir/openclaw.json", {});
  assert.equal(snapshot.exists, false);
  assert.deepEqual(snapshot.config, {});
});

Deno.test("loadConfig() refuses a directory with a clear message", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(loadConfig(dir, {}), /it is not a regular file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseConfigText() refuses $include clearly instead of ignoring it", async () => {
  const error = await issuesOf(() =>
    parseConfigText(`{\n  gateway: { mode: "local" },\n  agents: { $include: "./agents.json5" },\n}`, {
      path: "/c.json",
      env: {},
    })
  );
  assert.equal(error.issues[0]!.path, "agents.$include");
  assert.equal(error.issues[0]!.line, 3);
  assert.match(error.issues[0]!.message, /\$include` is not supported/);
});

Deno.test("parseConfigText() refuses DM policies that cannot mean what they say, with the key's path", async () => {
  await assert.rejects(
    () => parseConfigText(`{ channels: { telegram: { dmPolicy: "allowlist" } } }`, { path: "/c.json", env: {} }),
    /channels\.telegram\.allowFrom.*dmPolicy "allowlist" with an empty allowFrom/s,
  );
  await assert.rejects(
    () =>
      parseConfigText(
        `{ channels: { irc: { dmPolicy: "pairing", accounts: { pub: { dmPolicy: "open", allowFrom: ["a"] } } } } }`,
        {
          path: "/c.json",
          env: {},
        },
      ),
    /channels\.irc\.accounts\.pub\.allowFrom.*requires allowFrom to include "\*"/s,
  );
  await assert.rejects(
    () => parseConfigText(`{ channels: { irc: { port: "6667" } } }`, { path: "/c.json", env: {} }),
    /channels\.irc\.port/,
  );
  // Sections of channels this gateway does not serve load as written.
  const ok = await parseConfigText(
    `{ channels: { discord: { token: "x" }, irc: { dmPolicy: "open", allowFrom: ["*"] } } }`,
    {
      path: "/c.json",
      env: {},
    },
  );
  assert.deepEqual((ok.config.channels as Record<string, unknown>).discord, { token: "x" });
});

Deno.test("parseConfigText() accepts model entries as the reference's objects and as bare ids", async () => {
  const text = `{
  models: { providers: { local: { baseUrl: "http://127.0.0.1:11434/v1", models: [
    { id: "llama3", name: "Llama 3", contextWindow: 8192, cost: { input: 0 } },
    "qwen",
  ] } } },
}`;
  const parsed = await parseConfigText(text, { path: "/c.json", env: {} });
  const models = (parsed.config as { models: { providers: { local: { models: unknown[] } } } }).models.providers.local
    .models;
  assert.deepEqual(models, [{ id: "llama3", name: "Llama 3", contextWindow: 8192, cost: { input: 0 } }, "qwen"]);
});

Deno.test("parseConfigText() refuses a model entry without an id instead of dropping it", async () => {
  const text = `{\n  models: { providers: { local: { models: [{ name: "Llama 3" }] } } },\n}`;
  const error = await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }));
  assert.equal(error.issues[0]!.path, "models.providers.local.models.0");
});

Deno.test("parseConfigText() refuses a malformed tool policy (a typo must not allow every tool)", async () => {
  const refused = async (text: string) =>
    (await issuesOf(() => parseConfigText(text, { path: "/c.json", env: {} }))).issues[0]!;
  const profile = await refused(`{ tools: { profile: "mininal" } }`);
  assert.equal(profile.path, "tools.profile");
  assert.equal(profile.message, 'Invalid input (allowed: "minimal", "coding", "messaging", "full")');
  assert.equal((await refused(`{ tools: { deny: "exec" } }`)).path, "tools.deny");
  assert.equal(
    (await refused(`{ agents: { list: [{ id: "a", tools: { alsoAllow: [1] } }] } }`)).path,
    "agents.list.0.tools.alsoAllow.0",
  );
  assert.equal(
    (await refused(`{ agents: { entries: { a: { tools: { profile: "Full" } } } } }`)).path,
    "agents.entries.a.tools.profile",
  );
  const ok = await parseConfigText(`{ tools: { profile: "coding", deny: ["exec"], exec: { host: "sandbox" } } }`, {
    path: "/c.json",
    env: {},
  });
  assert.deepEqual(ok.config.tools?.deny, ["exec"]);
});

/** A config as most hosts have one: gateway, models, agents, a channel. */
const REALISTIC = `{
  gateway: { mode: "local", port: 18789, bind: "loopback", auth: { mode: "token", token: "\${TOKEN}" } },
  models: { providers: { local: { baseUrl: "http://127.0.0.1:11434/v1", apiKey: "sk-x", models: [{ id: "llama3", contextWindow: 8192 }] } } },
  agents: { defaults: { model: "local/llama3", workspace: "~/work" }, list: [{ id: "main", tools: { profile: "coding" } }] },
  channels: { telegram: { enabled: false, botToken: "123:abc", dmPolicy: "pairing" } },
  logging: { level: "info" },
}`;

Deno.test("parseConfigText() vouches for a valid config without loading the zod schema, with zod's own value", async () => {
  const { RawConfigSchema } = await import("../../src/config/schema.ts");
  let loads = 0;
  const schema = () => {
    loads++;
    return Promise.resolve({ RawConfigSchema });
  };
  const parsed = await parseConfigText(REALISTIC, { path: "/c.json", env: { TOKEN: "t-1" }, schema });
  assert.equal(loads, 0, "the generated check accepted it");
  const zod = RawConfigSchema.parse(JSON.parse(JSON.stringify(parsed.authored).replace("${TOKEN}", "t-1")));
  assert.deepStrictEqual(parsed.config, zod);
  assert.equal(JSON.stringify(parsed.config), JSON.stringify(zod));
  // An invalid one, or one whose ${VAR} is unset, goes to zod for its words.
  const invalid = await issuesOf(() =>
    parseConfigText(`{ gateway: { port: "x" } }`, { path: "/c.json", env: {}, schema })
  );
  assert.equal(loads, 1);
  assert.equal(invalid.issues[0]!.path, "gateway.port");
  await issuesOf(() => parseConfigText(REALISTIC, { path: "/c.json", env: {}, schema }));
  assert.equal(loads, 2);
});

Deno.test("parseConfigText() refuses a runaway nesting with a config error naming where, not a stack overflow", async () => {
  // notes.x (a top-level key the loose root passes through) holds nested lists: 2 + 127 levels pass,
  // 2 + 6,000 do not (the walks after parsing recurse).
  const nested = (levels: number) => `{ notes: { x: ${"[".repeat(levels)}${"]".repeat(levels)} } }`;
  const fine = await parseConfigText(nested(126), { path: "/c.json", env: {} });
  assert.ok((fine.config as Record<string, unknown>).notes);
  const error = await issuesOf(() => parseConfigText(nested(6_000), { path: "/c.json", env: {} }));
  assert.equal(error.issues.length, 1);
  assert.match(error.issues[0]!.message, /^nested deeper than 128 levels/);
  assert.match(error.issues[0]!.path, /^notes\.x(\.0){127}$/);
});
