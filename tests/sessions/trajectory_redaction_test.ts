import assert from "node:assert/strict";
import {
  maskToken,
  redactExportValue,
  redactPathString,
  redactTokens,
} from "../../src/sessions/trajectory_redaction.ts";

const places = { workspaceDir: "/w/ws", stateDir: "/h/.openclaw", home: "/h" };

Deno.test("maskToken() hides short secrets and keeps 6 + 4 characters of long ones", () => {
  assert.equal(maskToken("agent:main:main"), "***");
  assert.equal(maskToken("sk-abcdefghijklmnopqrstuvwxyz"), "sk-abc…wxyz");
});

Deno.test("redactPathString() names the workspace, the state dir and the home", () => {
  assert.equal(redactPathString("/w/ws/notes.txt", places), "$WORKSPACE_DIR/notes.txt");
  assert.equal(redactPathString("/w/wsx", places), "/w/wsx");
  assert.equal(redactPathString("/h/.openclaw/agents/main", places), "$OPENCLAW_STATE_DIR/agents/main");
  assert.equal(redactPathString("/h/notes", places), "~/notes");
  assert.equal(redactPathString("plain words", places), "plain words");
});

Deno.test("redactTokens() masks known token shapes wherever they appear", () => {
  assert.equal(redactTokens("key sk-abcdefghijklmnopqrstuvwxyz here"), "key sk-abc…wxyz here");
  assert.equal(redactTokens("nothing secret"), "nothing secret");
});

Deno.test("redactTokens() masks each vendor's token shape as the reference's redactSecrets does", async () => {
  // Recorded by tools/record_reference_token_redaction.ts from the reference's own redaction.
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/trajectory/reference_token_redaction.json", import.meta.url)),
  ) as { input: string; redacted: string }[];
  assert.ok(recorded.length >= 20);
  for (const { input, redacted } of recorded) assert.equal(redactTokens(input), redacted, input);
});

Deno.test("redactExportValue() masks values under secret-named keys (the session key too)", () => {
  assert.deepEqual(redactExportValue({ sourceFiles: { session: "agent:main:main" }, key: 5, name: "x" }, places), {
    sourceFiles: { session: "***" },
    key: "***",
    name: "x",
  });
});

Deno.test("redactExportValue() redacts object keys like values and keeps them unique", () => {
  assert.deepEqual(redactExportValue({ "/w/ws/a": 1, "$WORKSPACE_DIR/a": 2 }, places), {
    "$WORKSPACE_DIR/a": 1,
    "$WORKSPACE_DIR/a#2": 2,
  });
});
