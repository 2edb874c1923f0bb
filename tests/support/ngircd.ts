// A real IRC server for tests: Debian's ngircd, started on an ephemeral loopback port with a
// private config, and a minimal IRC client that plays the human on the other side.

import { freePort } from "./spawn_gateway.ts";

/** A running ngircd. */
export interface IrcServer {
  port: number;
  /** The TLS port and the CA certificate clients must trust, when started with `tls`. */
  tls?: { port: number; caFile: string };
  /** Stops the server (by PID) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop). */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`ngircd did not listen on ${port} within ${timeoutMs} ms`);
}

async function openssl(args: string[]): Promise<void> {
  const { success, stderr } = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
  if (!success) throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(stderr)}`);
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1 signed by it (TLS libraries refuse a CA
 * certificate used as the server's own). Clients trust `caFile`.
 */
async function testCertificates(dir: string): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  const [caFile, caKey, certFile, keyFile, csr, ext] = [
    "ca.pem",
    "ca.key",
    "cert.pem",
    "key.pem",
    "leaf.csr",
    "leaf.ext",
  ]
    .map((name) => `${dir}/${name}`) as [string, string, string, string, string, string];
  await openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=OpenClaw test CA",
    "-keyout",
    caKey,
    "-out",
    caFile,
  ]);
  await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", keyFile, "-out", csr]);
  await Deno.writeTextFile(ext, "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n");
  await openssl([
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    caFile,
    "-CAkey",
    caKey,
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    ext,
    "-out",
    certFile,
  ]);
  // ngircd drops to "nobody" and must still read them.
  await Deno.chmod(certFile, 0o644);
  await Deno.chmod(keyFile, 0o644);
  return { caFile, certFile, keyFile };
}

/** Starts ngircd (installed by .ci/run from Debian) on a free port; with `tls`, also on a TLS port. */
export async function startIrcServer(options: { tls?: boolean } = {}): Promise<IrcServer> {
  const dir = await Deno.makeTempDir({ prefix: "oc-ngircd-" });
  await Deno.chmod(dir, 0o755);
  const port = freePort();
  const tls = options.tls ? { port: freePort(), ...await testCertificates(dir) } : undefined;
  const config = `${dir}/ngircd.conf`;
  await Deno.writeTextFile(
    config,
    [
      "[Global]",
      "Name = irc.test.local",
      "Info = OpenClaw test server",
      "AdminInfo1 = tests",
      "AdminInfo2 = loopback",
      "AdminEMail = tests@localhost",
      `Ports = ${port}`,
      "Listen = 127.0.0.1",
      "MotdPhrase = test",
      "[Limits]",
      "MaxNickLength = 30",
      "PingTimeout = 120",
      "PongTimeout = 20",
      "[Options]",
      "PAM = no",
      "Ident = no",
      "DNS = no",
      ...(tls ? ["[SSL]", `CertFile = ${tls.certFile}`, `KeyFile = ${tls.keyFile}`, `Ports = ${tls.port}`] : []),
      "",
    ].join("\n"),
  );
  await Deno.chmod(config, 0o644);
  let child: Deno.ChildProcess | undefined;
  const launch = async () => {
    child = new Deno.Command("ngircd", { args: ["-n", "-f", config], stdout: "null", stderr: "null", stdin: "null" })
      .spawn();
    await waitForPort(port);
  };
  const stop = async () => {
    if (!child) return;
    try {
      Deno.kill(child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    child = undefined;
  };
  await launch();
  return {
    port,
    ...(tls ? { tls: { port: tls.port, caFile: tls.caFile } } : {}),
    stop,
    restart: launch,
    cleanup: async () => {
      await stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** A line received by the test client. */
export interface ReceivedPrivmsg {
  from: string;
  target: string;
  text: string;
}

/** The human side: a raw IRC client that registers, joins, talks and collects PRIVMSGs. */
export class IrcTestClient {
  readonly nick: string;
  readonly messages: ReceivedPrivmsg[] = [];
  #conn: Deno.Conn;
  #waiters: { test: () => boolean; resolve: () => void }[] = [];
  #lines: string[] = [];
  #reader: Promise<void>;

  private constructor(conn: Deno.Conn, nick: string) {
    this.#conn = conn;
    this.nick = nick;
    this.#reader = this.#read();
  }

  /** Connects and waits for the server's welcome. */
  static async connect(port: number, nick: string): Promise<IrcTestClient> {
    const client = new IrcTestClient(await Deno.connect({ hostname: "127.0.0.1", port }), nick);
    await client.raw(`NICK ${nick}`);
    await client.raw(`USER ${nick} 0 * :${nick}`);
    await client.#until(() => client.#lines.some((l) => / 001 /.test(l)), 10_000, "welcome");
    return client;
  }

  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    const chunk = new Uint8Array(8192);
    while (true) {
      let n: number | null;
      try {
        n = await this.#conn.read(chunk);
      } catch {
        return;
      }
      if (n === null) return;
      buffer += decoder.decode(chunk.subarray(0, n), { stream: true });
      let at = buffer.indexOf("\r\n");
      while (at >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        this.#lines.push(line);
        if (line.startsWith("PING")) await this.raw(line.replace("PING", "PONG")).catch(() => {});
        const m = /^:([^!\s]+)\S* PRIVMSG (\S+) :(.*)$/.exec(line);
        if (m) this.messages.push({ from: m[1]!, target: m[2]!, text: m[3]! });
        at = buffer.indexOf("\r\n");
      }
      for (const waiter of [...this.#waiters]) {
        if (waiter.test()) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  }

  #until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `IRC client ${this.nick}: no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`,
            ),
          ),
        timeoutMs,
      );
      this.#waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Sends one raw line. */
  async raw(line: string): Promise<void> {
    await this.#conn.write(new TextEncoder().encode(`${line}\r\n`));
  }

  /** Sends a PRIVMSG. */
  say(target: string, text: string): Promise<void> {
    return this.raw(`PRIVMSG ${target} :${text}`);
  }

  /** Joins a channel and waits until the server confirms. */
  async join(channel: string): Promise<void> {
    await this.raw(`JOIN ${channel}`);
    await this.#until(() => this.#lines.some((l) => l.includes(` JOIN `) && l.includes(channel)), 5000, "join");
  }

  /** Waits until the server lists `nick` in a channel (the bot joined). */
  async waitForMember(channel: string, nick: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const before = this.#lines.length;
      await this.raw(`NAMES ${channel}`);
      await this.#until(() => this.#lines.slice(before).some((l) => / 366 /.test(l)), 5000, "names");
      if (this.#lines.slice(before).some((l) => / 353 /.test(l) && new RegExp(`[ :@+]${nick}( |$)`).test(l))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${nick} did not join ${channel} within ${timeoutMs} ms`);
  }

  /** Waits for PRIVMSGs matching `test`; returns all messages received so far. */
  async waitFor(
    test: (messages: ReceivedPrivmsg[]) => boolean,
    timeoutMs = 10_000,
    what = "expected messages",
  ): Promise<ReceivedPrivmsg[]> {
    await this.#until(() => test(this.messages), timeoutMs, what);
    return this.messages;
  }

  /** Quits and closes the socket. */
  async close(): Promise<void> {
    await this.raw("QUIT :bye").catch(() => {});
    try {
      this.#conn.close();
    } catch {
      // closed
    }
    await this.#reader;
  }
}
