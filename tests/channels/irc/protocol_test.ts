import assert from "node:assert/strict";
import { mentions, parseLine, sanitize, splitBytes, stripAddress } from "../../../src/channels/irc/protocol.ts";
import { prng } from "../../support/prng.ts";

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

// What a hostile server or a careless caller can hand these helpers: IRC syntax characters, line
// breaks, NULs, multi-byte and astral characters, and lone surrogate halves.
const ALPHABET = [
  "a",
  "Z",
  "0",
  " ",
  " ",
  ":",
  "@",
  "!",
  "#",
  ",",
  "\r",
  "\n",
  "\0",
  "é",
  "漢",
  "😀",
  "\ud800",
  "\udc00",
];

Deno.test("irc protocol: seeded fuzz: no helper throws or hangs; sanitize and splitBytes keep their promises", () => {
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? 20261125);
  const rand = prng(seed);
  const encoder = new TextEncoder();
  for (let round = 0; round < 3000; round++) {
    const length = Math.floor(rand() * 300);
    const text = Array.from({ length }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join("");
    const context = `seed ${seed}, round ${round}: ${JSON.stringify(text)}`;
    const line = parseLine(text);
    if (line) assert.ok(line.command.length > 0, context);
    const clean = sanitize(text);
    assert.ok(!/[\r\n\0]/.test(clean), context);
    // Budgets down to zero, where no character fits: every piece must still make progress.
    const budget = Math.floor(rand() * 40);
    const pieces = splitBytes(clean, budget);
    for (const piece of pieces) {
      // Checked before the message is built: building it for each of ~10^5 pieces was most of this test's time.
      if (piece.length > 0) continue;
      assert.fail(`${context}: an empty piece`);
    }
    for (const piece of pieces) {
      const size = encoder.encode(piece).length;
      if (size <= budget || [...piece].length === 1) continue;
      assert.fail(`${context}: piece of ${size} bytes over ${budget}`);
    }
    assert.equal(pieces.join("").replace(/ /g, ""), clean.replace(/ /g, ""), context);
    mentions(text, "oc[bot]");
    stripAddress(text, "oc.bot*");
  }
});
