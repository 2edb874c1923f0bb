// A session deleted through our gateway keeps its transcript where and as the reference OpenClaw 2026.9.6
// keeps it: the reference CLI deletes through our gateway and is answered with the archive paths, the
// files are there (0600, zstd JSONL of every generation), and the reference's own `memory forget`
// preview, run on the same state dir, resolves the deleted session from our archives as `archived`.
import assert from "node:assert/strict";
import { zstdDecompressSync } from "node:zlib";
import { runPeer } from "../support/peer.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { SessionStore } from "../../src/sessions/store.ts";

const TOKEN = "sekrit-token-123";
const KEY = "agent:main:scratch-1";

Deno.test("a session deleted through our gateway leaves the reference's archives, which its memory forget finds", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const store = new SessionStore(home.stateDir);
  const now = Date.now();
  await store.ensure("agent:main:main", "main");
  const first = await store.ensure(KEY, "main");
  await store.append(KEY, "main", [
    { role: "user", content: [{ type: "text", text: "hi" }], timestamp: now, runId: "r1" },
  ] as never);
  const second = await store.reset(KEY, "main");
  await store.append(KEY, "main", [
    { role: "user", content: [{ type: "text", text: "second gen" }], timestamp: now, runId: "r2" },
  ] as never);
  await store.close();

  const { proc, port } = await startGateway({ home: home.home, args: ["--token", TOKEN] });
  try {
    const flags = ["--url", `ws://127.0.0.1:${port}`, "--token", TOKEN];
    const deleted = await runPeer(["sessions", "delete", KEY, "--yes", "--json", ...flags], home);
    assert.equal(deleted.code, 0, deleted.stderr);
    const [result] = JSON.parse(deleted.stdout).results;
    assert.deepEqual([result.key, result.ok, result.status], [KEY, true, "deleted"]);
    // The current transcript first, as the reference answers (tests/fixtures/sessions/reference_delete_archive.json).
    const dir = `${home.stateDir}/agents/main/sessions`;
    const name = /^([0-9a-f-]{36})\.jsonl\.deleted\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.[0-9a-f]{32}\.zst$/;
    assert.deepEqual(
      (result.archived as string[]).map((p) => p.startsWith(`${dir}/`) && name.exec(p.slice(dir.length + 1))?.[1]),
      [second.sessionId, first.sessionId],
    );
    const texts = await Promise.all((result.archived as string[]).map(async (path) => {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      return new TextDecoder().decode(zstdDecompressSync(await Deno.readFile(path)));
    }));
    assert.match(texts[0]!, /^\{"type":"session","version":4,.*\n\{"type":"message".*"second gen".*\n$/s);
    assert.match(texts[1]!, /"text":"hi"/);
  } finally {
    await proc.stop();
  }
  try {
    const forget = await runPeer(
      ["memory", "forget", "--agent", "main", "--session", KEY, "--dry-run", "--json"],
      home,
    );
    assert.equal(forget.code, 0, forget.stderr);
    const report = JSON.parse(forget.stdout);
    assert.deepEqual(
      report.sessionResolutions.map((r: { sessionId: string; sessionKey: string; source: string }) => [
        r.sessionId,
        r.sessionKey,
        r.source,
      ]).sort(),
      [[first.sessionId, KEY, "archived"], [second.sessionId, KEY, "archived"]].sort(),
    );
  } finally {
    await home.cleanup();
  }
});
