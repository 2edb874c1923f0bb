// The reference `openclaw tui` (OpenClaw 2026.9.6, a test client) in tmux against our gateway: it
// connects, sends a message and shows the fake model's answer as it streams, and nothing it asks
// for is answered "unknown method" (nor with any other error). Its frames pass through a logging
// relay; tools/record_reference_clients.ts runs the same session against the reference.
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { judgeTuiSessionBySection, runTuiSession } from "../support/reference_tui_session.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "reference-tui-token-0123456789abcdef";

Deno.test("the reference TUI against our gateway: connects, sends, shows the streamed answer, no unknown method", async (t) => {
  requirePeer();
  const upstream = startFakeUpstream();
  const port = freePort();
  // The fake's "slow" model: 100 ms between chunks, so the answer visibly streams.
  const home = await tempHome(clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "slow" }));
  const { proc } = await startGateway({ home: home.home, port });
  // A short directory of its own for the tmux socket and the TUI's home.
  const dir = await Deno.makeTempDir({ prefix: "oc-tui-" });
  try {
    const session = await runTuiSession({ gatewayPort: port, token: TOKEN, dir, stepTimeoutMs: 20_000 });
    for (const { section, failures } of judgeTuiSessionBySection(session)) {
      await t.step(
        section,
        () =>
          assert.equal(failures.length, 0, `${section}:\n${failures.join("\n")}\n\nlast screen:\n${session.screen}`),
      );
    }
    assert.ok(session.screen.includes(FAKE_ANSWER), `the answer is on the last screen:\n${session.screen}`);
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
