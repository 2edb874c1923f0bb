import assert from "node:assert/strict";
import {
  ConfigPathError,
  formatConfigPath,
  getAtPath,
  isSchemaPath,
  parseConfigPath,
  setAtPath,
  unsetAtPath,
} from "../../src/config/config_path.ts";

Deno.test("parseConfigPath() reads dot and bracket paths: quoted keys keep their dots, [n] is an index", () => {
  assert.deepEqual(parseConfigPath("gateway.port"), ["gateway", "port"]);
  assert.deepEqual(parseConfigPath('agents.defaults.models["openai/gpt-5.4"].alias'), [
    "agents",
    "defaults",
    "models",
    "openai/gpt-5.4",
    "alias",
  ]);
  assert.deepEqual(parseConfigPath("models.providers.x.models[0].id"), ["models", "providers", "x", "models", 0, "id"]);
  assert.deepEqual(parseConfigPath("a['b.c']"), ["a", "b.c"]);
  assert.deepEqual(parseConfigPath("a.b\\.c"), ["a", "b.c"]);
  assert.deepEqual(parseConfigPath(" a . b "), ["a", "b"]);
  // A quoted number is a key, not an index.
  assert.deepEqual(parseConfigPath('groups["-1"]'), ["groups", "-1"]);
  assert.deepEqual(parseConfigPath('groups["12"]'), ["groups", "12"]);
});

Deno.test("parseConfigPath() refuses what the reference refuses, in its words", () => {
  const refused = (raw: string, message: string) =>
    assert.throws(() => parseConfigPath(raw), (error) => error instanceof ConfigPathError && error.message === message);
  refused("", "Path is empty.");
  refused("   ", "Path is empty.");
  refused("a..b", "Invalid path (empty segment): a..b");
  refused(".a", "Invalid path (empty segment): .a");
  refused("a.", "Invalid path (empty segment): a.");
  refused("a[0", 'Invalid path (missing "]"): a[0');
  refused("a[]", 'Invalid path (empty "[]"): a[]');
  refused("a[0]b", "Invalid path (missing separator after bracket): a[0]b");
  refused("a\\", "Invalid path (trailing escape): a\\");
  refused("gateway.__proto__", "Invalid path segment: __proto__");
  refused("a.constructor", "Invalid path segment: constructor");
  refused('a[""]', 'Invalid path bracket string (""): a[""]');
});

Deno.test("formatConfigPath() prints identifiers dotted, other keys quoted in brackets, indices bare", () => {
  assert.equal(
    formatConfigPath(["agents", "defaults", "models", "a/b.c", "alias"]),
    'agents.defaults.models["a/b.c"].alias',
  );
  assert.equal(formatConfigPath(["list", 0, "id"]), "list[0].id");
  assert.equal(formatConfigPath(["groups", "-1"]), 'groups["-1"]');
});

Deno.test("getAtPath() finds explicit null, false, 0 and empty strings; a missing key or index is not found", () => {
  const tree = { a: { n: null, f: false, z: 0, e: "" }, list: [{ id: "x" }] };
  for (const key of ["n", "f", "z", "e"]) assert.equal(getAtPath(tree, ["a", key]).found, true);
  assert.deepEqual(getAtPath(tree, ["list", "0", "id"]), { found: true, value: "x" });
  assert.deepEqual(getAtPath(tree, ["list", 0, "id"]), { found: true, value: "x" });
  assert.equal(getAtPath(tree, ["list", 1]).found, false);
  assert.equal(getAtPath(tree, ["a", "missing"]).found, false);
  assert.equal(getAtPath(tree, ["a", "z", "deeper"]).found, false);
  // Inherited properties are not config keys.
  assert.equal(getAtPath(tree, ["a", "toString"]).found, false);
});

Deno.test("setAtPath() creates parents (an array before a bracketed index) and refuses to walk through scalars", () => {
  const tree: Record<string, unknown> = { gateway: { port: 1 } };
  setAtPath(tree, ["agents", "defaults", "models", "a/b", "alias"], "x");
  setAtPath(tree, ["models", "providers", "p", "models", 0, "id"], "m");
  assert.deepEqual(tree, {
    gateway: { port: 1 },
    agents: { defaults: { models: { "a/b": { alias: "x" } } } },
    models: { providers: { p: { models: [{ id: "m" }] } } },
  });
  // A scalar in the way is replaced by an object, as the reference does.
  setAtPath(tree, ["gateway", "port", "x"], 2);
  assert.deepEqual(tree.gateway, { port: { x: 2 } });
  assert.throws(() => setAtPath(tree, [], 1), ConfigPathError);
});

Deno.test("unsetAtPath() removes a key or splices an array item; false when nothing is there", () => {
  const tree = { ui: { seamColor: "#000000" }, list: ["a", "b", "c"] };
  assert.equal(unsetAtPath(tree, ["ui", "seamColor"]), true);
  assert.deepEqual(tree.ui, {});
  assert.equal(unsetAtPath(tree, ["list", "1"]), true);
  assert.deepEqual(tree.list, ["a", "c"]);
  assert.equal(unsetAtPath(tree, ["ui", "nothing"]), false);
  assert.equal(unsetAtPath(tree, ["list", "9"]), false);
  assert.equal(unsetAtPath(tree, ["nope", "deeper"]), false);
});

Deno.test("isSchemaPath() follows properties, records, array items and anyOf branches", () => {
  const schema = {
    type: "object",
    properties: {
      gateway: { type: "object", properties: { bind: { type: "string" } } },
      models: { type: "object", additionalProperties: { type: "object", properties: { alias: { type: "string" } } } },
      list: { type: "array", items: { type: "object", properties: { id: { type: "string" } } } },
      either: { anyOf: [{ type: "string" }, { type: "object", properties: { inner: { type: "number" } } }] },
    },
  };
  assert.ok(isSchemaPath(schema, ["gateway", "bind"]));
  assert.ok(isSchemaPath(schema, ["models", "any/key", "alias"]));
  assert.ok(isSchemaPath(schema, ["list", 3, "id"]));
  assert.ok(isSchemaPath(schema, ["either", "inner"]));
  assert.ok(!isSchemaPath(schema, ["gateway", "nope"]));
  assert.ok(!isSchemaPath(schema, ["list", "x"]));
  assert.ok(!isSchemaPath(schema, ["models", "k", "other"]));
});
