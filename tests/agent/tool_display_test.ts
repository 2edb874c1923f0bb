import assert from "node:assert/strict";
import { toolDetail, toolItemTitle, toolLabel } from "../../src/agent/tool_display.ts";
import { TITLE_CALLS } from "../support/tool_titles_script.ts";

interface RecordedCall {
  call: string;
  name: string;
  items: { title?: string; meta?: string }[];
}

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/tool_titles/ref.json", import.meta.url)),
) as { calls: RecordedCall[] };

Deno.test("each recorded call's title and meta are the reference's (exec aside: its command summaries)", () => {
  for (const call of TITLE_CALLS) {
    if (call.name === "exec") continue;
    const ref = recorded.calls.find((c) => c.call === call.id)!;
    const meta = toolDetail(call.name, call.args);
    assert.equal(meta, ref.items[0]!.meta, `${call.id} meta`);
    assert.equal(toolItemTitle(call.name, meta), ref.items[0]!.title, `${call.id} title`);
  }
});

Deno.test("labels: the display table's title, else the name's words", () => {
  assert.equal(toolLabel("sessions_list"), "Sessions");
  assert.equal(toolLabel("agents_list"), "Agents");
  assert.equal(toolLabel("web_fetch"), "Web Fetch");
  assert.equal(toolLabel("automations"), "Automations");
  assert.equal(toolLabel("docs__search"), "Docs Search");
});

Deno.test("details: home written ~, several keys labeled, long values cut in the middle, falsy left out", () => {
  assert.equal(toolDetail("read", { path: "/home/ann/notes/a.md" }, "/home/ann"), "from ~/notes/a.md");
  assert.equal(
    toolDetail("sessions_send", { sessionKey: "agent:x:y", timeoutSeconds: 30 }),
    "session agent:x:y, timeout 30",
  );
  assert.equal(toolDetail("sessions_list", { limit: 0, includeLastMessage: false }), undefined);
  const long = "a".repeat(100) + "b".repeat(100);
  assert.equal(toolDetail("memory_search", { query: long }), `${"a".repeat(79)}…${"b".repeat(80)}`);
  assert.equal(toolDetail("memory_search", { query: "first line\nsecond" }), "first line");
  assert.equal(
    toolDetail("cron", { action: "list", id: "job-1" }),
    "job-1",
    "an action without keys: the fallback keys",
  );
  assert.equal(toolDetail("cron", { action: "run", id: "job-1" }), "job-1");
  assert.equal(toolDetail("web_search", { query: "deno", count: 5 }), 'for "deno" (top 5)');
  assert.equal(toolDetail("mcp__thing", { url: "https://x.test", name: "n" }), "url https://x.test, name n");
  assert.equal(toolDetail("agents_list", { path: "x" }), undefined, "an empty key list shows nothing");
});

Deno.test("exec: its title, else the command on one line (unwrapped, masked) with where it runs", () => {
  assert.equal(toolDetail("exec", { command: "bash -lc 'make build'", title: "  Build   it " }), "Build it");
  assert.equal(toolDetail("exec", { command: "bash -lc 'make build'" }), "make build");
  assert.equal(toolDetail("exec", { command: "make\n  build", workdir: "/srv/app" }), "make build (in /srv/app)");
  assert.equal(toolDetail("exec", { command: "make", workdir: "/home/a/.openclaw/workspace" }), "make (agent)");
  const masked = toolDetail("exec", { command: "mytool -H 'Authorization: Bearer sk-abcdefghijklmnopqrstuvwxyz0123'" });
  assert.ok(masked && !masked.includes("abcdefghijklmnopqrstuvwxyz0123"), String(masked));
  const long = toolDetail("exec", { command: `mytool ${"x".repeat(300)}` })!;
  assert.equal(long.length, 120);
  assert.ok(long.includes("…"));
});
