// The reference `openclaw tui` (OpenClaw 2026.9.6, a test client) in tmux against our gateway: it
// connects, sends a message and shows the fake model's answer as it streams, and nothing it asks
// for is answered "unknown method". Its frames pass through a logging relay.
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { runTuiSession } from "../support/reference_tui_session.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { isUnknownMethod, streamedAnswer } from "../support/ws_frame_log.ts";

const TOKEN = "reference-tui-token-0123456789abcdef";

Deno.test("the reference TUI against our gateway: connects, sends, shows the streamed answer, no unknown method", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "slow" }));
  const { proc } = await startGateway({ home: home.home, port });
  // A short directory of its own for the tmux socket and the TUI's home.
  const dir = await Deno.makeTempDir({ prefix: "oc-tui-" });
  try {
    const session = await runTuiSession({ gatewayPort: port, token: TOKEN, dir, stepTimeoutMs: 20_000 });
    const { log } = session;
    const failures: string[] = [];
    const unknown = log.unknownReport();
    if (unknown) failures.push(unknown);
    const errors = log.requests.filter((r) => r.answer?.ok === false && !isUnknownMethod(r))
      .map((r) => `  ${r.section}: ${r.method} → ${r.answer?.error?.message}`);
    if (errors.length > 0) failures.push(`other error answers:\n${[...new Set(errors)].join("\n")}`);
    if (session.problems.length > 0) failures.push(`steps that failed:\n  ${session.problems.join("\n  ")}`);
    if (!streamedAnswer(log, "tui send", FAKE_ANSWER)) {
      failures.push(`the answer did not stream: no partial "chat" delta before the final "${FAKE_ANSWER}"`);
    }
    assert.equal(
      failures.length,
      0,
      `against our gateway (${log.requests.length} requests):\n${
        failures.join("\n\n")
      }\n\nlast screen:\n${session.screen}`,
    );
    assert.match(session.screen, new RegExp(FAKE_ANSWER.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
