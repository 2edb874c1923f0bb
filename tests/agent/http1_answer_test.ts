// The pool's response reader (src/agent/http1_answer.ts) on seeded answers delivered in reads of
// every size: heads, chunked bodies with extensions and trailers, lengths and closes come out as
// they went in, and malformed framing fails as fetch's body does.
import assert from "node:assert/strict";
import { AnswerBody, type ByteSource, readAnswerHead, ReadWindow } from "../../src/agent/http1_answer.ts";
import { prng } from "../support/prng.ts";

const encoder = new TextEncoder();

/** A source handing out `bytes` in reads of 1 to `most` bytes (seeded), then the end. */
function source(bytes: Uint8Array, random: () => number, most: number): ByteSource {
  let at = 0;
  return {
    read(into) {
      if (at >= bytes.length) return Promise.resolve(null);
      const n = Math.min(into.length, bytes.length - at, 1 + Math.floor(random() * most));
      into.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
  };
}

async function readAll(body: AnswerBody): Promise<Uint8Array> {
  const parts: number[] = [];
  for (let bytes = await body.read(); bytes; bytes = await body.read()) parts.push(...bytes);
  return new Uint8Array(parts);
}

function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

function chunked(body: Uint8Array, random: () => number): Uint8Array {
  const out: number[] = [];
  let at = 0;
  while (at < body.length) {
    const n = Math.min(body.length - at, 1 + Math.floor(random() * 5000));
    const hex = n.toString(16);
    const size = random() < 0.5 ? hex : hex.toUpperCase();
    const extension = ["", ";a=b", " ;x", '\t;name="v;v"'][Math.floor(random() * 4)];
    out.push(...encoder.encode(`${size}${extension}\r\n`), ...body.subarray(at, at + n), 13, 10);
    at += n;
  }
  const trailer = random() < 0.3 ? "x-trailer: 1\r\nx-other: two\r\n" : "";
  out.push(...encoder.encode(`0\r\n${trailer}\r\n`));
  return new Uint8Array(out);
}

Deno.test("answer reader: 600 seeded answers, any read sizes, come out as they went in", async () => {
  const random = prng(1801);
  for (let round = 0; round < 600; round++) {
    const body = randomBytes(random, Math.floor(random() * 40_000));
    const kind = ["chunked", "length", "close"][round % 3]!;
    const framing = kind === "chunked"
      ? "transfer-encoding: chunked\r\n"
      : kind === "length"
      ? `content-length: ${body.length}\r\n`
      : "connection: close\r\n";
    const filler = "x-filler: " + "f".repeat(Math.floor(random() * 3000)) + "\r\n";
    const head = encoder.encode(`HTTP/1.1 200 OK\r\n${filler}${framing}\r\n`);
    const rest = kind === "chunked" ? chunked(body, random) : body;
    const bytes = new Uint8Array([...head, ...rest]);
    const window = new ReadWindow(source(bytes, random, [1, 7, 300, 20_000][round % 4]!));
    const answer = await readAnswerHead(window, "POST");
    assert.equal(answer.status, 200);
    assert.equal(answer.keepAlive, kind !== "close", `round ${round}`);
    const reader = new AnswerBody(window, answer.framing);
    assert.deepStrictEqual(await readAll(reader), body, `round ${round} (${kind})`);
    assert.equal(reader.ended, true);
  }
});

Deno.test("answer reader: malformed or cut chunked framing fails as fetch's body does", async () => {
  const head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
  const bad = [
    "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", // a trailer that is not a field
    "5\r\nhelloXX0\r\n\r\n", // no CRLF after the data
    "5\r\nhello\rX0\r\n\r\n", // a CR alone after the data
    "g\r\n", // not hex
    " 5\r\nhello\r\n0\r\n\r\n", // a blank before the size
    "5x\r\nhello\r\n0\r\n\r\n", // junk after the size
    "1000000000001\r\n", // past 2^48
    "5\nhello\r\n0\r\n\r\n", // a bare LF
    "5\r\nhel", // cut in the data
    "5\r\nhello\r\n", // cut before the last chunk
    "0\r\n", // cut in the trailers
  ];
  for (const [i, rest] of bad.entries()) {
    const window = new ReadWindow(source(encoder.encode(head + rest), prng(i), 3));
    const reader = new AnswerBody(window, (await readAnswerHead(window, "POST")).framing);
    const error = await readAll(reader).then(() => undefined, (e) => e);
    assert.ok(error instanceof TypeError, `case ${i}: ${JSON.stringify(rest)}`);
    assert.equal(error.message, "error reading a body from connection");
  }
  // Bare LFs ending the head and its lines, and a size with leading zeros, as fetch takes them.
  const loose = new ReadWindow(
    source(
      encoder.encode("HTTP/1.1 200 OK\ntransfer-encoding: chunked\n\n0000000000005\r\nhello\r\n0\r\n\r\n"),
      prng(3),
      4,
    ),
  );
  const looseHead = await readAnswerHead(loose, "POST");
  assert.equal(looseHead.headers.get("transfer-encoding"), "chunked");
  assert.deepStrictEqual(await readAll(new AnswerBody(loose, looseHead.framing)), encoder.encode("hello"));
  // A length body cut short fails too; a clean one followed by more bytes is not `ended`.
  const short = new ReadWindow(source(encoder.encode("HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nabc"), prng(1), 2));
  const cut = new AnswerBody(short, (await readAnswerHead(short, "POST")).framing);
  assert.ok(await readAll(cut).then(() => undefined, (e) => e) instanceof TypeError);
  const extra = new ReadWindow(
    source(encoder.encode("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabcdef"), prng(2), 99),
  );
  const trailing = new AnswerBody(extra, (await readAnswerHead(extra, "POST")).framing);
  assert.deepStrictEqual(await readAll(trailing), encoder.encode("abc"));
  assert.equal(trailing.ended, false);
});
