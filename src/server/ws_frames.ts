// RFC 6455 frame encoding and decoding for the server WebSocket (websocket.ts): pure functions
// over bytes, kept apart from the socket's lifecycle so each can be read on its own.

const encoder = new TextEncoder();

/** A DataView over exactly these bytes, or undefined when the read came up short. */
export function view(bytes: Uint8Array | undefined): DataView | undefined {
  return bytes ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
}

/** The parts joined into one fresh buffer of `size` bytes. */
export function concat(parts: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A final frame's header for a payload of `length` bytes, written at the start of `out`; returns its size. */
function writeHeader(out: Uint8Array, opcode: number, length: number): number {
  out[0] = 0x80 | opcode;
  if (length < 126) {
    out[1] = length;
    return 2;
  }
  if (length < 65_536) {
    out[1] = 126;
    out[2] = length >> 8;
    out[3] = length & 0xff;
    return 4;
  }
  out[1] = 127;
  new DataView(out.buffer, out.byteOffset).setBigUint64(2, BigInt(length));
  return 10;
}

/** An unmasked server frame. */
export function frame(opcode: number, payload: Uint8Array): Uint8Array {
  const length = payload.length;
  const out = new Uint8Array((length < 126 ? 2 : length < 65_536 ? 4 : 10) + length);
  out.set(payload, writeHeader(out, opcode, length));
  return out;
}

/**
 * The text frame of `head + seq + tail` from the parts' UTF-8 bytes (a broadcast encodes them
 * once for all clients): byte for byte what `textFrame` gives for the joined text, one allocation.
 */
export function splicedTextFrame(head: Uint8Array, seq: number, tail: Uint8Array): Uint8Array {
  const digits = String(seq);
  const length = head.length + digits.length + tail.length;
  const out = new Uint8Array((length < 126 ? 2 : length < 65_536 ? 4 : 10) + length);
  let offset = writeHeader(out, 0x1, length);
  out.set(head, offset);
  offset += head.length;
  for (let i = 0; i < digits.length; i++) out[offset++] = digits.charCodeAt(i);
  out.set(tail, offset);
  return out;
}

/** Close codes a peer may send (RFC 6455 §7.4.1, IANA registry): never 1004-1006 or 1015. */
export function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** XORs the client's mask into the payload, a 32-bit word at a time where it can. */
export function unmask(payload: Uint8Array, mask: Uint8Array): void {
  let i = 0;
  if (payload.length >= 16 && payload.byteOffset % 4 === 0) {
    // The mask's bytes in a word of the platform's own byte order match the payload's words.
    const key = new Uint32Array(new Uint8Array(mask).buffer)[0]!;
    const words = new Uint32Array(payload.buffer, payload.byteOffset, payload.length >>> 2);
    for (let w = 0; w < words.length; w++) words[w]! ^= key;
    i = words.length * 4;
  }
  for (; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
}

/** A text frame, encoded straight into the frame when the text is ASCII (one allocation, no copy). */
export function textFrame(data: string): Uint8Array {
  const out = new Uint8Array(10 + data.length);
  const { read, written } = encoder.encodeInto(data, out.subarray(10));
  if (read < data.length) return frame(0x1, encoder.encode(data));
  const headerSize = written < 126 ? 2 : written < 65_536 ? 4 : 10;
  const start = 10 - headerSize;
  out[start] = 0x81;
  if (written < 126) out[start + 1] = written;
  else if (written < 65_536) {
    out[start + 1] = 126;
    out[start + 2] = written >> 8;
    out[start + 3] = written & 0xff;
  } else {
    out[start + 1] = 127;
    new DataView(out.buffer).setBigUint64(start + 2, BigInt(written));
  }
  return out.subarray(start, 10 + written);
}

/** A close frame with its code and a reason cut to fit a control frame (125 bytes). */
export function closeFrame(code: number, reason: string): Uint8Array {
  let text = encoder.encode(reason);
  if (text.length > 123) {
    // Cut at a character boundary: a reason ending mid-character is not UTF-8 (a 1007 at the peer).
    let cut = 123;
    while (cut > 0 && (text[cut]! & 0xc0) === 0x80) cut--;
    text = text.subarray(0, cut);
  }
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >> 8;
  payload[1] = code & 0xff;
  payload.set(text, 2);
  return frame(0x8, payload);
}
