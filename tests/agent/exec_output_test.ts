import assert from "node:assert/strict";
import {
  compactDuration,
  exitOutcome,
  NO_OUTPUT,
  sessionName,
  sliceLogLines,
  TIMEOUT_RETRY_GUIDANCE,
} from "../../src/agent/exec_output.ts";

const facts = { aggregated: "out", durationMs: 5, timeoutSec: 30, background: false };

Deno.test("exitOutcome() completes a normal exit and notes a non-zero code after the output", () => {
  const ok = exitOutcome({ reason: "exit", exitCode: 0, exitSignal: null }, facts);
  assert.equal(ok.status, "completed");
  assert.equal(ok.aggregated, "out");
  const three = exitOutcome({ reason: "exit", exitCode: 3, exitSignal: null }, { ...facts, aggregated: "" });
  assert.equal(three.status, "completed");
  assert.equal(three.aggregated, `${NO_OUTPUT}\n\n(Command exited with code 3)`);
});

Deno.test("exitOutcome() fails shell failures, timeouts and signals with the reference's reasons", () => {
  const rows: [Parameters<typeof exitOutcome>[0], string, string][] = [
    [{ reason: "exit", exitCode: 127, exitSignal: null }, "shell-command-not-found", "out\n\nCommand not found"],
    [
      { reason: "exit", exitCode: 126, exitSignal: null },
      "shell-not-executable",
      "out\n\nCommand not executable (permission denied)",
    ],
    [{ reason: "signal", exitCode: null, exitSignal: "SIGTERM" }, "signal", "out\n\nCommand aborted by signal SIGTERM"],
    [
      { reason: "overall-timeout", exitCode: null, exitSignal: "SIGKILL" },
      "overall-timeout",
      `out\n\nCommand timed out after 30 seconds.\n\n${TIMEOUT_RETRY_GUIDANCE}`,
    ],
  ];
  for (const [exit, kind, reason] of rows) {
    const outcome = exitOutcome(exit, facts);
    assert.equal(outcome.status, "failed");
    assert.equal(outcome.failureKind, kind);
    assert.equal(outcome.reason, reason);
  }
  assert.equal(exitOutcome({ reason: "overall-timeout", exitCode: null, exitSignal: "SIGKILL" }, facts).timedOut, true);
});

Deno.test("compactDuration() prints at most two units, skipping zero ones", () => {
  assert.equal(compactDuration(0), undefined);
  assert.equal(compactDuration(500), "500ms");
  assert.equal(compactDuration(45_000), "45s");
  assert.equal(compactDuration(125_000), "2m5s");
  assert.equal(compactDuration(3_605_000), "1h5s");
  assert.equal(compactDuration(5_400_000), "1h30m");
});

Deno.test("sessionName() is the verb and its first non-flag argument", () => {
  assert.equal(sessionName("npm run build"), "npm run");
  assert.equal(sessionName("ls -la /tmp"), "ls /tmp");
  assert.equal(sessionName("  "), undefined);
  assert.equal(sessionName(`echo "a b"`), "echo a b");
});

Deno.test("sliceLogLines() pages by line: offset, limit, or the last limit lines", () => {
  const text = "a\nb\nc\nd\n";
  assert.deepEqual(sliceLogLines(text, undefined, 2), { slice: "c\nd", totalLines: 4, totalChars: 8 });
  assert.deepEqual(sliceLogLines(text, 1, 2).slice, "b\nc");
  assert.deepEqual(sliceLogLines(text, 2, undefined).slice, "c\nd");
  assert.deepEqual(sliceLogLines("", 0, 1), { slice: "", totalLines: 0, totalChars: 0 });
});
