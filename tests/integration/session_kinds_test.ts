import assert from "node:assert/strict";
import { runSessionKindsScenario, type SessionKindsRecording } from "../support/session_kinds_scenario.ts";

Deno.test("session kinds: our rows say what kind each session is and where it talks as the reference's (tests/fixtures/session_kinds/reference_session_kinds.json)", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/session_kinds/reference_session_kinds.json", import.meta.url)),
  ) as SessionKindsRecording;
  const root = await Deno.makeTempDir({ prefix: "oc-kinds-" });
  try {
    const ours = await runSessionKindsScenario("ours", root);
    // Row for row: kind, classification, isMain, isBackground, peerKind, chatType and the route with the reference's
    // `telegram:` prefix. Not compared (docs/compatibility.md): the reference's sender/group labels (`origin`,
    // `displayName`, `subject`), which our rows do not carry.
    const kinds = (r: SessionKindsRecording) => r.sessions.map(({ others: _others, ...row }) => row);
    assert.deepEqual(kinds(ours), kinds(fixture));
    assert.deepEqual(ours.sessions.map((row) => row.others), fixture.sessions.map(() => []));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
