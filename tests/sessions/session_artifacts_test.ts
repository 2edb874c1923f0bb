// The artifact rules the reference's store maintenance applies to a sessions directory (its dist:
// disk-budget-*.mjs, artifacts-*.mjs), beyond what the recorded scenes show.
import assert from "node:assert/strict";
import {
  entryArtifactPaths,
  isRetainedArchiveName,
  type SessionDirFile,
  unreferencedArtifacts,
} from "../../src/sessions/session_artifacts.ts";

const DIR = "/s/agents/main/sessions";
const DAY = 86_400_000;
const NOW = 100 * DAY;

function file(name: string, ageDays: number): SessionDirFile {
  return { path: `${DIR}/${name}`, name, size: 10, mtimeMs: NOW - ageDays * DAY };
}

Deno.test("entryArtifactPaths(): the transcript and its trajectory pair, inside the directory only", () => {
  assert.deepEqual(entryArtifactPaths(DIR, { sessionId: "abc" }), [
    `${DIR}/abc.jsonl`,
    `${DIR}/abc.trajectory-path.json`,
    `${DIR}/abc.trajectory.jsonl`,
  ]);
  assert.deepEqual(entryArtifactPaths(DIR, { sessionId: "abc", sessionFile: "x.jsonl" })[0], `${DIR}/x.jsonl`);
  assert.deepEqual(entryArtifactPaths(DIR, { sessionId: "abc", sessionFile: "../x.jsonl" })[0], `${DIR}/abc.jsonl`);
  assert.deepEqual(entryArtifactPaths(DIR, { sessionId: "abc", sessionFile: "sqlite:main:abc" }), []);
  assert.deepEqual(entryArtifactPaths(DIR, { sessionFile: "x.jsonl" }), []);
});

Deno.test("isRetainedArchiveName(): deleted, reset and bak archives with a timestamp", () => {
  assert.ok(isRetainedArchiveName("a.jsonl.deleted.2026-01-01T00-00-00.000Z"));
  assert.ok(isRetainedArchiveName(`a.jsonl.reset.2026-01-01T00-00-00.000Z.${"0".repeat(32)}.zst`));
  assert.ok(isRetainedArchiveName("a.jsonl.bak.2026-01-01T00-00-00Z"));
  assert.ok(!isRetainedArchiveName("a.jsonl.deleted.yesterday"));
  assert.ok(!isRetainedArchiveName("a.jsonl"));
});

Deno.test("unreferencedArtifacts(): old unreferenced artifacts oldest first; referenced, excluded and young ones stay", () => {
  const files = [
    file("live.jsonl", 50),
    file("b.trajectory.jsonl", 31),
    file("a.jsonl", 60),
    file("young.jsonl", 29),
    file("excluded.jsonl", 60),
    file("keep.txt", 90),
    file("x.jsonl.reset.2026-01-01T00-00-00.000Z", 90),
    file("sessions.json.11111111-1111-4111-8111-111111111111.tmp", 1),
  ];
  const blobs = [
    { ...file(`${"c".repeat(64)}.txt`, 40), path: `${DIR}/skills-prompts/sha256/cc/${"c".repeat(64)}.txt` },
    { ...file(`${"d".repeat(64)}.txt`, 40), path: `${DIR}/skills-prompts/sha256/dd/${"d".repeat(64)}.txt` },
  ];
  const doomed = unreferencedArtifacts({
    sessionsDir: DIR,
    files,
    blobs,
    entries: [{ sessionId: "live", skillsSnapshot: { promptRef: { hash: "d".repeat(64) } } }],
    olderThanMs: 30 * DAY,
    now: NOW,
    exclude: new Set([`${DIR}/excluded.jsonl`]),
  });
  assert.deepEqual(doomed.map((f) => f.name), [
    "a.jsonl",
    `${"c".repeat(64)}.txt`,
    "b.trajectory.jsonl",
    "sessions.json.11111111-1111-4111-8111-111111111111.tmp",
  ]);
});
