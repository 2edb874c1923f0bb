import assert from "node:assert/strict";
import { writeResponse } from "../../src/server/http1_write.ts";

const decoder = new TextDecoder("latin1");
const encoder = new TextEncoder();

/** A connection that records each write as text; every write is taken whole. */
function recordingConn(): { conn: Deno.Conn; writes: string[] } {
  const writes: string[] = [];
  const conn = {
    write(bytes: Uint8Array) {
      writes.push(decoder.decode(bytes));
      return Promise.resolve(bytes.length);
    },
  };
  // deno-lint-ignore no-explicit-any -- a test double with the one method writeResponse uses.
  return { conn: conn as any as Deno.Conn, writes };
}

/** A streamed body: `pieces[0]` at once, each later one a timer turn after the previous, then the end. */
function streamed(pieces: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 1));
        controller.enqueue(encoder.encode(piece));
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.close();
    },
  });
}

const HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ndate: D\r\n";

Deno.test("writeResponse: a streamed body's head and first piece go out in one write, the bytes unchanged", async () => {
  const { conn, writes } = recordingConn();
  const response = new Response(streamed(["data: a\n\n", "data: bb\n\n"]), {
    headers: { "content-type": "text/event-stream" },
  });
  const close = await writeResponse(
    conn,
    { method: "POST", version: "1.1" },
    response,
    false,
    new AbortController().signal,
    {},
    "D",
  );
  assert.equal(close, false);
  assert.deepEqual(writes, [
    `${HEAD}transfer-encoding: chunked\r\n\r\n9\r\ndata: a\n\n\r\n`,
    "a\r\ndata: bb\n\n\r\n",
    "0\r\n\r\n",
  ]);
});

Deno.test("writeResponse: a last piece with the body's end queued behind it goes out with the chunked end, in one write", async () => {
  const { conn, writes } = recordingConn();
  // An answer's end: its last events and the close in one turn, a timer turn after the opening piece.
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode("data: a\n\n"));
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
    },
  });
  const response = new Response(body, { headers: { "content-type": "text/event-stream" } });
  await writeResponse(conn, { method: "POST", version: "1.1" }, response, false, new AbortController().signal, {}, "D");
  assert.deepEqual(writes, [
    `${HEAD}transfer-encoding: chunked\r\n\r\n9\r\ndata: a\n\n\r\n`,
    "e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n",
  ]);
});

Deno.test("writeResponse: an empty first piece adds no chunk (a zero-size chunk would end the body)", async () => {
  const { conn, writes } = recordingConn();
  const response = new Response(streamed(["", "data: a\n\n"]), { headers: { "content-type": "text/event-stream" } });
  await writeResponse(conn, { method: "GET", version: "1.1" }, response, false, new AbortController().signal, {}, "D");
  assert.equal(writes.join(""), `${HEAD}transfer-encoding: chunked\r\n\r\n9\r\ndata: a\n\n\r\n0\r\n\r\n`);
  assert.equal(writes[0], `${HEAD}transfer-encoding: chunked\r\n\r\n`);
});

Deno.test("writeResponse: HTTP/1.0 streams raw after the head, in the head's write, and closes", async () => {
  const { conn, writes } = recordingConn();
  const response = new Response(streamed(["one", "two"]), { headers: { "content-type": "text/event-stream" } });
  const close = await writeResponse(
    conn,
    { method: "GET", version: "1.0" },
    response,
    false,
    new AbortController().signal,
    {},
    "D",
  );
  assert.equal(close, true);
  assert.deepEqual(writes, [`${HEAD}connection: close\r\n\r\none`, "two"]);
});
