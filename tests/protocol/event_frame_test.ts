// Differential fuzz of the shared event frame (event_frame.ts + splicedTextFrame) against the frame
// each client got before broadcasts were shared: JSON.stringify of the whole frame, then textFrame.
import assert from "node:assert/strict";
import { sharedEventFrame } from "../../src/protocol/event_frame.ts";
import { splicedTextFrame, textFrame } from "../../src/server/ws_frames.ts";
import { prng } from "../support/prng.ts";

const ALPHABET = [
  "a",
  "Z",
  "0",
  " ",
  '"',
  "\\",
  "/",
  "\n",
  "\u0000",
  "\u001f",
  "é",
  "✓",
  "😀",
  "\u2028",
  "\u2029",
  "\ud800",
  "\udfff",
];

function randomText(random: () => number, maxLength: number): string {
  let text = "";
  const length = Math.floor(random() * maxLength);
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

function randomValue(random: () => number, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 2 ? 5 : 7));
  switch (kind) {
    case 0:
      return randomText(random, 20);
    case 1:
      return Math.floor(random() * 2 ** 53) * (random() < 0.5 ? -1 : 1);
    case 2:
      return random() * 1e6;
    case 3:
      return random() < 0.5;
    case 4:
      return null;
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, () => [randomText(random, 8), randomValue(random, depth + 1)]),
      );
  }
}

/** Seqs around every header-size and digit-count boundary, plus random ones. */
function randomSeq(random: () => number): number {
  // Every digit-count boundary (9 | 10 … 10^15 - 1 | 10^15), where a seq's text grows by one byte.
  const powers = Array.from({ length: 15 }, (_, k) => 10 ** (k + 1)).flatMap((p) => [p - 1, p]);
  const edges = [1, ...powers, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER];
  return random() < 0.5 ? edges[Math.floor(random() * edges.length)]! : 1 + Math.floor(random() * 1e9);
}

Deno.test("a spliced event frame is byte for byte the frame JSON.stringify and textFrame gave (10,000 fuzzed rounds)", () => {
  const random = prng(23);
  for (let round = 0; round < 10_000; round++) {
    const event = randomText(random, 12) || "tick";
    // Some payloads are padded to land near the 125/126 and 65,535/65,536 header boundaries.
    const pad = random() < 0.1
      ? "x".repeat(random() < 0.5 ? 60 + Math.floor(random() * 80) : 65_440 + Math.floor(random() * 120))
      : "";
    const payload = { value: randomValue(random, 0), pad };
    const stateVersion = random() < 0.4
      ? { presence: Math.floor(random() * 1e6), health: Math.floor(random() * 1e6) }
      : undefined;
    const seq = randomSeq(random);
    const frame: Record<string, unknown> = { type: "event", event, payload, seq };
    if (stateVersion !== undefined) frame.stateVersion = stateVersion;
    const expected = textFrame(JSON.stringify(frame));
    const shared = sharedEventFrame(event, JSON.stringify(payload), stateVersion);
    const got = splicedTextFrame(shared.headBytes, seq, shared.tailBytes);
    assert.deepEqual(got, expected, `round ${round}`);
    assert.equal(shared.head + seq + shared.tail, JSON.stringify(frame), `round ${round} (text)`);
  }
});
