import assert from "node:assert/strict";
import { keptToolSearch, type SearchSurfaces, withToolSearch } from "../../src/agent/tool_search.ts";
import type { AgentTool, ToolCall, ToolResult } from "../../src/agent/tool.ts";
import { ToolError } from "../../src/agent/tool.ts";
import { resolveToolSearch } from "../../src/config/resolve_tool_search.ts";
import type { RawConfig } from "../../src/config/schema.ts";

const ON = resolveToolSearch({});

function tool(name: string, description: string, extra: Partial<AgentTool> = {}): AgentTool {
  return {
    name,
    description,
    parameters: { type: "object", required: ["path"], properties: { path: { type: "string" } } },
    execute: (args) => Promise.resolve({ content: [{ type: "text", text: `${name} ${JSON.stringify(args)}` }] }),
    ...extra,
  };
}

const TOOLS = [
  tool("read", "Read a file."),
  tool("exec", "Run a shell command."),
  tool("web_fetch", "Fetch URL; extract readable markdown/text.", { label: "Web Fetch" }),
  tool("memory_get", "Read memory notes.", { label: "Memory Get", catalogOrigin: { sourceName: "memory-core" } }),
  tool("docs__lookup", "Look up docs.", {
    catalogOrigin: { mcp: { serverName: "docs", safeServerName: "docs", toolName: "lookup" } },
  }),
];

const CALL = {} as ToolCall;

async function run(tools: AgentTool[], name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const control = tools.find((t) => t.name === name);
  assert.ok(control, name);
  return await control.execute(args, CALL);
}

async function refusal(tools: AgentTool[], name: string, args: Record<string, unknown>): Promise<string> {
  const error = await run(tools, name, args).then(() => undefined, (e) => e);
  assert.ok(error instanceof ToolError, `${name} ${JSON.stringify(args)} refused`);
  return error.message;
}

function textOf(result: ToolResult): unknown {
  return JSON.parse(result.content.map((c) => c.type === "text" ? c.text : "").join(""));
}

Deno.test("the model sees the core tools and the controls; the rest waits in the catalog", () => {
  assert.deepEqual(withToolSearch(TOOLS, ON).tools.map((t) => t.name), [
    "exec",
    "read",
    "tool_call",
    "tool_describe",
    "tool_search",
  ]);
  assert.deepEqual(
    withToolSearch(TOOLS, resolveToolSearch({ tools: { toolSearch: false } } as RawConfig)).tools,
    TOOLS,
  );
  assert.deepEqual(withToolSearch([], ON).tools.map((t) => t.name), ["tool_call", "tool_describe", "tool_search"]);
});

Deno.test("a search lists compact entries under the reference's ids; an exact name comes first", async () => {
  const tools = withToolSearch(TOOLS, ON).tools;
  const found = textOf(await run(tools, "tool_search", { query: "fetch a web page" })) as { id: string }[];
  assert.deepEqual(found[0], {
    id: "openclaw:core:web_fetch",
    source: "openclaw",
    sourceName: "core",
    name: "web_fetch",
    label: "Web Fetch",
    description: "Fetch URL; extract readable markdown/text.",
    input: "{ path: string }",
  });
  const exact = textOf(await run(tools, "tool_search", { query: "memory_get", limit: 1 })) as { id: string }[];
  assert.deepEqual(exact.map((e) => e.id), ["openclaw:memory-core:memory_get"]);
  const mcp = textOf(await run(tools, "tool_search", { query: "docs" })) as Record<string, unknown>[];
  assert.deepEqual(mcp[0], {
    id: "mcp:docs:docs__lookup",
    source: "mcp",
    sourceName: "docs",
    mcp: { serverName: "docs", safeServerName: "docs", toolName: "lookup", operation: "tool" },
    name: "docs__lookup",
    description: "Look up docs.",
    input: "unknown",
  });
  assert.deepEqual(textOf(await run(tools, "tool_search", { query: "zzzqqq" })), []);
});

Deno.test("a batch answers each query in order; malformed searches are refused in the reference's words", async () => {
  const tools = withToolSearch(TOOLS, ON).tools;
  const batch = textOf(
    await run(tools, "tool_search", { query: "read a file", queries: [{ query: "shell command", limit: 1 }] }),
  ) as { results: { query: string; candidates: { name: string }[] }[] };
  assert.deepEqual(batch.results.map((r) => r.query), ["read a file", "shell command"]);
  assert.deepEqual(batch.results[1]!.candidates.map((c) => c.name), ["exec"]);
  assert.equal(await refusal(tools, "tool_search", {}), "provide query or queries.");
  assert.equal(await refusal(tools, "tool_search", { query: "x", limit: 0 }), "limit must be a positive integer.");
  assert.equal(await refusal(tools, "tool_search", { queries: "x" }), "queries must be a non-empty array.");
  assert.equal(
    await refusal(tools, "tool_search", { queries: [{ query: "a" }], limit: 2 }),
    "set limit on each batch query, not on the batch request.",
  );
  // Each limit is clamped to maxSearchLimit (20) first: two of 30 are 40, three are 60.
  const clamped = textOf(
    await run(tools, "tool_search", { queries: [{ query: "a", limit: 30 }, { query: "b", limit: 30 }] }),
  ) as { results: unknown[] };
  assert.equal(clamped.results.length, 2);
  assert.equal(
    await refusal(tools, "tool_search", { queries: ["a", "b", "c"].map((query) => ({ query, limit: 30 })) }),
    "batch queries resolve to 60 results, but may request at most 50 in total. An omitted limit counts as 8; " +
      "set smaller per-query limits and retry.",
  );
});

Deno.test("describe gives the full schema; an unknown id names close tools", async () => {
  const tools = withToolSearch(TOOLS, ON).tools;
  const described = textOf(await run(tools, "tool_describe", { id: "web_fetch" })) as Record<string, unknown>;
  assert.equal(described.id, "openclaw:core:web_fetch");
  assert.deepEqual(described.parameters, TOOLS[2]!.parameters);
  assert.equal(
    await refusal(tools, "tool_describe", { id: "web_fetcher" }),
    "Unknown tool id: web_fetcher. Did you mean: web_fetch? Use tool_search to find a tool, tool_describe to " +
      "inspect it, then tool_call with the exact id or name.",
  );
  assert.equal(await refusal(tools, "tool_describe", {}), "id must be a non-empty string.");
});

Deno.test("tool_call runs the target with nested, flattened or dotted input, checked against its schema", async () => {
  const tools = withToolSearch(TOOLS, ON).tools;
  for (
    const args of [
      { id: "memory_get", args: { path: "MEMORY.md" } },
      { id: "openclaw:memory-core:memory_get", path: "MEMORY.md" },
      { id: "memory_get", "args.path": "MEMORY.md" },
      { args: { id: "memory_get", path: "MEMORY.md" } },
    ]
  ) {
    const result = await run(tools, "tool_call", args);
    assert.deepEqual(textOf(result), {
      tool: { id: "openclaw:memory-core:memory_get", name: "memory_get", source: "openclaw" },
      result: { content: [{ type: "text", text: 'memory_get {"path":"MEMORY.md"}' }] },
    }, JSON.stringify(args));
  }
  assert.equal(
    await refusal(tools, "tool_call", { id: "memory_get", args: { pth: "x" } }),
    `Invalid arguments for tool "openclaw:memory-core:memory_get": path: must have required property 'path'. ` +
      "Expected input: { path: string }.",
  );
  assert.match(await refusal(tools, "tool_call", { id: "nosuch" }), /^Unknown tool id: nosuch\. Use tool_search/);
});

Deno.test("the prompt's directory lists the deferred tools of our own, sorted, and how to call them", () => {
  assert.equal(
    withToolSearch(TOOLS, ON).directory,
    [
      "Available deferred-schema tools:",
      "- memory_get (memory-core): Read memory notes.",
      "- web_fetch (core): Fetch URL; extract readable markdown/text.",
      "",
      "Policy-approved MCP and client tools may also be discoverable through search.",
      // The MCP tool is searchable but not listed: counted as omitted, as the reference counts it.
      "1 additional tools omitted. Use tool_search to find a tool and its input signature; use tool_describe when a " +
      "full schema is needed. Deferred names are not " +
      "directly callable. Call tool_call with the result id or name in id and all tool parameters in args. Use this " +
      "wrapper even when other guidance names a deferred tool directly.",
    ].join("\n"),
  );
  assert.equal(withToolSearch(TOOLS.slice(0, 2), ON).directory, "Available deferred-schema tools: none.");
  assert.equal(
    withToolSearch(TOOLS, resolveToolSearch({ tools: { toolSearch: false } } as RawConfig)).directory,
    undefined,
  );
});

Deno.test("tools.toolSearch as the reference reads it", () => {
  const read = (toolSearch: unknown) => resolveToolSearch({ tools: { toolSearch } } as RawConfig);
  assert.deepEqual(resolveToolSearch({}), { enabled: true, mode: "tools", searchDefaultLimit: 8, maxSearchLimit: 20 });
  assert.equal(read(true).enabled, true);
  assert.equal(read(false).enabled, false);
  assert.equal(read({}).enabled, false);
  assert.equal(read({ mode: "tools" }).enabled, true);
  assert.equal(read({ enabled: false, mode: "tools" }).enabled, false);
  assert.deepEqual(read({ maxSearchLimit: 99, searchDefaultLimit: 70 }), {
    enabled: true,
    mode: "code",
    searchDefaultLimit: 50,
    maxSearchLimit: 50,
  });
  assert.equal(read({ searchDefaultLimit: 30 }).searchDefaultLimit, 20);
});

Deno.test("keptToolSearch() reuses a surface for the same tools and settings, and builds anew when either changes", () => {
  const kept: SearchSurfaces = [];
  const first = keptToolSearch(kept, TOOLS, ON);
  const built = withToolSearch(TOOLS, ON);
  assert.equal(first.directory, built.directory);
  assert.deepEqual(first.tools.map((t) => t.name), built.tools.map((t) => t.name));
  // A turn's copy of a tool with its fields unchanged (offered_tools.ts rewords descriptions that way) is the same tool.
  const copies = TOOLS.map((t) => ({ ...t }));
  const again = keptToolSearch(kept, copies, ON);
  assert.equal(kept.length, 1);
  assert.equal(again.tools[0], first.tools[0], "the kept controls and core tools are offered again");
  assert.notEqual(again.tools, first.tools, "each turn gets its own list to add the caller's tools to");
  // A reworded description, another tool or other settings build a new surface.
  const reworded = TOOLS.map((t) => t.name === "web_fetch" ? { ...t, description: "Fetch a page." } : t);
  assert.match(keptToolSearch(kept, reworded, ON).directory!, /web_fetch.*Fetch a page\./);
  assert.equal(kept.length, 2);
  const fewer = keptToolSearch(kept, TOOLS.slice(0, 4), ON);
  assert.doesNotMatch(fewer.directory!, /docs__lookup/);
  const narrower = resolveToolSearch({ tools: { toolSearch: { searchDefaultLimit: 3 } } } as RawConfig);
  keptToolSearch(kept, TOOLS, narrower);
  assert.equal(kept.length, 4);
  for (let i = 0; i < 20; i++) keptToolSearch(kept, [tool(`t${i}`, "x")], ON);
  assert.equal(kept.length, 16, "bounded, the oldest going first");
});
