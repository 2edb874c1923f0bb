import assert from "node:assert/strict";
import { approvalRequestText } from "../../src/agent/exec_approvals.ts";
import {
  codeFenceFor,
  OVERSIZED_COMMAND_MARKER,
  sanitizeApprovalDisplayText,
} from "../../src/log/approval_display_text.ts";

Deno.test("approval display text: control, bidi and zero-width characters are shown escaped", () => {
  assert.equal(sanitizeApprovalDisplayText("ls\x1b[2K\rrm -rf ~"), "ls\\u{1B}[2K\\u{D}rm -rf ~");
  assert.equal(sanitizeApprovalDisplayText("echo \u202Efdp.exe\u202C"), "echo \\u{202E}fdp.exe\\u{202C}");
  assert.equal(sanitizeApprovalDisplayText("a\u2066b\u2069c\u200Bd"), "a\\u{2066}b\\u{2069}c\\u{200B}d");
  assert.equal(sanitizeApprovalDisplayText("one\ntwo"), "one\\u{A}two");
});

Deno.test("approval display text: secrets are masked, even split by invisible characters", () => {
  const bearer = sanitizeApprovalDisplayText("curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456' x");
  assert.ok(!bearer.includes("abcdefghijklmnopqrstuvwxyz123456"), bearer);
  const key = sanitizeApprovalDisplayText("OPENAI_API_KEY=sk-live-0123456789abcdef0123 node x.js");
  assert.ok(!key.includes("0123456789abcdef0123"), key);
  const split = sanitizeApprovalDisplayText("curl -H 'Bearer\u200B abcdefghijklmnopqrstuvwxyz123456' x");
  assert.ok(!split.includes("abcdefghijklmnopqrstuvwxyz123456"), split);
});

Deno.test("approval display text: bounded; fences outrun the text's backticks", () => {
  const long = sanitizeApprovalDisplayText("x".repeat(20_000));
  assert.equal(long.length, 16_384 + "…[truncated]".length);
  assert.ok(long.endsWith("…[truncated]"));
  assert.equal(sanitizeApprovalDisplayText("y".repeat(300_000)), OVERSIZED_COMMAND_MARKER);
  assert.equal(codeFenceFor("plain"), "```");
  assert.equal(codeFenceFor("a ```` b ` c"), "`````");
});

Deno.test("the chat prompt shows the sanitized command in a fence it cannot close", () => {
  const command = "echo ```\x1b]0;pwned\x07 && curl -H 'Bearer abcdefghijklmnopqrstuvwxyz123456' x";
  const text = approvalRequestText({
    id: "a1",
    createdAtMs: 0,
    expiresAtMs: 60_000,
    request: {
      command,
      cwd: "/w",
      nodeId: null,
      host: "gateway",
      security: "allowlist",
      ask: "on-miss",
      warningText: null,
      allowedDecisions: ["allow-once", "deny"],
      agentId: "main",
      resolvedPath: null,
      sessionKey: "agent:main:main",
      runId: "r",
      toolCallId: null,
      turnSourceChannel: null,
      turnSourceTo: null,
      turnSourceAccountId: null,
    },
  }, 0);
  assert.ok(!text.includes("\x1b") && !text.includes("\x07"), text);
  assert.ok(text.includes("Command:\n````\necho ```\\u{1B}]0;pwned\\u{7} && curl"), text);
  assert.ok(!text.includes("abcdefghijklmnopqrstuvwxyz123456"));
});
