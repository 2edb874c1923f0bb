// One state store with the reference (issue 19 item 1, decision 0012): sessions and messages this gateway
// wrote (a pin and a read among them) are listed by the reference's CLI and gateway and survive its doctor; a
// session the reference's gateway wrote is listed, with its messages, by ours. The reference is slow: each step is bounded by its own deadline.
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { type PeerHome, requirePeer, runPeer, spawnPeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "interop-token-0123456789";
/** The port the reference's gateway listens on in these tests. */
const PEER_GATEWAY_PORT = 19101;

/** A config both programs accept: the provider in the object form, the gateway port both CLIs probe. */
function sharedConfig(upstreamUrl: string, port: number) {
  return {
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } },
    models: {
      providers: {
        fake: {
          baseUrl: upstreamUrl,
          apiKey: "fake-key",
          api: "openai-completions",
          models: [{ id: "m1", name: "M1", contextWindow: 128000, maxTokens: 1000 }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  };
}

interface HistoryPayload {
  sessionId: string | null;
  messages: { role: string; content: string | { type: string; text: string }[] }[];
}

/** A message's text: `chat.history` shows a user's text as a string and an answer as content blocks. */
function textOf(content: string | { text: string }[]): string {
  return typeof content === "string" ? content : content.map((c) => c.text).join("");
}

/** Runs the reference CLI with a deadline; the process is killed (by its PID) when it passes. */
async function peerCommand(args: string[], where: PeerHome, timeoutMs: number) {
  const timer = setTimeout(() => {
    for (const pid of pidsOf(where)) Deno.kill(pid, "SIGKILL");
  }, timeoutMs);
  try {
    return await runPeer(args, where);
  } finally {
    clearTimeout(timer);
  }
}

/** PIDs of processes started for this home (none are left behind when a command hangs). */
function pidsOf(where: PeerHome): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const env = Deno.readTextFileSync(`/proc/${entry.name}/environ`);
      if (env.includes(`OPENCLAW_STATE_DIR=${where.stateDir}\0`)) pids.push(Number(entry.name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

Deno.test("the reference's sessions list, doctor and gateway see and keep what this gateway wrote; ours still shows it", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(sharedConfig(upstream.url, port));
  const where: PeerHome = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const session = await connectReference({ port, token: TOKEN });
    try {
      for (const [sessionKey, message] of [["agent:main:main", "first from ours"], ["agent:main:second", "second"]]) {
        await session.request("agent", { message, sessionKey, idempotencyKey: `k-${sessionKey}` }, {
          expectFinal: true,
        });
      }

      // A pin and a read, kept where the reference keeps them (the entry and its indexed columns).
      await session.request("sessions.patch", { key: "agent:main:main", pinned: true, unread: false });

      const listed = await peerCommand(["sessions", "list", "--json"], where, 60_000);
      assert.equal(listed.code, 0, listed.stderr);
      const list = JSON.parse(listed.stdout) as {
        path: string;
        count: number;
        sessions: { key: string; sessionId: string; modelProvider?: string; model?: string }[];
      };
      assert.equal(list.path, `${home.stateDir}/agents/main/agent/openclaw-agent.sqlite`);
      assert.deepEqual(list.sessions.map((s) => s.key).sort(), ["agent:main:main", "agent:main:second"]);
      assert.ok(list.sessions.every((s) => s.modelProvider === "fake" && s.model === "m1"), listed.stdout);

      // Doctor runs while our gateway holds the database open (WAL and busy timeouts share it); its
      // gateway probe reaches ours on the configured port.
      const doctor = await peerCommand(["doctor", "--non-interactive"], where, 150_000);
      assert.equal(doctor.code, 0, `${doctor.stdout}\n${doctor.stderr}`);

      const ours = await session.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {});
      assert.deepEqual(ours.sessions.map((s) => s.key).sort(), ["agent:main:main", "agent:main:second"]);
      for (const s of list.sessions) {
        assert.equal(ours.sessions.find((o) => o.key === s.key)?.sessionId, s.sessionId, "the same session");
      }
      const history = await session.request<HistoryPayload>("chat.history", { sessionKey: "agent:main:main" });
      assert.deepEqual(
        history.messages.map((m) => [m.role, textOf(m.content)]),
        [["user", "first from ours"], ["assistant", FAKE_ANSWER]],
      );
      const again = await peerCommand(["sessions", "list", "--json"], where, 60_000);
      assert.equal(JSON.parse(again.stdout).count, 2, "doctor left both sessions");
    } finally {
      session.stop();
    }
    assert.equal(await proc.stop(), 0);

    // The reference's gateway, started on the same state dir, serves our messages in its chat.history.
    await withPeerGateway(where, async () => {
      const history = await peerCommand(
        [
          "gateway",
          "call",
          "chat.history",
          "--port",
          String(PEER_GATEWAY_PORT),
          "--token",
          TOKEN,
          "--params",
          JSON.stringify({ sessionKey: "agent:main:main" }),
          "--json",
        ],
        where,
        60_000,
      );
      assert.equal(history.code, 0, history.stderr);
      const payload = JSON.parse(history.stdout) as HistoryPayload;
      assert.deepEqual(
        payload.messages.map((m) => [m.role, textOf(m.content)]),
        [["user", "first from ours"], ["assistant", FAKE_ANSWER]],
      );
      // It lists the pin and the read this gateway recorded.
      const rows = await peerCommand(
        ["gateway", "call", "sessions.list", "--port", String(PEER_GATEWAY_PORT), "--token", TOKEN, "--json"],
        where,
        60_000,
      );
      assert.equal(rows.code, 0, rows.stderr);
      const main = (JSON.parse(rows.stdout) as { sessions: Record<string, unknown>[] }).sessions
        .find((s) => s.key === "agent:main:main")!;
      assert.deepEqual(
        [main.pinned, typeof main.pinnedAt, main.unread, typeof main.lastReadAt],
        [true, "number", false, "number"],
        rows.stdout,
      );
      // It can also delete a session ours wrote: it archives the transcript first, which needs the
      // transcript generation every window of ours carries.
      const deleted = await peerCommand(
        [
          "gateway",
          "call",
          "sessions.delete",
          "--port",
          String(PEER_GATEWAY_PORT),
          "--token",
          TOKEN,
          "--params",
          JSON.stringify({ key: "agent:main:second", deleteTranscript: true }),
          "--json",
        ],
        where,
        60_000,
      );
      assert.equal(deleted.code, 0, `${deleted.stdout}\n${deleted.stderr}`);
      assert.equal(JSON.parse(deleted.stdout).ok, true, deleted.stdout);
    });
    const left = await peerCommand(["sessions", "list", "--json"], where, 60_000);
    assert.deepEqual(JSON.parse(left.stdout).sessions.map((s: { key: string }) => s.key), ["agent:main:main"]);
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

/** Runs `body` while the reference's gateway serves this home on {@link PEER_GATEWAY_PORT}; stops it by PID. */
async function withPeerGateway(where: PeerHome, body: () => Promise<void>): Promise<void> {
  const peer = spawnPeer(["gateway", "run", "--port", String(PEER_GATEWAY_PORT)], where);
  const output: string[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) output.push(chunk);
  };
  const pumped = Promise.all([pump(peer.stdout), pump(peer.stderr)]);
  try {
    const deadline = Date.now() + 120_000;
    while (!output.join("").includes("[gateway] ready")) {
      if (Date.now() > deadline) throw new Error(`the reference gateway did not get ready:\n${output.join("")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await body();
  } finally {
    peer.kill("SIGTERM");
    await peer.status;
    await pumped;
  }
}

Deno.test("a session the reference's gateway wrote is listed by ours, with its messages", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const home = await tempHome(sharedConfig(upstream.url, PEER_GATEWAY_PORT));
  const where: PeerHome = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  await withPeerGateway(where, async () => {
    const turn = await peerCommand(
      ["agent", "--agent", "main", "--message", "hello from the reference", "--json"],
      where,
      120_000,
    );
    assert.equal(turn.code, 0, turn.stderr);
  });

  const port = freePort();
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const session = await connectReference({ port, token: TOKEN });
    try {
      const list = await session.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {});
      assert.deepEqual(list.sessions.map((s) => s.key), ["agent:main:main"]);
      const history = await session.request<HistoryPayload>("chat.history", { sessionKey: "agent:main:main" });
      assert.equal(history.sessionId, list.sessions[0]!.sessionId);
      assert.deepEqual(
        history.messages.map((m) => [m.role, textOf(m.content)]),
        [["user", "hello from the reference"], ["assistant", FAKE_ANSWER]],
      );
      // And ours continues that conversation in the same transcript.
      await session.request("agent", {
        message: "and from ours",
        sessionKey: "agent:main:main",
        idempotencyKey: "continue",
      }, { expectFinal: true });
      const after = await session.request<HistoryPayload>("chat.history", { sessionKey: "agent:main:main" });
      assert.equal(after.messages.length, 4);
      const upstreamSaw = upstream.requests.at(-1) as { messages: { role: string }[] };
      assert.ok(upstreamSaw.messages.some((m) => m.role === "assistant"), "the reference's answer is in the context");
    } finally {
      session.stop();
    }
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
