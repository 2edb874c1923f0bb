import assert from "node:assert/strict";
import { checkedSlackUrl } from "../../../src/channels/slack/files.ts";

const API = "https://slack.com/api/";

Deno.test("slack files: the bot token goes only to Slack's hosts over https, or the API's own origin", () => {
  for (
    const ok of [
      "https://files.slack.com/files-pri/T1-F1/a.png",
      "https://x.slack-edge.com/a",
      "https://slack-files.com/a",
    ]
  ) {
    assert.equal(checkedSlackUrl(ok, API).href, ok);
  }
  assert.equal(checkedSlackUrl("http://127.0.0.1:9/files-pri/F1/a", "http://127.0.0.1:9/api/").hostname, "127.0.0.1");
  assert.throws(
    () => checkedSlackUrl("https://evil.example/slack.com", API),
    /^ChannelError: Refusing to send Slack token to non-Slack host "evil.example"/,
  );
  assert.throws(() => checkedSlackUrl("https://notslack.com/a", API), /non-Slack host "notslack.com"/);
  assert.throws(() => checkedSlackUrl("http://files.slack.com/a", API), /non-HTTPS protocol: http:/);
  assert.throws(() => checkedSlackUrl("not a url", API), /Invalid Slack file URL/);
});
