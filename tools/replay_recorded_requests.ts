// Replays every distinct request the reference clients sent in a recording (the JSON written by
// tools/record_reference_clients.ts) against our gateway, started here with the same config, and
// lists per method what came back: unknown method, rejected params, other errors. A quick coverage
// check (seconds, no browser) that also reaches the calls a UI stuck on an earlier failure never
// makes. State-bound params (the reference's session ids, cursors) can be refused legitimately.
//
//   deno run -A tools/replay_recorded_requests.ts RECORDING.json [--port 19602]
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { clientTestConfig } from "../tests/support/reference_gateway.ts";
import { startGateway, tempHome } from "../tests/support/spawn_gateway.ts";
import type { RecordedRequest } from "../tests/support/ws_frame_log.ts";

const [file] = Deno.args.filter((arg, index, all) => !arg.startsWith("--") && all[index - 1] !== "--port");
if (!file) throw new Error("usage: deno run -A tools/replay_recorded_requests.ts RECORDING.json [--port N]");
const portFlag = Deno.args.indexOf("--port");
const port = portFlag === -1 ? 19602 : Number(Deno.args[portFlag + 1]);
const recording = JSON.parse(await Deno.readTextFile(file)) as { ui: RecordedRequest[]; tui: RecordedRequest[] };
const write = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(`${text}\n`));

const token = "replay-token-0123456789abcdef0123";
const upstream = startFakeUpstream();
const home = await tempHome(clientTestConfig({ port, token, upstreamUrl: upstream.url }));
const { proc } = await startGateway({ home: home.home, port });
try {
  const session = await connectReference({
    port,
    token,
    clientName: "cli",
    mode: "cli",
    scopes: ["operator.admin", "operator.read", "operator.write", "operator.approvals", "operator.pairing"],
  });
  const verdicts = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const [client, requests] of [["Control UI", recording.ui], ["TUI", recording.tui]] as const) {
    for (const request of requests) {
      const key = `${request.method} ${JSON.stringify(request.params ?? {})}`;
      if (request.method === "connect" || seen.has(key)) continue;
      seen.add(key);
      let verdict = "ok";
      try {
        await session.request(request.method, request.params ?? {}, { timeoutMs: 10_000 });
      } catch (error) {
        verdict = (error as Error).message;
      }
      const list = verdicts.get(request.method) ?? [];
      list.push(
        `${verdict === "ok" ? "ok   " : "FAIL "} ${client} ${request.section}: ${key.slice(0, 200)}${
          verdict === "ok" ? "" : ` → ${verdict}`
        }`,
      );
      verdicts.set(request.method, list);
    }
  }
  session.stop();
  const failing = [...verdicts].filter(([, lines]) => lines.some((line) => line.startsWith("FAIL")));
  for (const [, lines] of failing) write(lines.join("\n"));
  write(
    `\n${verdicts.size} methods replayed, ${failing.length} with a failing call: ${
      failing.map(([method]) => method).join(", ")
    }`,
  );
} finally {
  await proc.stop();
  await upstream.stop();
  await home.cleanup();
}
