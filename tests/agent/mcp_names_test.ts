import assert from "node:assert/strict";
import {
  assignSafeServerNames,
  matchesMcpToolPattern,
  mcpToolAllowed,
  mcpToolName,
} from "../../src/agent/mcp_names.ts";

Deno.test("mcpToolName() joins server and tool with a double underscore", () => {
  assert.equal(mcpToolName("docs", "search", new Set()), "docs__search");
});

Deno.test("mcpToolName() replaces characters providers refuse and prefixes a name not starting with a letter", () => {
  assert.equal(mcpToolName("docs", "admin.reset", new Set()), "docs__admin-reset");
  assert.equal(mcpToolName("docs", "1st", new Set()), "docs__tool-1st");
});

Deno.test("mcpToolName() suffixes -2, -3 on a case-insensitive collision", () => {
  const reserved = new Set(["docs__search"]);
  assert.equal(mcpToolName("docs", "Search", reserved), "docs__Search-2");
  reserved.add("docs__search-2");
  assert.equal(mcpToolName("docs", "search", reserved), "docs__search-3");
});

Deno.test("mcpToolName() caps the whole name at 64 characters", () => {
  const name = mcpToolName("server", "x".repeat(100), new Set());
  assert.equal(name.length, 64);
  assert.ok(name.startsWith("server__x"));
});

Deno.test("assignSafeServerNames() sanitizes, caps at 30 and suffixes collisions in declaration order", () => {
  const names = assignSafeServerNames(["my server", "my-server", "9lives", "a".repeat(40)]);
  assert.equal(names.get("my server"), "my-server");
  assert.equal(names.get("my-server"), "my-server-2");
  assert.equal(names.get("9lives"), "mcp-9lives");
  assert.equal(names.get("a".repeat(40)), "a".repeat(30));
});

Deno.test("matchesMcpToolPattern() matches exact names and * globs only", () => {
  assert.ok(matchesMcpToolPattern("search", "search"));
  assert.ok(!matchesMcpToolPattern("search", "search2"));
  assert.ok(matchesMcpToolPattern("read_*", "read_file"));
  assert.ok(matchesMcpToolPattern("*_file", "read_file"));
  assert.ok(matchesMcpToolPattern("r*d*e", "read_file"));
  assert.ok(!matchesMcpToolPattern("read.*", "readXfile"));
  assert.ok(!matchesMcpToolPattern("  ", "x"));
});

Deno.test("mcpToolAllowed() applies include, then exclude", () => {
  const filter = { include: ["read_*", "search"], exclude: ["read_secret"] };
  assert.ok(mcpToolAllowed(filter, "read_file"));
  assert.ok(mcpToolAllowed(filter, "search"));
  assert.ok(!mcpToolAllowed(filter, "read_secret"));
  assert.ok(!mcpToolAllowed(filter, "write_file"));
  assert.ok(mcpToolAllowed({ include: [], exclude: [] }, "anything"));
});
