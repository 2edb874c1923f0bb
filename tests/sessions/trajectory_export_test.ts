import assert from "node:assert/strict";
import { activeBranch } from "../../src/sessions/trajectory_bundle.ts";
import {
  defaultBundleName,
  exportTrajectory,
  resolveOutputDir,
  TrajectoryExportError,
} from "../../src/sessions/trajectory_export.ts";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { agentDbPath, openAgentDb } from "../../src/state/agent_db.ts";

const NOW = new Date("2026-12-02T15:55:36.123Z");

Deno.test("defaultBundleName() uses the session id's first 8 characters and the time to the second", () => {
  assert.equal(defaultBundleName("bcc266fb-fbb0-4560", NOW), "openclaw-trajectory-bcc266fb-2026-12-02T15-55-36");
  assert.equal(defaultBundleName("...", NOW), "openclaw-trajectory-session-2026-12-02T15-55-36");
});

Deno.test("resolveOutputDir() keeps names inside .openclaw/trajectory-exports and refuses the rest", async () => {
  const workspace = await Deno.makeTempDir();
  try {
    const base = `${await Deno.realPath(workspace)}/.openclaw/trajectory-exports`;
    assert.equal(await resolveOutputDir(workspace, "a/b", "s", NOW), `${base}/a/b`);
    assert.equal(
      await resolveOutputDir(workspace, undefined, "s1234567890", NOW),
      `${base}/${defaultBundleName("s1234567890", NOW)}`,
    );
    const refusals: [string, string][] = [
      ["../x", "Output path must stay inside the workspace trajectory exports directory"],
      [".", "Output path must stay inside the workspace trajectory exports directory"],
      ["a/../../x", "Output path must stay inside the workspace trajectory exports directory"],
      ["/tmp/x", "Output path must be relative to the workspace trajectory exports directory"],
      ["~/x", "Output path must be relative to the workspace trajectory exports directory"],
    ];
    for (const [output, message] of refusals) {
      await assert.rejects(
        () => resolveOutputDir(workspace, output, "s", NOW),
        new TrajectoryExportError(message),
        output,
      );
    }
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("resolveOutputDir() refuses a name reaching through a symlink out of the exports folder", async () => {
  const workspace = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  try {
    await resolveOutputDir(workspace, "a", "s", NOW);
    await Deno.symlink(outside, `${workspace}/.openclaw/trajectory-exports/link`);
    await assert.rejects(
      () => resolveOutputDir(workspace, "link/x", "s", NOW),
      new TrajectoryExportError("Output path must stay inside the real trajectory exports directory"),
    );
  } finally {
    await Deno.remove(workspace, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("activeBranch() keeps a straight transcript whole and follows parents back from a leaf navigation", () => {
  const e = (id: string, parentId: string | null) => ({ type: "message", id, parentId, message: { role: "user" } });
  const straight = [{ type: "session", id: "s" }, e("a", null), e("b", "a"), e("c", "b")];
  assert.deepEqual(activeBranch(straight).branch.map((x) => x.id), ["a", "b", "c"]);
  assert.equal(activeBranch(straight).leafId, "c");
  const navigated = [...straight, { type: "leaf", id: "l", parentId: "c", targetId: "a" }, e("d", "a")];
  assert.deepEqual(activeBranch(navigated).branch.map((x) => x.id), ["a", "d"]);
  assert.equal(activeBranch(navigated).leafId, "d");
  const rewound = [...straight, e("r", "a")];
  assert.deepEqual(activeBranch(rewound).branch.map((x) => x.id), ["a", "r"]);
  const parentless = [{ type: "session", id: "s" }, { type: "message", id: "p", message: {} }, {
    type: "message",
    id: "q",
    message: {},
  }];
  assert.deepEqual(activeBranch(parentless).branch.map((x) => [x.id, x.parentId]), [["p", null], ["q", "p"]]);
});

Deno.test("exportTrajectory() exports a session this gateway wrote: its transcript alone, no runtime files", async () => {
  const root = await Deno.makeTempDir();
  try {
    const stateDir = `${root}/state`;
    await Deno.mkdir(`${root}/ws`);
    const db = openAgentDb(stateDir, "main");
    try {
      new AgentSessions(db, "main").importSession({
        key: "agent:main:main",
        sessionId: "s-1",
        createdAt: 1,
        updatedAt: 2,
      }, [
        { role: "user", content: [{ type: "text", text: "hello" }], timestamp: 1 } as never,
      ]);
    } finally {
      db.close();
    }
    const summary = await exportTrajectory({
      storePath: agentDbPath(stateDir, "main"),
      sessionId: "s-1",
      sessionKey: "agent:main:main",
      workspaceDir: `${root}/ws`,
      output: "b",
      stateDir,
      home: root,
    });
    assert.deepEqual(summary.files, ["manifest.json", "events.jsonl", "session-branch.json"]);
    assert.equal(summary.runtimeEventCount, 0);
    assert.equal(summary.transcriptEventCount, 1);
    const events = (await Deno.readTextFile(`${summary.outputDir}/events.jsonl`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.equal(events[0].type, "user.message");
    assert.deepEqual(events[0].data.message.content, [{ type: "text", text: "hello" }]);
    await assert.rejects(
      () =>
        exportTrajectory({
          storePath: agentDbPath(stateDir, "main"),
          sessionId: "s-1",
          sessionKey: "agent:main:main",
          workspaceDir: `${root}/ws`,
          output: "b",
          stateDir,
          home: root,
        }),
      new TrajectoryExportError(`EEXIST: file already exists, mkdir '${summary.outputDir}'`),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
