// `openclaw nodes …`, run as the binary runs, against the reference OpenClaw 2026.9.6's own CLI
// recorded talking to OUR gateway (tests/fixtures/nodes/reference_recordings.json): the same
// scenario (a node connects and waits for approval, is approved, invoked, renamed and removed)
// replayed step by step with ours, words, tables, JSON and exit codes alike. The `status` table,
// whose column widths follow the connection's age, is compared live: the reference's own
// `nodes status` runs against our gateway at the same moment as ours.
import assert from "node:assert/strict";
import { newTestDevice } from "../support/device_keys.ts";
import { runPeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "nodes-cli-token-0123456789";
const FIXTURES = new URL("../fixtures/nodes/", import.meta.url);

interface Recorded {
  label: string;
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Compared live with the reference instead (their widths follow the connection's age). */
const LIVE = new Set(["status-pending", "status-approved"]);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * What differs between two runs of one scenario and nothing else: request ids (kept at their
 * width), timestamps, ports, config paths, and ages in columns whose width they do not set.
 */
function normalize(text: string): string {
  return text
    .replace(UUID, "REQUEST-ID-0000000000000000000000000")
    .replace(/\b1\d{12}\b/g, "TS")
    .replace(/ws:\/\/127\.0\.0\.1:\w+/g, "ws://127.0.0.1:PORT")
    .replace(/[\w./-]*\.openclaw\/openclaw\.json/g, "CONFIG")
    .replace(/(just now|\d+[mhd] ago)( *)(?=│)/g, "AGO");
}

/** Answers the node's invocations as the recording's node did; records what it was asked. */
function answerInvokes(node: ReferenceSession, nodeId: string, asked: { command: string; params: unknown }[]) {
  let answered = 0;
  const timer = setInterval(() => {
    for (const event of node.events.filter((e) => e.event === "node.invoke.request").slice(answered)) {
      answered++;
      const request = event.payload as { id: string; command: string; paramsJSON?: string };
      const params = request.paramsJSON ? JSON.parse(request.paramsJSON) : {};
      asked.push({ command: request.command, params });
      const payload = request.command === "echo.test"
        ? { echoed: params.text ?? null }
        : request.command === "location.get"
        ? { lat: 52.52, lon: 13.405, accuracyMeters: 12.34 }
        : { ok: true };
      void node.request(
        "node.invoke.result",
        params.fail
          ? { id: request.id, nodeId, ok: false, error: { code: "BOOM", message: "node said no" } }
          : { id: request.id, nodeId, ok: true, payload },
      );
    }
  }, 20);
  return () => clearInterval(timer);
}

Deno.test("openclaw nodes answers as the reference's own nodes CLI does against the same gateway", async () => {
  const recorded: Recorded[] = JSON.parse(await Deno.readTextFile(new URL("reference_recordings.json", FIXTURES)));
  const identity = JSON.parse(await Deno.readTextFile(new URL("node_identity.json", FIXTURES)));
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const peerHome = await tempHome();
  const { proc, port } = await startGateway({ home: home.home });
  const url = `ws://127.0.0.1:${port}`;
  const dead = `ws://127.0.0.1:${freePort()}`;
  const device = { ...newTestDevice(), deviceIdentity: identity };
  const nodeId: string = identity.deviceId;
  const asked: { command: string; params: unknown }[] = [];
  let node: ReferenceSession | undefined;
  let stopAnswering = () => {};
  let requestId = "";
  const ours = (args: string[]) => runOpenclaw(["nodes", ...args], { home: home.home });
  try {
    for (const step of recorded) {
      if (step.label === "status-pending") {
        node = await connectReference({
          port,
          token: TOKEN,
          role: "node",
          mode: "node",
          clientName: "node-host",
          displayName: "test-node",
          scopes: [],
          caps: ["system", "location"],
          commands: ["echo.test", "location.get", "system.notify"],
          permissions: { camera: false, location: true },
          deviceIdentity: device.deviceIdentity,
          hostDeps: device.hostDeps,
        });
        stopAnswering = answerInvokes(node, nodeId, asked);
        await until(
          async () => (await ours(["pending", "--json", "--url", url, "--token", TOKEN])).stdout.includes(nodeId),
          "the node's pending request",
        );
      }
      if (step.label === "remove") stopAnswering();
      const args = step.args.map((arg) =>
        arg === "ws://127.0.0.1:PORT" ? url : /^ws:\/\//.test(arg) ? dead : UUID.test(arg) ? requestId : arg
      );
      UUID.lastIndex = 0;
      const mine = await ours(args);
      // As in the recording: the removed node stops before its client reconnects (and pairs again).
      if (step.label === "remove") node?.stop();
      if (step.label === "pending-json") requestId = JSON.parse(mine.stdout)[0].requestId;
      const expected = LIVE.has(step.label) ? await runPeer(["nodes", ...args], peerHome) : step;
      const got = { code: mine.code, stdout: normalize(mine.stdout), stderr: normalize(mine.stderr) };
      const want = {
        code: expected.code,
        stdout: normalize(expected.stdout.trimEnd()),
        stderr: normalize(expected.stderr.trimEnd()),
      };
      assert.deepEqual(got, want, `nodes ${step.label}`);
    }
    // The node was asked what the reference's CLI asks (undefined fields left out).
    assert.deepEqual(asked.filter((a) => a.command === "location.get").map((a) => a.params), [
      { timeoutMs: 10000 },
      { maxAgeMs: 1000, desiredAccuracy: "precise", timeoutMs: 10000 },
    ]);
    assert.deepEqual(asked.find((a) => a.command === "system.notify")?.params, {
      title: "Build",
      body: "Done",
      priority: "timeSensitive",
      delivery: "system",
    });
  } finally {
    stopAnswering();
    node?.stop();
    await proc.stop();
    await home.cleanup();
    await peerHome.cleanup();
  }
});
