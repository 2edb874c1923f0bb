import assert from "node:assert/strict";
import { slackSettings } from "../../../src/channels/slack/settings.ts";
import { RawConfigSchema as ConfigSchema } from "../../../src/config/schema.ts";

const entry = (accountId: string, settings: Record<string, unknown>) => ({ accountId, settings });

Deno.test("slack settings: env tokens fill only the default account; defaults as the reference's", () => {
  const env = { SLACK_BOT_TOKEN: "xoxb-env", SLACK_APP_TOKEN: "xapp-env" };
  const s = slackSettings(entry("default", {}), env);
  assert.equal(s.botToken, "xoxb-env");
  assert.equal(s.appToken, "xapp-env");
  assert.equal(s.mode, "socket");
  assert.equal(s.webhookPath, "/slack/events");
  assert.equal(s.apiUrl, "https://slack.com/api/");
  assert.equal(s.textChunkLimit, 4000);
  assert.deepEqual(s.replyToMode, { direct: "off", group: "off", channel: "off" });
  assert.equal(s.mediaMaxBytes, 20 * 1024 * 1024);
  assert.throws(
    () => slackSettings(entry("work", {}), env),
    /^ChannelError: Slack bot \+ app tokens missing for account "work" \(set channels\.slack\.accounts\.work\.botToken\/appToken or SLACK_BOT_TOKEN\/SLACK_APP_TOKEN for default\)\.$/,
  );
});

Deno.test("slack settings: HTTP mode needs the signing secret; relay is refused; SLACK_API_URL only https or loopback", () => {
  assert.throws(
    () => slackSettings(entry("default", { mode: "http", botToken: "xoxb" }), {}),
    /Slack signing secret missing for account "default"/,
  );
  const http = slackSettings(
    entry("default", { mode: "http", botToken: "xoxb", signingSecret: "s", webhookPath: "hooks/slack" }),
    {},
  );
  assert.equal(http.webhookPath, "/hooks/slack");
  assert.equal(http.appToken, undefined);
  assert.throws(() => slackSettings(entry("default", { mode: "relay", botToken: "xoxb" }), {}), /mode "relay"/);
  const local = slackSettings(entry("default", { botToken: "b", appToken: "a" }), {
    SLACK_API_URL: "http://127.0.0.1:9/api",
  });
  assert.equal(local.apiUrl, "http://127.0.0.1:9/api/");
  assert.throws(
    () =>
      slackSettings(entry("default", { botToken: "b", appToken: "a" }), { SLACK_API_URL: "http://example.com/api/" }),
    /must use https/,
  );
  const threads = slackSettings(
    entry("default", { botToken: "b", appToken: "a", replyToMode: "all", replyToModeByChatType: { direct: "off" } }),
    {},
  );
  assert.deepEqual(threads.replyToMode, { direct: "off", group: "all", channel: "all" });
});

Deno.test("slack config: mode http without a signing secret is refused with the reference's words", () => {
  const result = ConfigSchema.safeParse({ channels: { slack: { mode: "http", botToken: "xoxb" } } });
  assert.equal(result.success, false);
  assert.match(
    JSON.stringify(result.error?.issues),
    /channels\.slack\.mode=\\"http\\" requires channels\.slack\.signingSecret/,
  );
  const named = ConfigSchema.safeParse({
    channels: { slack: { botToken: "xoxb", accounts: { work: { mode: "http" } } } },
  });
  assert.equal(named.success, false);
  assert.ok(
    ConfigSchema.safeParse({ channels: { slack: { mode: "http", botToken: "x", signingSecret: "s" } } }).success,
  );
});
