import assert from "node:assert/strict";
import { redactExportValue, redactPathString } from "../../src/sessions/trajectory_redaction.ts";
import { redactTokens } from "../../src/sessions/secret_text_redaction.ts";

const places = { workspaceDir: "/w/ws", stateDir: "/h/.openclaw", home: "/h" };

Deno.test("redactPathString() names the workspace, the state dir and the home", () => {
  assert.equal(redactPathString("/w/ws/notes.txt", places), "$WORKSPACE_DIR/notes.txt");
  assert.equal(redactPathString("/w/wsx", places), "/w/wsx");
  assert.equal(redactPathString("/h/.openclaw/agents/main", places), "$OPENCLAW_STATE_DIR/agents/main");
  assert.equal(redactPathString("/h/notes", places), "~/notes");
  assert.equal(redactPathString("plain words", places), "plain words");
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

Deno.test("redactTokens() applies the reference's context rules, near-misses left alone", async () => {
  // Recorded by tools/record_reference_token_redaction.ts from the reference's own redaction: assignments,
  // quoted fields, HTTP auth headers, form bodies, config lines, PEM blocks; objects are redacted field by field.
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/trajectory/reference_context_redaction.json", import.meta.url)),
  ) as { rule: string; input: unknown; redacted: unknown }[];
  assert.ok(recorded.length >= 80);
  const mismatches = recorded.flatMap(({ rule, input, redacted }) => {
    const ours = typeof input === "string" ? redactTokens(input) : redactExportValue(input, places);
    return JSON.stringify(ours) === JSON.stringify(redacted) ? [] : [{ rule, input, ours, reference: redacted }];
  });
  assert.deepEqual(mismatches, []);
});
