import assert from "node:assert/strict";
import { normalizeNodeKey, resolveNodeQuery } from "../../../src/cli/commands/nodes_match.ts";

const A = "a1b2c3d4e5f6aaaaaaaa";
const B = "a1b2c3ffffffbbbbbbbb";

Deno.test("a name is matched as its normalized key: case, spaces and punctuation do not matter", () => {
  assert.equal(normalizeNodeKey("  My iPhone (Work)! "), "my-iphone-work");
  const nodes = [{ nodeId: A, displayName: "My iPhone" }, { nodeId: B, displayName: "Build Box" }];
  assert.equal(resolveNodeQuery(nodes, "my-iphone").nodeId, A);
  assert.equal(resolveNodeQuery(nodes, "BUILD box").nodeId, B);
});

Deno.test("an exact id or IP beats a name; an id prefix needs six characters", () => {
  const nodes = [
    { nodeId: A, displayName: "10.0.0.2" },
    { nodeId: B, displayName: "other", remoteIp: "10.0.0.2" },
  ];
  assert.equal(resolveNodeQuery(nodes, "10.0.0.2").nodeId, B, "the IP wins over the display name");
  assert.equal(resolveNodeQuery(nodes, A).nodeId, A);
  assert.equal(resolveNodeQuery(nodes, "a1b2c3d").nodeId, A);
  assert.throws(() => resolveNodeQuery(nodes, "a1b2c"), /^Error: unknown node: a1b2c \(known: 10\.0\.0\.2, other\)$/);
});

Deno.test("within a tie the connected node wins; otherwise the reference's ambiguity words", () => {
  const twins = [
    { nodeId: A, displayName: "mac", clientId: "openclaw-macos" },
    { nodeId: B, displayName: "mac", connected: true },
  ];
  assert.equal(resolveNodeQuery(twins, "mac").nodeId, B);
  assert.throws(
    () => resolveNodeQuery(twins.map((n) => ({ ...n, connected: false })), "mac"),
    { message: `ambiguous node: mac (matches: mac [node=${A}, client=openclaw-macos], mac [node=${B}])` },
  );
  // The migration exception: one current client against only legacy ones.
  const migrated = [
    { nodeId: A, displayName: "mac", clientId: "openclaw-macos" },
    { nodeId: B, displayName: "mac", clientId: "clawdbot-macos" },
  ];
  assert.equal(resolveNodeQuery(migrated, "mac").nodeId, A);
});

Deno.test("an empty query and an empty list are refused in the reference's words", () => {
  assert.throws(() => resolveNodeQuery([], "  "), { message: "node required" });
  assert.throws(() => resolveNodeQuery([], "ghost"), { message: "unknown node: ghost" });
});
