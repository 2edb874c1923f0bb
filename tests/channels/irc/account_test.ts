import assert from "node:assert/strict";
import { createIrcAccount } from "../../../src/channels/irc/account.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";

/** A scripted IRC server: answers each expected line and records what the client sent. */
function scriptedServer(script: (line: string, reply: (text: string) => Promise<void>) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const received: string[] = [];
  const served = (async () => {
    const conn = await listener.accept();
    const reply = async (text: string) => void await conn.write(new TextEncoder().encode(`${text}\r\n`));
    let buffer = "";
    const chunk = new Uint8Array(4096);
    try {
      while (true) {
        const n = await conn.read(chunk);
        if (n === null) break;
        buffer += new TextDecoder().decode(chunk.subarray(0, n));
        let at = buffer.indexOf("\r\n");
        while (at >= 0) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          received.push(line);
          await script(line, reply);
          at = buffer.indexOf("\r\n");
        }
      }
    } catch {
      // the client closed
    } finally {
      try {
        conn.close();
      } catch {
        // closed
      }
    }
  })();
  return { port: (listener.addr as Deno.NetAddr).port, received, close: () => listener.close(), served };
}

Deno.test("irc account: SASL PLAIN before registration, a taken nick gets a variant, DMs arrive normalized", async () => {
  const inbound: InboundMessage[] = [];
  let nickTries = 0;
  const server = scriptedServer(async (line, reply) => {
    if (line === "CAP LS 302") await reply(":srv CAP * LS :multi-prefix sasl=PLAIN");
    else if (line === "CAP REQ :sasl") await reply(":srv CAP * ACK :sasl");
    else if (line === "AUTHENTICATE PLAIN") await reply("AUTHENTICATE +");
    else if (line.startsWith("AUTHENTICATE ")) {
      assert.equal(atob(line.slice(13)), "botacct\0botacct\0s3cret");
      await reply(":srv 903 * :SASL authentication successful");
    } else if (line.startsWith("NICK ") && nickTries++ === 0) {
      await reply(":srv 433 * ocbot :Nickname is already in use");
    } else if (line === "CAP END") {
      await reply(":srv 001 ocbot_ :Welcome");
      await reply(":alice!~a@example.org PRIVMSG ocbot_ :hello there");
      await reply(":alice!~a@example.org PRIVMSG #room :ocbot_: in the room");
    }
  });
  const account = createIrcAccount(
    {
      accountId: "default",
      settings: {
        host: "127.0.0.1",
        port: server.port,
        tls: false,
        nick: "ocbot",
        sasl: { username: "botacct", password: "s3cret" },
      },
    },
    {
      env: {},
      host: {
        inbound: (m) => (inbound.push(m), Promise.resolve()),
        ready: () => {},
        mountWebhook: () => () => {},
      },
    },
  );
  try {
    account.start();
    const deadline = Date.now() + 5000;
    while (inbound.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(account.status().connected, true);
    assert.equal(account.status().bot?.username, "ocbot_");
    assert.deepEqual(server.received.slice(0, 4), [
      "CAP LS 302",
      "NICK ocbot",
      "USER ocbot 0 * :OpenClaw",
      "CAP REQ :sasl",
    ]);
    assert.ok(server.received.includes("NICK ocbot_"));
    assert.deepEqual(
      inbound.map((m) => [m.peerKind, m.senderId, m.replyTo, m.text, m.mentioned]),
      [
        ["direct", "alice!~a@example.org", "alice", "hello there", true],
        ["channel", "alice!~a@example.org", "#room", "in the room", true],
      ],
    );
    await assert.rejects(account.send("bad target", "x"), /not an IRC nick or channel/);
    // A target that leaves no room for text in a 512-byte line is refused, not split forever.
    await assert.rejects(account.send("n".repeat(450), "x"), /An IRC target is at most 200 bytes/);
  } finally {
    await account.stop();
    server.close();
    await server.served;
  }
});

Deno.test("irc account: a server without SASL is a clear error, retried with backoff", async () => {
  const server = scriptedServer(async (line, reply) => {
    if (line === "CAP LS 302") await reply(":srv CAP * LS :multi-prefix");
  });
  const account = createIrcAccount(
    {
      accountId: "default",
      settings: { host: "127.0.0.1", port: server.port, tls: false, nick: "ocbot", sasl: { password: "x" } },
    },
    { env: {}, host: { inbound: () => Promise.resolve(), ready: () => {}, mountWebhook: () => () => {} } },
  );
  try {
    account.start();
    const deadline = Date.now() + 5000;
    while (!account.status().lastError && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(String(account.status().lastError), /does not offer SASL/);
    assert.equal(account.status().connected, false);
    assert.ok(account.status().reconnectAttempts >= 1);
    const probe = await account.probe(500);
    assert.equal(probe.ok, false);
  } finally {
    await account.stop();
    server.close();
    await server.served;
  }
});

Deno.test("irc account: outbound lines pass the flood limit (a burst of 5, then messagesPerSecond)", async () => {
  const arrivals: number[] = [];
  const server = scriptedServer(async (line, reply) => {
    if (line.startsWith("USER ")) await reply(":srv 001 ocbot :Welcome");
    if (line.startsWith("PRIVMSG #room ")) arrivals.push(performance.now());
  });
  const account = createIrcAccount(
    {
      accountId: "default",
      settings: { host: "127.0.0.1", port: server.port, tls: false, nick: "ocbot", messagesPerSecond: 10 },
    },
    { env: {}, host: { inbound: () => Promise.resolve(), ready: () => {}, mountWebhook: () => () => {} } },
  );
  try {
    account.start();
    const deadline = Date.now() + 5000;
    while (!account.status().connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    await account.send("#room", Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join("\n"));
    while (arrivals.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(arrivals.length, 8);
    // Without a burst the fifth line would wait 400 ms for its token; 200 ms leaves room for a loaded machine.
    assert.ok(arrivals[4]! - started < 200, "the first five go out at once");
    assert.ok(
      arrivals[7]! - started >= 250,
      `the last three wait for tokens (took ${Math.round(arrivals[7]! - started)} ms)`,
    );
  } finally {
    await account.stop();
    server.close();
    await server.served;
  }
});
