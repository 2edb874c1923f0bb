import assert from "node:assert/strict";
import { signatureProblem, slackSignature } from "../../../src/channels/slack/signature.ts";

// Slack's documented example: secret, timestamp, body and the signature Slack computed for them.
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TS = "1531420618";
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

const headers = (timestamp: string, signature: string) =>
  new Headers({ "x-slack-request-timestamp": timestamp, "x-slack-signature": signature });

Deno.test("slack signature: v0 HMAC-SHA256 of v0:<ts>:<body> matches Slack's documented example", async () => {
  assert.equal(await slackSignature(SECRET, TS, BODY), EXPECTED);
  assert.equal(await signatureProblem(SECRET, headers(TS, EXPECTED), BODY, Number(TS) * 1000 + 1000), undefined);
});

Deno.test("slack signature: stale, future, malformed, unknown-version and mismatched requests are refused", async () => {
  const now = Number(TS) * 1000;
  const cases: [Headers, string, number, RegExp][] = [
    [headers(TS, EXPECTED), BODY, now + 301_000, /request is stale/],
    [headers(TS, EXPECTED), BODY, now - 301_000, /request is stale/],
    [headers("", EXPECTED), BODY, now, /did not have the expected type \(missing\)/],
    [headers("12ab", EXPECTED), BODY, now, /did not have the expected type/],
    [headers(TS, EXPECTED.replace("v0=", "v1=")), BODY, now, /unknown signature version/],
    [headers(TS, EXPECTED.slice(0, -1) + "0"), BODY, now, /signature mismatch/],
    [headers(TS, EXPECTED), BODY + "&x=1", now, /signature mismatch/],
    [headers(TS, "v0="), BODY, now, /signature mismatch/],
  ];
  for (const [h, body, at, problem] of cases) {
    assert.match((await signatureProblem(SECRET, h, body, at)) ?? "accepted", problem);
  }
  // Within the window either way is fine.
  assert.equal(await signatureProblem(SECRET, headers(TS, EXPECTED), BODY, now - 299_000), undefined);
});
