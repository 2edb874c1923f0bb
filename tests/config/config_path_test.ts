import assert from "node:assert/strict";
import {
  ConfigPathError,
  formatConfigPath,
  getAtPath,
  isSchemaPath,
  MAX_ARRAY_INDEX,
  parseConfigPath,
  parseConfigPathDetailed,
  schemaPrefersArray,
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

Deno.test("an array index above the reference's 100000 is no index: a path cannot make a huge sparse array", () => {
  assert.deepEqual(parseConfigPath(`a[${MAX_ARRAY_INDEX}]`), ["a", MAX_ARRAY_INDEX]);
  assert.deepEqual(parseConfigPath("a[100001]"), ["a", "100001"]);
  assert.deepEqual(parseConfigPath("a[4294967294]"), ["a", "4294967294"]);
  const refused = (path: (string | number)[]) =>
    assert.throws(
      () => setAtPath({ a: [] }, path, 1),
      (error) =>
        error instanceof ConfigPathError && error.message === `Expected numeric index for array segment "${path[1]}"`,
    );
  refused(["a", "100001"]);
  refused(["a", "4294967294"]);
  refused(["a", 4294967294]);
  assert.equal(getAtPath({ a: [] }, ["a", "100001"]).found, false);
});

Deno.test("a dotted numeric segment makes an array where the schema wants one; a quoted one or a patch key an object", () => {
  assert.deepEqual(parseConfigPathDetailed('a.0["1"][2]'), { tokens: ["a", "0", "1", 2], quotedNumeric: new Set([2]) });
  const arrays = (at: readonly (string | number)[]) => at.at(-1) === "allowFrom" ? true : undefined;
  const set = (path: (string | number)[], options: Parameters<typeof setAtPath>[3]) => {
    const tree: Record<string, unknown> = {};
    setAtPath(tree, path, 1, options);
    return tree;
  };
  assert.deepEqual(set(["allowFrom", "0"], { prefersArray: arrays }), { allowFrom: [1] });
  assert.deepEqual(set(["allowFrom", "0"], { prefersArray: arrays, quotedNumeric: new Set([1]) }), {
    allowFrom: { 0: 1 },
  });
  assert.deepEqual(set(["allowFrom", "0"], { prefersArray: arrays, numericKeys: true }), { allowFrom: { 0: 1 } });
  // Where the schema says nothing, an object: ours leaves open maps the reference types.
  assert.deepEqual(set(["models", "0"], { prefersArray: arrays }), { models: { 0: 1 } });
  assert.deepEqual(set(["models", "0"], {}), { models: { 0: 1 } });
});

Deno.test("schemaPrefersArray() says array, object, or nothing when the schema allows both or is open", () => {
  const schema = {
    type: "object",
    properties: {
      list: { type: "array", items: { type: "string" } },
      map: { type: "object", additionalProperties: { type: "string" } },
      either: { anyOf: [{ type: "array", items: {} }, { type: "object" }] },
      open: {},
    },
  };
  assert.equal(schemaPrefersArray(schema, ["list"]), true);
  assert.equal(schemaPrefersArray(schema, ["map"]), false);
  assert.equal(schemaPrefersArray(schema, ["either"]), undefined);
  assert.equal(schemaPrefersArray(schema, ["open"]), undefined);
  assert.equal(schemaPrefersArray(schema, ["missing"]), undefined);
});
