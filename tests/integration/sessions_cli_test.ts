// `openclaw sessions [list] | archive | delete`, run as the binary runs, against the reference
// OpenClaw 2026.9.6: its recorded refusals (tests/fixtures/sessions/), its own listing of the same
// state dir, and its CLI archiving and deleting through our gateway what ours archived and deleted.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { runOpenclaw, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { SessionStore } from "../../src/sessions/store.ts";

const TOKEN = "sekrit-token-123";
const LONG = "agent:main:a-very-long-session-key-that-should-be-truncated-in-table";

/** Sessions our store writes: a main session with a finished turn, a labelled one, one with a long key. */
async function seed(home: TempHome): Promise<void> {
  const store = new SessionStore(home.stateDir);
  const now = Date.now();
  // A Telegram direct chat that landed in the main session: the reference shows its runtime policy key.
  await store.ensure("agent:main:main", "main", {
    channel: "telegram",
    to: "telegram:123",
    chatType: "direct",
    from: "telegram:123",
  });
  await store.append("agent:main:main", "main", [
    { role: "user", content: [{ type: "text", text: "hi" }], timestamp: now, runId: "r1" },
    {
      role: "assistant",
      content: [{ type: "text", text: "hello" }],
      timestamp: now,
      runId: "r1",
      provider: "openai",
      model: "gpt-5.4",
      stopReason: "stop",
      usage: { input: 1234, output: 56, totalTokens: 1290 },
    },
  ] as never);
  await store.ensure("agent:main:scratch-1", "main");
  await store.update("agent:main:scratch-1", "main", { label: "Scratch", thinkingLevel: "high" });
  await store.ensure(LONG, "main");
  await store.close();
}

/** A listing without its clock-dependent field. */
function listing(stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout);
  for (const row of doc.sessions) delete row.ageMs;
  return doc;
}

const keysOf = (doc: Record<string, unknown>) => (doc.sessions as { key: string }[]).map((s) => s.key);

Deno.test("sessions refusals are the reference's recorded words and exit codes", async () => {
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/sessions/reference_refusals.json", import.meta.url)),
  );
  const home = await tempHome();
  try {
    for (const want of recorded.cases) {
      const got = await runOpenclaw(want.args, { home: home.home });
      assert.equal(got.code, want.code, want.args.join(" "));
      assert.deepEqual(typeof want.stdout === "string" ? got.stdout : JSON.parse(got.stdout), want.stdout);
      assert.equal(got.stderr, want.stderr, want.args.join(" "));
    }
  } finally {
    await home.cleanup();
  }
});

Deno.test("sessions lists the stored sessions offline as the reference lists the same state dir", async () => {
  const home = await tempHome();
  try {
    await seed(home);
    const store = new SessionStore(home.stateDir);
    await store.ensure("agent:main:telegram:group:-100", "main", {
      channel: "telegram",
      to: "telegram:-100",
      chatType: "group",
      from: "telegram:55",
    });
    await store.ensure("agent:main:cron:nightly", "main");
    await store.close();
    const ours = await runOpenclaw(["sessions", "--json"], { home: home.home });
    assert.equal(ours.code, 0, ours.stderr);
    const theirs = await runPeer(["sessions", "--json"], home);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.deepEqual(listing(ours.stdout), listing(theirs.stdout));
    assert.deepEqual(keysOf(listing(ours.stdout)), [
      "agent:main:cron:nightly",
      "agent:main:telegram:group:-100",
      LONG,
      "agent:main:scratch-1",
      "agent:main:main",
    ]);
    const kinds = listing(ours.stdout).sessions as { kind: string; runtimePolicySessionKey?: string }[];
    assert.deepEqual(kinds.map((row) => row.kind), ["cron", "group", "direct", "direct", "direct"]);
    assert.equal(kinds[4]!.runtimePolicySessionKey, "agent:main:telegram:default:direct:123");

    // The table (on stderr, as the reference prints it): same headings, cells and layout.
    const table = await runOpenclaw(["sessions", "--limit", "2"], { home: home.home });
    const theirTable = await runPeer(["sessions", "--limit", "2"], home);
    assert.equal(table.code, 0);
    assert.equal(table.stdout, "");
    assert.equal(table.stderr, theirTable.stderr.trimEnd());
    assert.match(table.stderr, /Sessions listed: 2 of 5 \(limit 2\)/);
    assert.ok(table.stderr.includes("│ cron  │ agent:main:cron:nightly   │"), table.stderr);

    const all = listing(
      (await runOpenclaw(["sessions", "list", "--all-agents", "--limit", "all", "--json"], {
        home: home.home,
      })).stdout,
    );
    assert.equal(all.path, null);
    assert.deepEqual(all.stores, [{
      agentId: "main",
      path: `${home.stateDir}/agents/main/agent/openclaw-agent.sqlite`,
    }]);
    assert.equal(all.limitApplied, null);
    assert.equal(all.totalCount, 5);
  } finally {
    await home.cleanup();
  }
});

Deno.test("sessions archive/delete go through the gateway; the reference CLI sees and does the same", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  await seed(home);
  const { proc, port } = await startGateway({ home: home.home, args: ["--token", TOKEN] });
  const flags = ["--url", `ws://127.0.0.1:${port}`, "--token", TOKEN];
  try {
    // Ours archives; the reference CLI asks our gateway and finds it archived already.
    const archived = await runOpenclaw(["sessions", "archive", "agent:main:scratch-1", "--json", ...flags], {
      home: home.home,
    });
    assert.equal(archived.code, 0, archived.stderr);
    assert.deepEqual(JSON.parse(archived.stdout), {
      ok: true,
      operation: "archive",
      dryRun: false,
      results: [{ key: "agent:main:scratch-1", ok: true, status: "archived" }],
    });
    const again = await runPeer(["sessions", "archive", "agent:main:scratch-1", "--json", ...flags], home);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).results, [
      { key: "agent:main:scratch-1", ok: true, status: "already_archived" },
    ]);

    // The reference CLI deletes through our gateway; ours refuses the main session as the reference's does.
    const deleted = await runPeer(["sessions", "delete", LONG, "--yes", "--json", ...flags], home);
    assert.equal(deleted.code, 0, deleted.stderr);
    // Its transcript (a header alone) is archived as the reference archives one.
    const [result] = JSON.parse(deleted.stdout).results;
    assert.deepEqual({ ...result, archived: [] }, { key: LONG, ok: true, status: "deleted", archived: [] });
    assert.equal(result.archived.length, 1);
    assert.match(
      result.archived[0],
      /\/agents\/main\/sessions\/[0-9a-f-]{36}\.jsonl\.deleted\.[0-9TZ.-]+\.[0-9a-f]{32}\.zst$/,
    );
    const main = await runOpenclaw(["sessions", "delete", "agent:main:main", "--yes", ...flags], { home: home.home });
    assert.equal(main.code, 1);
    assert.match(main.stderr, /^delete agent:main:main: .*main session/);
    const mainArchive = await runOpenclaw(["sessions", "archive", "agent:main:main", ...flags], { home: home.home });
    assert.equal(mainArchive.code, 1);
    assert.match(mainArchive.stderr, /^archive agent:main:main: .*Cannot archive an agent's main session\./);
    const unconfirmed = await runOpenclaw(["sessions", "delete", "agent:main:scratch-1", ...flags], {
      home: home.home,
    });
    assert.equal(unconfirmed.code, 1);
    assert.equal(
      unconfirmed.stderr,
      "delete agent:main:scratch-1: Deletion requires confirmation. Pass --yes to delete non-interactively.",
    );

    // Both listings read the same rows: the archived session stays stored, the deleted one is gone.
    const ours = listing((await runOpenclaw(["sessions", "--json"], { home: home.home })).stdout);
    const theirs = listing((await runPeer(["sessions", "--json"], home)).stdout);
    assert.deepEqual(keysOf(ours), ["agent:main:scratch-1", "agent:main:main"]);
    assert.deepEqual(ours, theirs);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited();
    await home.cleanup();
  }
});

Deno.test("sessions --store refuses a file that is no session store, lists an empty SQLite file and resolves an agent's legacy sessions.json, as the reference", async () => {
  const home = await tempHome();
  try {
    const junk = `${home.home}/junk.sqlite`;
    await Deno.writeTextFile(junk, "not a database, just text\n".repeat(10));
    const empty = `${home.home}/empty/openclaw-agent.sqlite`;
    await Deno.mkdir(`${home.home}/empty`);
    await Deno.writeTextFile(empty, "");
    for (
      const args of [["sessions", "--store", junk, "--json"], ["sessions", "--store", junk], [
        "sessions",
        "--store",
        empty,
      ]]
    ) {
      const ours = await runOpenclaw(args, { home: home.home });
      const theirs = await runPeer(args, home);
      assert.equal(ours.code, theirs.code, args.join(" "));
      assert.equal(ours.stdout.trimEnd(), theirs.stdout.trimEnd(), args.join(" "));
      assert.equal(ours.stderr.trimEnd(), theirs.stderr.trimEnd(), args.join(" "));
    }
    // Nothing was written into the file the reference refuses.
    assert.equal(await Deno.readTextFile(junk), "not a database, just text\n".repeat(10));

    // An agent's legacy sessions.json names that agent's database, as the reference resolves it.
    await seed(home);
    const legacy = ["sessions", "--store", `${home.stateDir}/agents/main/sessions/sessions.json`, "--json"];
    const ours = await runOpenclaw(legacy, { home: home.home });
    const theirs = await runPeer(legacy, home);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.deepEqual(listing(ours.stdout), listing(theirs.stdout));
    assert.equal(listing(ours.stdout).path, `${home.stateDir}/agents/main/agent/openclaw-agent.sqlite`);
  } finally {
    await home.cleanup();
  }
});
