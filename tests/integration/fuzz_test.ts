import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { prng } from "../support/prng.ts";
import { connectAuthenticated } from "../support/raw_socket.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "fuzz-token-0123456789abcdef";

const METHODS = ["health", "status", "config.get", "config.set", "logs.tail", "agent", "chat.send", "wake", "nope", ""];
const VALUES: unknown[] = [null, true, 0, -1, 1e308, "", "x".repeat(300), [], {}, [[[[[]]]]], { a: { b: { c: {} } } }];

function randomFrame(rand: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const kind = rand();
  if (kind < 0.1) return "{".repeat(Math.floor(rand() * 2000)); // deeply nested, unterminated
  if (kind < 0.2) return String.fromCharCode(...Array.from({ length: 40 }, () => Math.floor(rand() * 0xffff)));
  const frame: Record<string, unknown> = {
    type: pick(["req", "res", "event", "", 7]),
    id: pick(["1", "", 5, null]),
    method: pick(METHODS),
  };
  if (rand() < 0.8) {
    frame.params = rand() < 0.5 ? pick(VALUES) : {
      limit: pick(VALUES),
      raw: pick(VALUES),
      text: pick(VALUES),
      idempotencyKey: pick(VALUES),
      message: pick(VALUES),
    };
  }
  if (rand() < 0.2) frame[pick(["extra", "__proto__", "constructor"])] = pick(VALUES);
  const text = JSON.stringify(frame);
  // Mutate a few bytes now and then: truncations and flipped characters.
  if (rand() < 0.2) return text.slice(0, Math.floor(rand() * text.length));
  return text;
}

const openAuthenticated = (port: number) => connectAuthenticated(port, { token: TOKEN, scopes: ["operator.read"] });

Deno.test("fuzz: 2,000 random and mutated frames, before and after connect, never take the gateway down", async () => {
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? 20261125);
  const rand = prng(seed);
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const watcher = await connectReference({ port, token: TOKEN });
  try {
    for (let round = 0; round < 20; round++) {
      // Half the rounds attack the handshake, half an authenticated session.
      const authenticated = round % 2 === 1;
      const ws = authenticated ? await openAuthenticated(port) : new WebSocket(`ws://127.0.0.1:${port}/`);
      if (!authenticated) await new Promise((r) => ws.onopen = r);
      const closed = new Promise<void>((resolve) => ws.onclose = () => resolve());
      for (let i = 0; i < 100 && ws.readyState === WebSocket.OPEN; i++) ws.send(randomFrame(rand));
      ws.close();
      await closed;
      // The gateway still serves an unrelated client after every round.
      assert.equal((await watcher.request<{ ok: boolean }>("health")).ok, true, `seed ${seed}, round ${round}`);
    }
    assert.deepEqual(watcher.closes, []);
    assert.equal(proc.child.pid > 0 && (await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  } finally {
    watcher.stop();
    assert.equal(await proc.stop(), 0, `seed ${seed}: the gateway exits cleanly after the fuzz`);
    await home.cleanup();
  }
});
