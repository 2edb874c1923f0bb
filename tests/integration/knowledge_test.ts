// Skills and memory through the real program: a skill reaches the model's system prompt only when
// its requirements are met, `skills.status` (and the reference CLI through it) reports the rest
// with what they miss; a scripted model's memory_search finds a fact planted in MEMORY.md, by
// keywords and, with an embedding model configured, through the upstream's /embeddings.
import assert from "node:assert/strict";
import { type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { runPeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "knowledge-token-0123456789abcdef";

const skillMd = (name: string, metadata?: unknown) =>
  `---\nname: ${name}\ndescription: The ${name} skill & more\n${
    metadata ? `metadata: ${JSON.stringify({ openclaw: metadata })}\n` : ""
  }---\nInstructions for ${name}.\n`;

async function withKnowledgeGateway(
  extra: Record<string, unknown>,
  body: (
    ctx: { session: ReferenceSession; upstream: FakeUpstream; ws: string; port: number; home: string },
  ) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const ws = await Deno.makeTempDir({ prefix: "oc-knowledge-ws-" });
  await Deno.mkdir(`${ws}/memory`, { recursive: true });
  await Deno.writeTextFile(
    `${ws}/MEMORY.md`,
    "# Facts\n- The user's cat is named Biscuit.\n- Favourite colour: teal\n",
  );
  await Deno.writeTextFile(`${ws}/memory/2026-11-29.md`, "Met Alice about the Q3 roadmap.\n");
  for (const [name, metadata] of Object.entries(extra.skills as Record<string, unknown> ?? {})) {
    await Deno.mkdir(`${ws}/skills/${name}`, { recursive: true });
    await Deno.writeTextFile(`${ws}/skills/${name}/SKILL.md`, skillMd(name, metadata ?? undefined));
  }
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["kn"] } } },
    agents: { defaults: { model: { primary: "fake/kn" }, workspace: ws, ...(extra.defaults as object ?? {}) } },
    ...(extra.config as object ?? {}),
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    await body({ session, upstream, ws, port, home: home.home });
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(ws, { recursive: true });
  }
}

type Final = { status: string; result: { payloads: { text: string }[] } };
type Body = { messages: { role: string; content?: string; tool_call_id?: string }[] };

Deno.test("skills: only skills whose requirements are met reach the system prompt; skills.status and the reference CLI list them all", async () => {
  await withKnowledgeGateway({
    skills: {
      "ready-skill": { requires: { bins: ["sh"] } },
      "blocked-skill": { requires: { bins: ["knowledge-no-such-bin"] }, emoji: "🔧" },
      "off-skill": null,
    },
    config: { skills: { entries: { "off-skill": { enabled: false } } } },
  }, async ({ session, upstream, ws, port }) => {
    upstream.script("kn", [{ text: "ok" }]);
    const final = await session.request<Final>(
      "agent",
      { message: "hi", sessionKey: "agent:main:main", idempotencyKey: "skills-1" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    const request = upstream.requestsOf("kn")[0] as Body & { tools?: { function?: { name?: string } }[] };
    const system = request.messages[0]!;
    assert.equal(system.role, "system");
    const prompt = system.content!;
    // Skills are listed only when the run offers the `read` tool to open them (the reference's rule).
    if ((request.tools ?? []).some((tool) => tool.function?.name === "read")) {
      assert.ok(prompt.includes("## Skills\nScan <available_skills>."), prompt.slice(0, 400));
      assert.ok(
        prompt.includes(
          `  <skill>\n    <name>ready-skill</name>\n    <description>The ready-skill skill &amp; more</description>\n    <location>${ws}/skills/ready-skill/SKILL.md</location>\n  </skill>`,
        ),
        "the eligible skill with its escaped description and location",
      );
    } else {
      assert.ok(!prompt.includes("## Skills"), "no `read` tool offered: no skills listed");
    }
    assert.ok(!prompt.includes("blocked-skill"), "a missing binary keeps a skill out");
    assert.ok(!prompt.includes("off-skill"), "skills.entries.<name>.enabled: false keeps a skill out");

    const status = await session.request<{
      workspaceDir: string;
      skills: { name: string; eligible: boolean; disabled: boolean; missing: { bins: string[] }; source: string }[];
    }>("skills.status", { agentId: "main" });
    assert.equal(status.workspaceDir, ws);
    assert.deepEqual(status.skills.map((s) => [s.name, s.eligible, s.disabled, s.missing.bins, s.source]), [
      ["blocked-skill", false, false, ["knowledge-no-such-bin"], "openclaw-workspace"],
      ["off-skill", false, true, [], "openclaw-workspace"],
      ["ready-skill", true, false, [], "openclaw-workspace"],
    ]);

    // The reference's own CLI lists our skills through our gateway.
    const peer = await tempHome({ gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } });
    try {
      const run = await runPeer(["skills", "list", "--json"], {
        home: peer.home,
        stateDir: peer.stateDir,
        configPath: peer.configPath,
      });
      assert.equal(run.code, 0, run.stderr);
      const listed = JSON.parse(run.stdout) as { skills: { name: string; eligible: boolean; emoji?: string }[] };
      assert.deepEqual(listed.skills.map((s) => [s.name, s.eligible, s.emoji]), [
        ["blocked-skill", false, "🔧"],
        ["off-skill", false, undefined],
        ["ready-skill", true, undefined],
      ]);
    } finally {
      await peer.cleanup();
    }
  });
});

Deno.test("memory: a scripted model's memory_search finds the fact planted in MEMORY.md; memory.search answers too", async () => {
  await withKnowledgeGateway({}, async ({ session, upstream }) => {
    upstream.script("kn", [
      { toolCalls: [{ id: "call_mem", name: "memory_search", args: { query: "what is my cat called?" } }] },
      { text: "Your cat is Biscuit." },
    ]);
    const final = await session.request<Final>(
      "agent",
      { message: "What's my cat's name?", sessionKey: "agent:main:main", idempotencyKey: "mem-1" },
      { expectFinal: true },
    );
    assert.equal(final.result.payloads[0]!.text, "Your cat is Biscuit.");
    const [first, second] = upstream.requestsOf("kn") as (Body & { tools?: { function: { name: string } }[] })[];
    assert.ok(first!.tools?.some((t) => t.function.name === "memory_search"), "memory_search is offered");
    assert.ok(first!.tools?.some((t) => t.function.name === "memory_get"), "memory_get is offered");
    assert.ok(first!.messages[0]!.content!.includes("## Memory Recall"), "the prompt tells the model to recall");
    const tool = second!.messages.find((m) => m.role === "tool" && m.tool_call_id === "call_mem")!;
    const result = JSON.parse(tool.content!) as {
      results: { path: string; startLine: number; endLine: number; snippet: string; citation: string }[];
      mode: string;
    };
    assert.equal(result.mode, "fts-only");
    assert.deepEqual(
      [result.results[0]!.path, result.results[0]!.startLine, result.results[0]!.citation],
      ["MEMORY.md", 2, "MEMORY.md#L2"],
    );
    assert.ok(result.results[0]!.snippet.includes("Biscuit"));

    const searched = await session.request<{ agentId: string; searchMode: string; results: { path: string }[] }>(
      "memory.search",
      { query: "roadmap" },
    );
    assert.deepEqual([searched.agentId, searched.searchMode, searched.results[0]?.path], [
      "main",
      "fts-only",
      "memory/2026-11-29.md",
    ]);
  });
});

Deno.test("memory with memorySearch set: chunks and the query are embedded through the upstream's /embeddings", async () => {
  await withKnowledgeGateway(
    { defaults: { memorySearch: { provider: "fake", model: "embed-kn" } } },
    async ({ session, upstream }) => {
      upstream.script("kn", [
        { toolCalls: [{ id: "call_vec", name: "memory_search", args: { query: "Biscuit" } }] },
        { text: "done" },
      ]);
      await session.request<Final>(
        "agent",
        { message: "cat?", sessionKey: "agent:main:main", idempotencyKey: "mem-vec" },
        { expectFinal: true },
      );
      const embedded = upstream.requests.filter((r) => r.model === "embed-kn") as { input: string[] }[];
      const inputs = embedded.flatMap((r) => r.input);
      assert.ok(inputs.includes("- The user's cat is named Biscuit."), "the MEMORY.md entry was embedded");
      assert.ok(inputs.includes("Biscuit"), "the query was embedded");
      const second = upstream.requestsOf("kn")[1] as Body;
      const result = JSON.parse(second.messages.find((m) => m.role === "tool")!.content!) as {
        mode: string;
        model: string;
        results: { path: string }[];
      };
      assert.deepEqual([result.mode, result.model], ["hybrid", "embed-kn"]);
      assert.ok(result.results.some((r) => r.path === "MEMORY.md"));
    },
  );
});

Deno.test("CLI: our skills list/memory index/search on this host's state; the reference CLI searches the index we wrote", async () => {
  const ws = await Deno.makeTempDir({ prefix: "oc-knowledge-cli-" });
  await Deno.writeTextFile(`${ws}/MEMORY.md`, "# Facts\n- The user's cat is named Biscuit.\n");
  await Deno.mkdir(`${ws}/skills/cli-skill`, { recursive: true });
  await Deno.writeTextFile(`${ws}/skills/cli-skill/SKILL.md`, skillMd("cli-skill", { requires: { anyBins: ["sh"] } }));
  // `memory.search.provider: "none"` tells the reference to index keywords only, as this gateway
  // does without an embedding model (its default would be OpenAI embeddings, a different index).
  const home = await tempHome({ agents: { defaults: { workspace: ws } }, memory: { search: { provider: "none" } } });
  try {
    const skills = await runOpenclaw(["skills", "list", "--json"], { home: home.home });
    assert.equal(skills.code, 0, skills.stderr);
    const listed = JSON.parse(skills.stdout) as { workspaceDir: string; skills: { name: string; eligible: boolean }[] };
    assert.deepEqual([listed.workspaceDir, listed.skills.map((s) => [s.name, s.eligible])], [ws, [[
      "cli-skill",
      true,
    ]]]);
    const missing = await runOpenclaw(["skills", "info", "nope"], { home: home.home });
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /Skill "nope" not found/);

    const indexed = await runOpenclaw(["memory", "index"], { home: home.home });
    assert.equal(indexed.stdout.trim(), "Memory index updated (main): 1 files indexed.", indexed.stderr);
    const ours = await runOpenclaw(["memory", "search", "Biscuit"], { home: home.home });
    assert.match(ours.stdout, /^0\.[1-9]\d{2} MEMORY\.md:2-3\n- The user's cat is named Biscuit\.\n$/);

    // The reference reads our index as its own: current (not dirty), and it finds the same chunk.
    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const status = await runPeer(["memory", "status", "--json"], where);
    assert.equal(status.code, 0, status.stderr);
    const reported = JSON.parse(status.stdout) as { status: { files: number; chunks: number; dirty: boolean } }[];
    assert.deepEqual(
      [reported[0]!.status.files, reported[0]!.status.chunks, reported[0]!.status.dirty],
      [1, 2, false],
    );
    const theirs = await runPeer(["memory", "search", "Biscuit", "--json"], where);
    assert.equal(theirs.code, 0, theirs.stderr);
    const found = JSON.parse(theirs.stdout) as { results: { path: string; startLine: number; endLine: number }[] };
    assert.deepEqual(found.results.map((r) => [r.path, r.startLine, r.endLine]), [["MEMORY.md", 2, 3]]);
  } finally {
    await home.cleanup();
    await Deno.remove(ws, { recursive: true });
  }
});
