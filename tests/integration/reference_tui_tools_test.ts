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
  // Tool Search off (tools.toolSearch): the scripted model calls agents_list by name.
  config.tools = { toolSearch: false };
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port });
  const dir = await Deno.makeTempDir({ prefix: "oc-tui-tools-" });
  let tui: TmuxTui | undefined;
  try {
    const open = async (name: string) => {
      const tuiHome = `${dir}/${name}`;
      await Deno.mkdir(tuiHome, { recursive: true });
      const started = await TmuxTui.start({
        dir: tuiHome,
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
      tui = started;
      await started.waitFor(/connected \| idle/, "the TUI connected and idle", 30_000);
      return started;
    };
    const live = await open("live");
    await live.type("Which agents are there?");
    await live.press("Enter");
    const screen = await live.waitFor(
      new RegExp(`${ANSWER.replace(/\./g, "\\.")}[\\s\\S]*connected \\| idle`),
      "the answer, then the TUI idle again",
      30_000,
    );
    // The message, the tool's card (its title and state, as the TUI renders a finished call), then the answer.
    const shown = /Which agents are there\?[\s\S]*Agents \(completed\)[\s\S]*Both agents are listed above\./;
    assert.match(screen, shown, screen);
    await live.stop();
    tui = undefined;

    // A TUI opened afterwards draws the run from chat.history: the call's card as the live one (from the history's
    // `activity` items), between the message and the answer, as it draws it against the reference's gateway (seen).
    const later = await open("later");
    const stored =
      /Which agents are there\?[\s\S]*Agents \(completed\)\s*\n\s*\{\}[\s\S]*Both agents are listed above\./;
    assert.match(await later.waitFor(stored, "the run redrawn from chat.history", 30_000), stored);
  } finally {
    await tui?.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
