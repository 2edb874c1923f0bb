import type { ProtocolSocket } from "../../src/protocol/socket.ts";

/** A socket that records what the protocol sends, for driving a Connection without a network. */
export class FakeSocket implements ProtocolSocket {
  sent: Record<string, unknown>[] = [];
  closed: { code?: number | undefined; reason?: string | undefined } | undefined;
  bufferedAmount = 0;
  readyState = 1;

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
    this.readyState = 3;
  }
}
