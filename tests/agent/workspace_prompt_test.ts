import assert from "node:assert/strict";
import {
  type BootstrapFile,
  bootstrapNamesFor,
  budgetBootstrapFiles,
  renderSystemPrompt,
  sessionKindOf,
  trimBootstrapContent,
  TRUNCATION_NOTICE,
  USER_BOOTSTRAP_MAX_CHARS,
} from "../../src/agent/workspace_prompt.ts";
import { readBootstrapFiles, workspaceSystemPrompt } from "../../src/agent/workspace_files.ts";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { ignoredKeys } from "../../src/config/implemented_keys.ts";

const file = (name: string, content: string): BootstrapFile => ({ name, path: `/ws/${name}`, content });

Deno.test("session kinds come from the key as the reference reads them", () => {
  assert.equal(sessionKindOf("agent:main:main"), "main");
  assert.equal(sessionKindOf("agent:main:irc:direct:alice"), "main");
  assert.equal(sessionKindOf("agent:main:irc:group:#ops"), "group");
  assert.equal(sessionKindOf("agent:main:telegram:acct:channel:42"), "group");
  assert.equal(sessionKindOf("agent:main:subagent:abc"), "subagent");
  assert.equal(sessionKindOf("agent:main:cron:job1"), "cron");
  assert.equal(sessionKindOf("openai:user-1"), "main");
});

Deno.test("each session kind gets its files in prompt order; MEMORY.md only in the main session", () => {
  assert.deepEqual(bootstrapNamesFor("main"), [
    "AGENTS.md",
    "SOUL.md",
    "IDENTITY.md",
    "USER.md",
    "TOOLS.md",
    "BOOTSTRAP.md",
    "MEMORY.md",
  ]);
  assert.deepEqual(bootstrapNamesFor("group"), [
    "AGENTS.md",
    "SOUL.md",
    "IDENTITY.md",
    "USER.md",
    "TOOLS.md",
    "BOOTSTRAP.md",
  ]);
  assert.deepEqual(bootstrapNamesFor("subagent"), ["AGENTS.md"]);
  assert.deepEqual(bootstrapNamesFor("cron"), ["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md"]);
});

Deno.test("a long file keeps head and tail around the reference's marker, within its cap", () => {
  const text = "H".repeat(300) + "M".repeat(400) + "T".repeat(300);
  const out = trimBootstrapContent(text, "SOUL.md", 500);
  assert.equal(out.truncated, true);
  assert.ok(out.content.length <= 500, `${out.content.length} chars`);
  assert.match(out.content, /^H+\n\n\[\.\.\.truncated, read SOUL\.md for full content\.\.\.\]\n/);
  assert.match(out.content, /…\(truncated SOUL\.md: kept \d+\+\d+ chars of 1000\)…\n\nT+$/);
  const [head, tail] = out.content.match(/kept (\d+)\+(\d+)/)!.slice(1).map(Number);
  assert.ok(head! > tail! && tail! > 0, "three quarters head, one quarter tail");
  assert.deepEqual(trimBootstrapContent("short\n\n", "SOUL.md", 500), { content: "short", truncated: false });
  // A cap too small for the full marker takes the compact one.
  assert.match(trimBootstrapContent(text, "SOUL.md", 60).content, /\[…truncated \d+\+\d+\/1000\]/);
});

Deno.test("per-file cap, USER.md's own cap, the total cap, and blank files", () => {
  const { files, truncated } = budgetBootstrapFiles([
    file("AGENTS.md", "a".repeat(50)),
    file("SOUL.md", "   \n"),
    file("USER.md", "u".repeat(USER_BOOTSTRAP_MAX_CHARS + 100)),
    file("MEMORY.md", "m".repeat(300)),
  ], { maxChars: 10_000, totalMaxChars: 10_000 });
  assert.deepEqual(files.map((f) => f.name), ["AGENTS.md", "USER.md", "MEMORY.md"], "the blank SOUL.md is skipped");
  assert.equal(files[0]!.content, "a".repeat(50));
  assert.ok(files[1]!.content.length <= USER_BOOTSTRAP_MAX_CHARS, "USER.md keeps its 4,000-char cap");
  assert.deepEqual(truncated, ["USER.md"]);

  const small = budgetBootstrapFiles([file("AGENTS.md", "a".repeat(200)), file("SOUL.md", "s".repeat(200))], {
    maxChars: 150,
    totalMaxChars: 250,
  });
  const first = small.files[0]!.content.length;
  assert.ok(first <= 150 && first > 140, `AGENTS.md fills its 150-char cap (${first})`);
  assert.ok(small.files[1]!.content.length <= 100, "the second file gets what the total leaves");
  assert.deepEqual(small.truncated, ["AGENTS.md", "SOUL.md"]);
  const total = small.files.reduce((n, f) => n + f.content.length, 0);
  assert.ok(total <= 250, `${total} chars in all`);

  const exhausted = budgetBootstrapFiles([file("AGENTS.md", "a".repeat(100)), file("SOUL.md", "s")], {
    maxChars: 100,
    totalMaxChars: 120,
  });
  assert.deepEqual(exhausted.files.map((f) => f.name), ["AGENTS.md"], "under 64 chars left, no more files");
});

Deno.test("the prompt carries the files under Project Context, each headed by its path, and the notice when cut", () => {
  const files = [file("AGENTS.md", "Be brief."), file("SOUL.md", "Warm.")];
  const prompt = renderSystemPrompt({ workspace: "/ws", files, truncated: [] });
  assert.ok(prompt.startsWith("You are a personal assistant running inside OpenClaw.\n"));
  assert.match(prompt, /## Workspace\nWorking directory: \/ws\n/);
  assert.match(prompt, /# Project Context\nLoaded project context:\nSOUL\.md: persona\/tone/);
  assert.ok(prompt.indexOf("## /ws/AGENTS.md\nBe brief.") < prompt.indexOf("## /ws/SOUL.md\nWarm."));
  assert.ok(!prompt.includes("\n\n"), "the reference joins its non-empty lines");
  assert.ok(!prompt.includes("Bootstrap Context Notice"));
  assert.ok(renderSystemPrompt({ workspace: "/ws", files, truncated: ["SOUL.md"] }).includes(TRUNCATION_NOTICE));
  assert.ok(!renderSystemPrompt({ workspace: "/ws", files: [], truncated: [] }).includes("# Project Context"));
});

Deno.test("files are read from the workspace: missing ones skipped, unreadable ones marked, limits from config", async () => {
  const ws = await Deno.makeTempDir({ prefix: "oc-ws-prompt-" });
  try {
    await Deno.writeTextFile(`${ws}/AGENTS.md`, "Rules here.");
    await Deno.writeTextFile(`${ws}/MEMORY.md`, "x".repeat(500));
    await Deno.mkdir(`${ws}/SOUL.md`); // a directory where a file belongs cannot be read as text
    const read = await readBootstrapFiles(ws, ["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md", "MEMORY.md"]);
    assert.deepEqual(read.map((f) => [f.name, f.missing ?? false]), [
      ["AGENTS.md", false],
      ["SOUL.md", false],
      ["IDENTITY.md", true],
      ["MEMORY.md", false],
    ], "a missing IDENTITY.md is marked, a missing USER.md skipped");
    assert.match(read[1]!.content, /^\[UNREADABLE: .+\]$/);

    const config = { agents: { defaults: { workspace: ws, bootstrapMaxChars: 200 } } };
    const agent = agentsFromConfig(config, "/state", "/home/test").agents[0]!;
    const main = await workspaceSystemPrompt(agent, "agent:main:main");
    assert.ok(main.includes(`## ${ws}/AGENTS.md\nRules here.`));
    assert.ok(main.includes(`## ${ws}/IDENTITY.md\n[MISSING] Expected at: ${ws}/IDENTITY.md`));
    assert.ok(!main.includes("USER.md"));
    assert.ok(main.includes("[...truncated, read MEMORY.md for full content...]"), "bootstrapMaxChars applies");
    assert.ok(main.includes(TRUNCATION_NOTICE));
    const group = await workspaceSystemPrompt(agent, "agent:main:irc:group:#ops");
    assert.ok(!group.includes("MEMORY.md"), "a group session never sees long-term memory");
    const never = agentsFromConfig(
      { agents: { defaults: { workspace: ws, contextInjection: "never" } } },
      "/s",
      "/home/test",
    );
    assert.ok(!(await workspaceSystemPrompt(never.agents[0]!, "agent:main:main")).includes("Rules here."));
  } finally {
    await Deno.remove(ws, { recursive: true });
  }
});

Deno.test("bootstrap limits: per agent over agents.defaults, invalid values unset, and the keys count as implemented", () => {
  const config = {
    agents: {
      defaults: { bootstrapMaxChars: 1000, bootstrapTotalMaxChars: 5000, contextInjection: "always" },
      list: [
        { id: "main", default: true, bootstrapMaxChars: 300.7 },
        { id: "two", bootstrapTotalMaxChars: -1, contextInjection: "never" },
      ],
    },
  };
  const [main, two] = agentsFromConfig(config, "/state", "/home/test").agents;
  assert.deepEqual([main!.bootstrapLimits, main!.contextInjection], [
    { maxChars: 300, totalMaxChars: 5000 },
    "always",
  ]);
  assert.deepEqual([two!.bootstrapLimits, two!.contextInjection], [{ maxChars: 1000, totalMaxChars: 5000 }, "never"]);
  assert.deepEqual(ignoredKeys(config), []);
});
