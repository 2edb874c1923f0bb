import { messageOf } from "../errors.ts";

/**
 * Opens the TCP (or TLS, handshake done) connection to an IRC server. Throws an error naming
 * the server, and for a certificate failure the way to trust a private CA.
 */
export async function connectIrc(host: string, port: number, tls: boolean): Promise<Deno.Conn> {
  let conn: Deno.Conn | undefined;
  try {
    if (tls) {
      const tlsConn = await Deno.connectTls({ hostname: host, port });
      conn = tlsConn;
      await tlsConn.handshake();
      return tlsConn;
    }
    return await Deno.connect({ hostname: host, port });
  } catch (error) {
    try {
      conn?.close();
    } catch {
      // Already closed.
    }
    const message = messageOf(error);
    const hint = /certificate/i.test(message)
      ? " (a server with a private CA needs DENO_CERT pointing at that CA's PEM file)"
      : "";
    throw new Error(`cannot connect to ${host}:${port}${tls ? " over TLS" : ""}: ${message}${hint}`);
  }
}
