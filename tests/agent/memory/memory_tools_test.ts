import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveAgents } from "../../../src/config/resolve_agents.ts";
import { memoryTools } from "../../../src/agent/memory/memory_tools.ts";
import { memoryRecallSection } from "../../../src/agent/memory/memory_prompt.ts";
import { type ToolCall, ToolError, type ToolHost } from "../../../src/agent/tool.ts";

async function setup(config: Record<string, unknown> = {}) {
  const root = await Deno.makeTempDir();
  const ws = join(root, "ws");
  await Deno.mkdir(join(ws, "memory"), { recursive: true });
  await Deno.writeTextFile(
    join(ws, "MEMORY.md"),
    "# Facts\n- The user's cat is named Biscuit.\n- Favourite colour: teal\n",
  );
  await Deno.writeTextFile(join(ws, "memory", "2026-11-29.md"), "Met Alice about the Q3 roadmap.\n");
  const agents = resolveAgents(
    { agents: { defaults: { workspace: ws } }, ...config } as never,
    join(root, "state"),
    "/home/test",
  );
  const host = { stateDir: join(root, "state"), agents: () => agents } as unknown as ToolHost;
  return { root, ws, agent: agents.agents[0]!, host };
}

function call(ws: string, sessionKey = "agent:main:main"): ToolCall {
  return {
    runId: "r",
    toolCallId: "t",
    agentId: "main",
    sessionKey,
    workspace: ws,
    signal: new AbortController().signal,
    senderIsOwner: true,
    update() {},
  };
}

Deno.test("memory_search: the reference's schema and JSON result, citations in direct chats only", async () => {
  const { root, ws, agent, host } = await setup();
  try {
    const [search] = await memoryTools(host, agent);
    assert.equal(search!.name, "memory_search");
    assert.deepEqual(search!.parameters.required, ["query"]);
    const result = await search!.execute({ query: "Biscuit" }, call(ws));
    const payload = JSON.parse((result.content[0] as { text: string }).text);
    assert.deepEqual(result.details, payload);
    const hit = payload.results[0];
    assert.deepEqual(Object.keys(hit), [
      "path",
      "startLine",
      "endLine",
      "score",
      "textScore",
      "snippet",
      "source",
      "provenance",
      "corpus",
      "citation",
    ]);
    assert.deepEqual(payload.results, [{
      path: "MEMORY.md",
      startLine: 2,
      endLine: 2,
      score: hit.score,
      textScore: hit.score,
      snippet: "- The user's cat is named Biscuit.\n\nSource: MEMORY.md#L2",
      source: "memory",
      provenance: { originClass: "agent", sessionKind: "unknown", observedAt: hit.provenance.observedAt },
      corpus: "memory",
      citation: "MEMORY.md#L2",
    }]);
    assert.ok(hit.score > 0.35 && hit.score <= 1);
    assert.deepEqual([payload.provider, payload.model, payload.citations, payload.mode], [
      "none",
      "fts-only",
      "auto",
      "fts-only",
    ]);
    const group = await search!.execute({ query: "roadmap" }, call(ws, "agent:main:irc:group:#dev"));
    const groupHit = (group.details as { results: Record<string, unknown>[] }).results[0]!;
    assert.equal(groupHit.snippet, "Met Alice about the Q3 roadmap.\n");
    assert.equal(groupHit.citation, undefined);
    await assert.rejects(() => search!.execute({ query: "  " }, call(ws)), /query required/);
    const sessions = await search!.execute({ query: "x", corpus: "sessions" }, call(ws));
    assert.equal((sessions.details as { unavailable: boolean }).unavailable, true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("memory_get: an excerpt with continuation, not_found, and refused paths", async () => {
  const { root, ws, agent, host } = await setup();
  try {
    const [, get] = await memoryTools(host, agent);
    const excerpt = await get!.execute({ path: "MEMORY.md", from: 2, lines: 1 }, call(ws));
    assert.deepEqual(excerpt.details, {
      status: "ok",
      text: "- The user's cat is named Biscuit.\n\n[More content available. Use from=3 to continue.]",
      path: "MEMORY.md",
      from: 2,
      lines: 1,
      truncated: true,
      nextFrom: 3,
    });
    const whole = await get!.execute({ path: "memory/2026-11-29.md" }, call(ws));
    assert.deepEqual(whole.details, {
      status: "ok",
      text: "Met Alice about the Q3 roadmap.",
      path: "memory/2026-11-29.md",
      from: 1,
      lines: 1,
    });
    assert.deepEqual((await get!.execute({ path: "memory/none.md" }, call(ws))).details, {
      status: "not_found",
      text: "",
      path: "memory/none.md",
    });
    for (const path of ["../secret.md", "AGENTS.md", "/etc/passwd"]) {
      const refused = (await get!.execute({ path }, call(ws))).details as Record<string, unknown>;
      assert.equal(refused.code, "MEMORY_PATH_NOT_ALLOWED", path);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("memory_search corpus: wiki finds nothing and says it is not registered; all reports both corpora; unknown fails closed", async () => {
  const { root, ws, agent, host } = await setup();
  try {
    const [search] = await memoryTools(host, agent);
    const wiki = (await search!.execute({ query: "Biscuit", corpus: "wiki" }, call(ws))).details;
    assert.deepEqual(wiki, {
      results: [],
      citations: "auto",
      corpora: [{ corpus: "wiki", outcome: "not-registered" }],
      warning: "Wiki corpus is not registered; results do not cover that requested corpus.",
    });
    const all = (await search!.execute({ query: "Biscuit", corpus: "all" }, call(ws))).details as {
      results: { path: string }[];
      corpora: unknown;
    };
    assert.equal(all.results[0]?.path, "MEMORY.md");
    assert.deepEqual(all.corpora, [{ corpus: "memory", outcome: "ok" }, { corpus: "wiki", outcome: "not-registered" }]);
    const memory = (await search!.execute({ query: "Biscuit", corpus: "memory" }, call(ws))).details as object;
    assert.equal("corpora" in memory, false);
    await assert.rejects(
      search!.execute({ query: "Biscuit", corpus: "everything" }, call(ws)),
      (e) => e instanceof ToolError && e.message === "corpus must be one of: memory, wiki, all, sessions",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("memory tools: none when memory.search.enabled is false; citations off by config", async () => {
  const off = await setup({ memory: { search: { enabled: false } } });
  try {
    assert.deepEqual(await memoryTools(off.host, off.agent), []);
  } finally {
    await Deno.remove(off.root, { recursive: true });
  }
  const quiet = await setup({ memory: { citations: "off" } });
  try {
    const [search] = await memoryTools(quiet.host, quiet.agent);
    const hit =
      ((await search!.execute({ query: "teal" }, call(quiet.ws))).details as { results: { snippet: string }[] })
        .results[0]!;
    assert.equal(hit.snippet.includes("Source:"), false);
  } finally {
    await Deno.remove(quiet.root, { recursive: true });
  }
});

Deno.test("Memory Recall section: only with a memory tool, worded as the reference's", () => {
  assert.deepEqual(memoryRecallSection(new Set(["agents_list"]), "auto"), []);
  assert.deepEqual(memoryRecallSection(new Set(["memory_search", "memory_get", "sessions_history"]), "auto"), [
    "## Memory Recall",
    "Before answering anything about prior work, decisions, dates, people, preferences, or todos: run memory_search; for memory-file hits, use memory_get to pull only the needed lines. If low confidence after search, say you checked.",
    "For session hits, use sessions_history with a known session key or transcript ID and a small limit; paginate its returned history metadata to locate the excerpt.",
    "Session search line numbers are not history offsets. Never read raw transcript files to expand session hits.",
    "Report partial, unavailable, or stale recall to the user, including returned warning and action guidance.",
    "Citations: include Source: <path#line> when it helps the user verify memory snippets.",
    "",
  ]);
});
