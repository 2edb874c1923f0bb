// The reference `openclaw tui` (OpenClaw 2026.9.6) in tmux against our gateway shows a run's tool
// call: the model calls agents_list, the TUI shows the call (tool events, verbose on by the agents'
// `verboseDefault`) and then the answer.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { PEER_OPENCLAW, peerEnv, requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { TmuxTui } from "../support/tmux_tui.ts";

const TOKEN = "reference-tui-tools-token-0123456789";
const ANSWER = "Both agents are listed above.";

Deno.test("the reference TUI against our gateway shows a run's tool call and its answer", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  upstream.script("tui-tools", [
    { toolCalls: [{ id: "call_tui", name: "agents_list", args: {} }] },
    { text: ANSWER },
  ]);
  const port = freePort();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "tui-tools" });
  // The TUI shows tool calls when the session's verbose level is on: the agents' default here.
  const agents = config.agents as { defaults: Record<string, unknown> };
  agents.defaults.verboseDefault = "on";
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port });
  const dir = await Deno.makeTempDir({ prefix: "oc-tui-tools-" });
  let tui: TmuxTui | undefined;
  try {
    const tuiHome = `${dir}/tui-home`;
    await Deno.mkdir(tuiHome, { recursive: true });
    tui = await TmuxTui.start({
      dir,
      argv: [PEER_OPENCLAW, "tui", "--url", `ws://127.0.0.1:${port}`, "--token", TOKEN],
      env: peerEnv({
        home: tuiHome,
        stateDir: `${tuiHome}/.openclaw`,
        configPath: `${tuiHome}/.openclaw/openclaw.json`,
      }, {
        CI: "",
      }),
      cwd: tuiHome,
    });
    await tui.waitFor(/connected \| idle/, "the TUI connected and idle", 30_000);
    await tui.type("Which agents are there?");
    await tui.press("Enter");
    const screen = await tui.waitFor(
      new RegExp(`${ANSWER.replace(/\./g, "\\.")}[\\s\\S]*connected \\| idle`),
      "the answer, then the TUI idle again",
      30_000,
    );
    // The message, the tool's card (its title and state, as the TUI renders a finished call), then the answer.
    assert.match(
      screen,
      /Which agents are there\?[\s\S]*Agents \(completed\)[\s\S]*Both agents are listed above\./,
      screen,
    );
  } finally {
    await tui?.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
