/**
 * The part of a WebSocket the protocol layer uses. The server's own sockets
 * (`server/websocket.ts`) satisfy it; tests drive connections with a fake.
 */
export interface ProtocolSocket {
  send(data: string): void;
  /** Sends the text `head + seq + tail` given as UTF-8 parts, when the socket can frame them without a string. */
  sendSpliced?(head: Uint8Array, seq: number, tail: Uint8Array): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount: number;
  readonly readyState: number;
}

/** WebSocket close codes the gateway uses, named as the reference documents them. */
export const CloseCode = {
  normal: 1000,
  protocolError: 1002,
  policyViolation: 1008,
  tooBig: 1009,
  internalError: 1011,
  serviceRestart: 1012,
  tryAgainLater: 1013,
} as const;
