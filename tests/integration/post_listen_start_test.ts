import assert from "node:assert/strict";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { portAccepts } from "../support/port_accepts.ts";
import { rawConnect, type RawSocket } from "../support/raw_socket.ts";
import { POST_LISTEN_DELAY_MS } from "../../src/server/post_listen_steps.ts";
import { DatabaseSync } from "node:sqlite";
import { seedSessions } from "../support/sessions_artifacts_seed.ts";
import { agentDbPath } from "../../src/state/agent_db_path.ts";

// The work `gateway run` starts after listening (session counts, heartbeat, channels, cron, media prune) begins
// once the first client is served or 100 ms after listening (src/server/post_listen_steps.ts). These start the
// real program and hold: it still begins, promptly and after the "listening" lines; a stop before it began
// runs none of it (a restart in place); a reload before it began is what it starts with.

const TOKEN = "abcdefghijklmnopqrstuvwxyz012345";

function config(port: number, every: string) {
  return {
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    agents: { defaults: { heartbeat: { every, target: "none" } } },
  };
}

/** Polls until the port accepts (the gateway listens), without waiting for any log line. */
async function accepting(port: number): Promise<void> {
  await until(() => portAccepts(port), `port ${port} accepting`);
}

const timeOf = (line: string) => Date.parse(line.slice(0, line.indexOf(" ")));

Deno.test("with no client, the post-listen work begins within its bound, after the 'listening' lines in their order", async () => {
  const port = freePort();
  const home = await tempHome(config(port, "0m"));
  const proc = await spawnOpenclaw(["gateway", "run"], { home: home.home });
  try {
    const heartbeat = await proc.waitForLine(/\[heartbeat\] disabled/);
    await proc.waitForLine(/\[cron\] cron: no jobs; the scheduler loads with the first one added/);
    const lines = proc.stdout;
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const order = [
      /\[gateway\] listening on ws:\/\//,
      /\[gateway\] config: /,
      /\[gateway\] state dir: /,
      /\[heartbeat\] /,
    ]
      .map(at);
    assert.ok(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!)), lines.join("\n"));
    // The bound is 100 ms (1 s with a handshake under way); the slack is for a loaded machine's scheduling.
    const waited = timeOf(heartbeat) - timeOf(lines[order[0]!]!);
    assert.ok(waited >= 0 && waited < 3_000, `heartbeat began ${waited} ms after listening`);
  } finally {
    assert.equal(await proc.stop(), 0, proc.output);
    await home.cleanup();
  }
});

Deno.test("a restart in place as the port accepts stops the old gateway's post-listen work before it began", async () => {
  const port = freePort();
  const home = await tempHome(config(port, "0m"));
  const proc = await spawnOpenclaw(["gateway", "run"], { home: home.home });
  try {
    await accepting(port);
    // A restart key (same port: the old gateway stops, then the new one starts), and a cadence, so the new
    // gateway's heartbeat says `started` while the old one's would say `disabled`.
    const next = {
      ...config(port, "30m"),
      gateway: { ...config(port, "30m").gateway, controlUi: { basePath: "/ui" } },
    };
    await Deno.writeTextFile(home.configPath, JSON.stringify(next));
    proc.kill("SIGHUP");
    await proc.waitForLine(/restarted in place/);
    await proc.waitForLine(/\[heartbeat\] started/);
    const stopped = proc.stdout.findIndex((line) => /shutdown completed cleanly/.test(line));
    assert.ok(stopped >= 0, proc.output);
    // The old gateway's deferred start, had stop() not cancelled it, would log `disabled` after its stop.
    const after = proc.stdout.slice(stopped).filter((line) => /\[heartbeat\]/.test(line));
    assert.deepEqual(after.map((line) => line.replace(/^\S+ /, "")), ["[heartbeat] started"], proc.output);
  } finally {
    assert.equal(await proc.stop(), 0, proc.output);
    await home.cleanup();
  }
});

Deno.test("a hot reload as the port accepts, before the post-listen work began, is what it starts with", async () => {
  const port = freePort();
  const home = await tempHome(config(port, "0m"));
  const proc = await spawnOpenclaw(["gateway", "run"], { home: home.home });
  try {
    await accepting(port);
    // An agent cadence now: the heartbeat, once it starts, reports `started` instead of `disabled`.
    await Deno.writeTextFile(home.configPath, JSON.stringify(config(port, "30m")));
    proc.kill("SIGHUP");
    await proc.waitForLine(/config hot reload applied/);
    await proc.waitForLine(/\[heartbeat\] (started|disabled)/);
    await proc.waitForLine(/\[cron\] cron: no jobs/);
    const heartbeat = proc.stdout.filter((line) => /\[heartbeat\] (started|disabled)/.test(line));
    // Begun once; `disabled` only if the 100 ms bound passed before the reload (a loaded machine).
    assert.equal(heartbeat.length, 1, proc.output);
    const reloaded = proc.stdout.findIndex((line) => /config hot reload applied/.test(line));
    const began = proc.stdout.indexOf(heartbeat[0]!);
    if (began > reloaded) assert.match(heartbeat[0]!, /\[heartbeat\] started/);
  } finally {
    assert.equal(await proc.stop(), 0, proc.output);
    await home.cleanup();
  }
});

type Frame = Record<string, unknown>;
type Health = { sessions?: { count?: number } } | undefined;
const countOf = (frame: Frame | undefined) => (frame?.payload as Health)?.sessions?.count;

/**
 * Starts the gateway on `home` (three sessions seeded for `main`), connects as the port accepts with its handshake held
 * past the post-listen bound, and returns its `hello-ok` and, once a `health` event has counted the three, the answer to
 * a `health` request sent then.
 */
async function earlyClient(
  home: { home: string },
  port: number,
): Promise<{ hello: Frame; answered: Frame }> {
  // This process's first WebSocket costs it tens of ms; paid now, the client below upgrades well within the bound.
  await new Promise((resolve) => {
    const warm = new WebSocket(`ws://127.0.0.1:${freePort()}/`);
    warm.onerror = warm.onclose = resolve;
  });
  const proc = await spawnOpenclaw(["gateway", "run"], { home: home.home });
  let socket: RawSocket | undefined;
  try {
    await accepting(port);
    socket = await rawConnect(port);
    const events: Frame[] = [];
    socket.onEvent((frame) => events.push(frame));
    // Held past the bound (100 ms): the steps wait for a handshake under way, so the counts are ordinarily read only
    // after this client's hello-ok (on a machine so loaded that the upgrade comes after the bound, they are read first
    // and the hello-ok counts them: either way a health event must count them).
    await new Promise((resolve) => setTimeout(resolve, POST_LISTEN_DELAY_MS + 50));
    socket.connect({ token: TOKEN, scopes: ["operator.read"] });
    const hello = await socket.nextResponse();
    const counted = (frame: Frame) => frame.event === "health" && countOf(frame) === 3;
    await until(() => events.some(counted), `a health event counting 3 sessions: ${JSON.stringify(events)}`);
    socket.send({ type: "req", id: "h", method: "health", params: {} });
    return { hello, answered: await socket.nextResponse() };
  } finally {
    socket?.close();
    assert.equal(await proc.stop(), 0, proc.output);
  }
}

/** A home whose config holds off the start's own reload (which refreshes every client's health after its debounce),
 * so the counts' health event is the one under test; `main` has three sessions. */
async function homeWithSessions(port: number, agents?: unknown) {
  const base = config(port, "0m");
  const home = await tempHome({
    ...base,
    ...(agents ? { agents: { ...base.agents, list: agents } } : {}),
    gateway: { ...base.gateway, reload: { debounceMs: 60_000 } },
  });
  const keys = [0, 1, 2].map((i): [string, string] => [`agent:main:seeded-${i}`, crypto.randomUUID()]);
  seedSessions(home.stateDir, keys, Date.now());
  return home;
}

// The session counts are read after the first client is served (src/server/post_listen_steps.ts): opening the
// sessions database no longer stands in front of a client connecting as the port accepts. That client's hello-ok may
// count none; it must then get a `health` event with the state dir's counts, and `health` itself counts them.
Deno.test("a client served before the session counts are read gets them in a health event; health counts them", async () => {
  const port = freePort();
  const home = await homeWithSessions(port);
  try {
    const { hello, answered } = await earlyClient(home, port);
    assert.equal(hello.ok, true, JSON.stringify(hello));
    const helloHealth = ((hello.payload as Frame).snapshot as { health?: Health } | undefined)?.health;
    assert.ok([0, 3].includes(helloHealth?.sessions?.count ?? -1), JSON.stringify(helloHealth));
    assert.equal(countOf(answered), 3, JSON.stringify(answered));
  } finally {
    await home.cleanup();
  }
});

// Each agent is counted on its own: another agent whose database cannot be opened (a newer schema) is logged and counts
// no sessions; the default agent's counts still reach the early client, and `health` answers, as the reference's does.
Deno.test("an agent whose sessions database cannot be opened keeps neither the others' counts nor health from a client", async () => {
  const port = freePort();
  const home = await homeWithSessions(port, [{ id: "main", default: true }, { id: "helper" }]);
  try {
    const path = agentDbPath(home.stateDir, "helper");
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    const helper = new DatabaseSync(path);
    helper.exec("PRAGMA user_version = 99");
    helper.close();
    const { hello, answered } = await earlyClient(home, port);
    assert.equal(hello.ok, true, JSON.stringify(hello));
    assert.equal(answered.ok, true, JSON.stringify(answered));
    const agents = (answered.payload as { agents?: { agentId: string; sessions: { count: number } }[] }).agents;
    assert.deepEqual(agents?.map((agent) => [agent.agentId, agent.sessions.count]), [["main", 3], ["helper", 0]]);
  } finally {
    await home.cleanup();
  }
});
