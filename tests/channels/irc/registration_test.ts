import assert from "node:assert/strict";
import { privmsgLines } from "../../../src/channels/irc/privmsg.ts";
import { parseLine } from "../../../src/channels/irc/protocol.ts";
import {
  capabilityStep,
  nickservLines,
  registrationLines,
  saslPlainLine,
} from "../../../src/channels/irc/registration.ts";
import { ircSettings } from "../../../src/channels/irc/settings.ts";

const settings = (extra: Record<string, unknown>) =>
  ircSettings({ accountId: "default", settings: { host: "irc.example", nick: "ocbot", ...extra } }, {});

Deno.test("irc registration: CAP LS only with SASL, PASS only with a password, then NICK and USER", () => {
  assert.deepEqual(registrationLines(settings({}), "ocbot"), ["NICK ocbot", "USER ocbot 0 * :OpenClaw"]);
  assert.deepEqual(
    registrationLines(settings({ password: "pw\r\nQUIT", sasl: { password: "s" }, realname: "Bot" }), "ocbot_"),
    ["CAP LS 302", "PASS pw  QUIT", "NICK ocbot_", "USER ocbot 0 * :Bot"],
  );
  assert.equal(saslPlainLine({ username: "u", password: "p" }), `AUTHENTICATE ${btoa("u\0u\0p")}`);
});

Deno.test("irc registration: CAP negotiation waits for the last LS line and fails without SASL", () => {
  const cap = (text: string) => capabilityStep(parseLine(text)!);
  assert.deepEqual(cap(":srv CAP * LS * :multi-prefix"), {});
  assert.deepEqual(cap(":srv CAP * LS :multi-prefix sasl=PLAIN"), { send: "CAP REQ :sasl" });
  assert.deepEqual(cap(":srv CAP * LS :multi-prefix"), {
    send: "CAP END",
    fail: "the server does not offer SASL, which channels.irc.sasl requires",
  });
  assert.deepEqual(cap(":srv CAP * ACK :sasl"), { send: "AUTHENTICATE PLAIN" });
  assert.deepEqual(cap(":srv CAP * NAK :sasl"), { fail: "the server refused the SASL capability" });
});

Deno.test("irc registration: NickServ REGISTER only when asked, then IDENTIFY", () => {
  assert.deepEqual(nickservLines(settings({}).nickserv), []);
  assert.deepEqual(nickservLines(settings({ nickserv: { password: "np" } }).nickserv), [
    "PRIVMSG NickServ :IDENTIFY np",
  ]);
  assert.deepEqual(
    nickservLines(
      settings({ nickserv: { password: "np", service: "NS", register: true, registerEmail: "a@b" } }).nickserv,
    ),
    ["PRIVMSG NS :REGISTER np a@b", "PRIVMSG NS :IDENTIFY np"],
  );
});

Deno.test("irc privmsg: one line per text line, fences dropped, bad targets refused", () => {
  assert.deepEqual(privmsgLines("#room", "one\n```ts\ntwo\n```\n\n"), ["PRIVMSG #room :one", "PRIVMSG #room :two"]);
  assert.throws(() => privmsgLines("a b", "hi"), /is not an IRC nick or channel/);
  assert.throws(() => privmsgLines("x".repeat(201), "hi"), /at most 200 bytes/);
  assert.throws(() => privmsgLines("#room", "```\n```"), /empty once formatted/);
});
