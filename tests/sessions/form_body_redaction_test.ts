import assert from "node:assert/strict";
import { redactFormBodies, redactQuerySecrets } from "../../src/sessions/form_body_redaction.ts";

Deno.test("redactQuerySecrets() masks a URL query's secret parameters as tokens", () => {
  assert.equal(redactQuerySecrets("GET /cb?code=abc&state=xyz"), "GET /cb?code=***&state=xyz");
  assert.equal(
    redactQuerySecrets("https://h/?x_api_key=abcdefghijklmnopqrstuvwxyz#top"),
    "https://h/?x_api_key=abcdef…wxyz#top",
  );
  assert.equal(redactQuerySecrets("https://h/?page=2&sort=asc"), "https://h/?page=2&sort=asc");
});

Deno.test("redactFormBodies() masks secret pairs of a whole body, a body inside text and a named body", () => {
  assert.equal(redactFormBodies("grant_type=x&client_secret=abc&scope=y"), "grant_type=x&client_secret=***&scope=y");
  assert.equal(redactFormBodies("sent (a=1&password=p4ss) ok"), "sent (a=1&password=***) ok");
  assert.equal(redactFormBodies("body: token=abc"), "body: token=***");
  assert.equal(redactFormBodies("q=1&page=2"), "q=1&page=2");
});

Deno.test("redactFormBodies() decodes keys hidden behind escapes or invisible characters, line by line", () => {
  assert.equal(redactFormBodies("cli%65nt_secret=abc&x=1"), "cli%65nt_secret=***&x=1");
  assert.equal(redactFormBodies("pass\u200bword=abc&x=1"), "pass\u200bword=***&x=1");
  assert.equal(redactFormBodies("a=1\r\ntoken=abc&b=2\nc"), "a=1\r\ntoken=***&b=2\nc");
});
