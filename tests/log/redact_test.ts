// The log redaction's patterns (src/log/redact.ts). Key-name and URL patterns start their scan at the key name and
// at "://" rather than at the start of each word (a third of a log line's cost); what they mask must not change:
// the word-start versions are kept here as the oracle and both run over random mixes of the rules' fragments.
import assert from "node:assert/strict";
import type { RedactionPattern } from "@logtape/redaction";
import { credentialKeyNames } from "../../src/config/sensitive.ts";
import { redactionPatterns, redactText } from "../../src/log/redact.ts";

const INPUT = { secrets: ["tok-0123456789abcdef0123", "hunter2hunter2"], credentialKeys: credentialKeyNames() };

/** The patterns as they were, each scanning from a word's start: the same list with those four swapped back. */
function wordStartPatterns(): RedactionPattern[] {
  const names = [...new Set(INPUT.credentialKeys)].sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const oracle = [
    new RegExp(`(\\\\?["']?[A-Za-z0-9_-]*(?:${names})\\\\?["']?\\s*[:=]\\s*\\\\?["'])([^"'\\\\]{1,512})`, "gi"),
    new RegExp(`(\\b[A-Za-z0-9_-]*(?:${names})=)([^\\s&"'\\\\]{1,512})`, "gi"),
    /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)([^@\s/]{1,256})(?=@)/gi,
  ];
  const current = redactionPatterns(INPUT);
  const keyed = current.findIndex((p) => p.pattern.source.includes("(?:" + names.slice(0, 10)));
  const url = current.findIndex((p) => p.pattern.source.includes(":\\/\\/"));
  return current.map((p, i) =>
    i === keyed
      ? { ...p, pattern: oracle[0]! }
      : i === keyed + 1
      ? { ...p, pattern: oracle[1]! }
      : i === url
      ? { ...p, pattern: oracle[2]! }
      : p
  );
}

Deno.test("redaction masks a key's value and keeps the key's whole word, quoted, escaped or in a query", () => {
  const patterns = redactionPatterns(INPUT);
  assert.equal(redactText(`x_botToken: "abcdefgh12345"`, patterns), `x_botToken: "***"`);
  assert.equal(
    redactText(`{\\"apiKey\\":\\"sk-live-abcdefghijklmnop\\"}`, patterns),
    `{\\"apiKey\\":\\"sk-liv…mnop\\"}`,
  );
  assert.equal(redactText("GET /x?a=1&access_token=abc123&b=2", patterns), "GET /x?a=1&access_token=***&b=2");
  assert.equal(redactText("see https://user:pa55word@example.com/x", patterns), "see https://user:***@example.com/x");
  // A URL without a password keeps its `@`, and a scheme needs a word start before it.
  assert.equal(
    redactText("https://example.com/a@b and xhttps://u:p@h", patterns),
    "https://example.com/a@b and xhttps://u:***@h",
  );
});

Deno.test("redaction from the key name masks exactly what the word-start patterns masked, over 30,000 random mixes", () => {
  const now = redactionPatterns(INPUT);
  const before = wordStartPatterns();
  assert.notDeepEqual(now.map((p) => p.pattern.source), before.map((p) => p.pattern.source));
  const fragments = [
    "token",
    "Token",
    "apiKey",
    "x_api_key",
    "botToken",
    "password",
    "secret",
    "authorization",
    "=",
    ":",
    " ",
    '"',
    "'",
    '\\"',
    "\\",
    "-",
    "_",
    "abc",
    "ABC",
    "API_KEY",
    "MY_TOKEN",
    "https://",
    "user",
    ":pw",
    "@",
    "host",
    "/",
    "&",
    "Bearer ",
    "--token ",
    "sk-",
    "0123456789abcdef0123",
    "…",
    "***",
    "tok-0123456789abcdef0123",
    "\n",
    "ghp_",
    "é",
    "{",
    "}",
    ",",
    "signingSecret",
    "private_key",
    "sessionKey",
    "x".repeat(300),
  ];
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 30_000; i++) {
    let text = "";
    for (let j = 1 + next(14); j > 0; j--) text += fragments[next(fragments.length)];
    assert.equal(redactText(text, now), redactText(text, before), JSON.stringify(text));
  }
});
