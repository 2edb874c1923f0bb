import assert from "node:assert/strict";
import { mentions, parseLine, sanitize, splitBytes, stripAddress } from "../../../src/channels/irc/protocol.ts";

Deno.test("irc protocol: parses prefixes, params, trailing text, tags and CR LF", () => {
  assert.deepEqual(parseLine(":alice!~a@host PRIVMSG #room :hello there\r"), {
    prefix: "alice!~a@host",
    command: "PRIVMSG",
    params: ["#room", "hello there"],
  });
  assert.deepEqual(parseLine("PING :irc.example"), { prefix: "", command: "PING", params: ["irc.example"] });
  assert.deepEqual(parseLine("@time=x :srv 001 bot :Welcome"), {
    prefix: "srv",
    command: "001",
    params: ["bot", "Welcome"],
  });
  assert.equal(parseLine(""), undefined);
  assert.equal(parseLine(":prefixonly"), undefined);
});

Deno.test("irc protocol: no injected commands, byte-safe splitting, mentions", () => {
  assert.equal(sanitize("hi\r\nQUIT :bye"), "hi  QUIT :bye");
  const pieces = splitBytes("é".repeat(300), 101);
  assert.ok(pieces.every((p) => new TextEncoder().encode(p).length <= 101));
  assert.equal(pieces.join(""), "é".repeat(300));
  assert.deepEqual(splitBytes("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
  assert.ok(mentions("ocbot: hi", "ocbot"));
  assert.ok(mentions("hey @OCBot, you there?", "ocbot"));
  assert.ok(!mentions("ocbotty is not me", "ocbot"));
  assert.equal(stripAddress("ocbot, what's up", "ocbot"), "what's up");
  assert.equal(stripAddress("tell ocbot hi", "ocbot"), "tell ocbot hi");
});
