import assert from "node:assert/strict";
import { sessionRunError } from "../../src/sessions/run_error_text.ts";

const TIMEOUT =
  "Request timed out before a response was generated. Please try again, or increase `agents.defaults.timeoutSeconds` in your config.";

/** The reference's lastRunError of its timed-out and failed runs (tools/record_reference_ui_live.ts). */
const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/reference_ui_live/ref.json", import.meta.url)),
) as { runs: Record<string, { row: { status: string; lastRunError: string | null } }> };

Deno.test("sessionRunError() keeps a timeout's or failure's text whole up to 160 characters, as the reference's row", () => {
  assert.equal(sessionRunError(TIMEOUT, "timeout"), RECORDED.runs.timeout!.row.lastRunError);
  const failed = RECORDED.runs.failed!.row;
  assert.equal(sessionRunError(failed.lastRunError!, failed.status), failed.lastRunError);
  assert.equal(sessionRunError("  two\n  lines\t here ", "failed"), "two lines here");
});

Deno.test("sessionRunError() gives nothing for a killed or finished run, or an empty text", () => {
  assert.equal(RECORDED.runs.killed!.row.lastRunError, null);
  assert.equal(sessionRunError("aborted", "killed"), undefined);
  assert.equal(sessionRunError("x", "done"), undefined);
  assert.equal(sessionRunError("  \n", "failed"), undefined);
  assert.equal(sessionRunError(undefined, "timeout"), undefined);
});

Deno.test("sessionRunError() keeps a long text's first 51 and last 104 characters around ' ... '", () => {
  const long = "a".repeat(100) + " middle " + "z".repeat(100);
  const short = sessionRunError(long, "failed")!;
  assert.equal(short, `${"a".repeat(51)} ... ${("middle " + "z".repeat(100)).slice(-104).trimStart()}`);
  // A surrogate pair at a cut is not halved.
  const emoji = "😀".repeat(100);
  const cut = sessionRunError(emoji, "failed")!;
  assert.equal(cut.isWellFormed(), true);
});

Deno.test("sessionRunError() masks a credential in the text", () => {
  const masked = sessionRunError(
    "upstream said: Authorization: Bearer sk-abcdefghijklmnopqrstuvwxyz0123456789",
    "failed",
  )!;
  assert.equal(masked.includes("sk-abcdefghijklmnopqrstuvwxyz0123456789"), false);
});
