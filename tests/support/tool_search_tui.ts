// The Tool Search run of tests/support/tool_search_ui.ts sent from the reference's `openclaw tui` (in tmux), shared
// by tools/record_reference_tool_search_tui.ts and tests/integration/reference_tui_tool_search_test.ts: what the TUI
// draws of the run live (verbose on: each call's card) and in a TUI opened afterwards (drawn from `chat.history`).
import { PEER_OPENCLAW, peerEnv } from "./peer.ts";
import { TmuxTui } from "./tmux_tui.ts";
import { FrameLog } from "./ws_frame_log.ts";
import { startWsRelay } from "./ws_relay.ts";
import { SEARCH_UI_ANSWER, SEARCH_UI_MESSAGE, searchUiConfig } from "./tool_search_ui.ts";

/** The run as a TUI draws it: its lines from the sent message to the answer, trailing blanks cut, empty ones left out. */
export interface TuiSearchView {
  live: string[];
  later: string[];
}

/** Both gateways' config for the TUI: the Control UI's, with tool cards shown (`verboseDefault: "on"`). */
export function searchTuiConfig(
  input: { port: number; token: string; upstreamUrl: string; workspace: string },
): Record<string, unknown> {
  const config = searchUiConfig({ ...input, uiOrigin: "http://127.0.0.1:9" });
  (config.agents as { defaults: Record<string, unknown> }).defaults.verboseDefault = "on";
  return config;
}

/** The lines of `screen` from the sent message through the answer. */
export function runLines(screen: string): string[] {
  const lines = screen.split("\n").map((line) => line.trimEnd()).filter((line) => line.trim() !== "");
  const from = lines.findIndex((line) => line.includes(SEARCH_UI_MESSAGE));
  const to = lines.findIndex((line) => line.includes(SEARCH_UI_ANSWER));
  return from === -1 || to === -1 ? lines : lines.slice(from, to + 1);
}

/**
 * Whether a frame the live TUI sends is the history reload it asks for once its run ends (`chat.history` after its
 * `chat.send`): held by the relay, so the screen read at idle is what the TUI drew from the run's events. Left to
 * reach the gateway, the reload redraws the run from history as soon as the gateway answers, and whether the idle
 * screen showed the live cards or the redrawn ones depended on which came first.
 */
function historyReloadHold(): (text: string) => boolean {
  let sent = false;
  return (text) => {
    const method = (JSON.parse(text) as { method?: unknown }).method;
    if (method === "chat.send") sent = true;
    return sent && method === "chat.history";
  };
}

/**
 * Sends the message from a TUI against the gateway on `port` and reads the run once it is idle (its history reload
 * held back, {@link historyReloadHold}), then opens a second TUI and reads the run it draws from history. Each TUI
 * lives under `dir` and is stopped (by PID) before this returns.
 */
export async function searchFromTui(input: { dir: string; port: number; token: string }): Promise<TuiSearchView> {
  const open = async (name: string, url: string) => {
    const home = `${input.dir}/${name}`;
    await Deno.mkdir(home, { recursive: true });
    const tui = await TmuxTui.start({
      dir: home,
      argv: [PEER_OPENCLAW, "tui", "--url", url, "--token", input.token],
      env: peerEnv({ home, stateDir: `${home}/.openclaw`, configPath: `${home}/.openclaw/openclaw.json` }, { CI: "" }),
      cwd: home,
    });
    try {
      await tui.waitFor(/connected \| idle/, "the TUI connected and idle", 60_000);
    } catch (error) {
      await tui.stop();
      throw error;
    }
    return tui;
  };
  const answer = SEARCH_UI_ANSWER.replace(/\./g, "\\.");
  const relay = await startWsRelay(input.port, new FrameLog(), { hold: historyReloadHold() });
  let liveScreen: string;
  try {
    const live = await open("live", relay.url);
    try {
      await live.type(SEARCH_UI_MESSAGE);
      await live.press("Enter");
      liveScreen = await live.waitFor(
        new RegExp(`${answer}[\\s\\S]*connected \\| idle`),
        "the answer, then idle",
        120_000,
      );
    } finally {
      await live.stop();
    }
  } finally {
    await relay.stop();
  }
  const later = await open("later", `ws://127.0.0.1:${input.port}`);
  try {
    const laterScreen = await later.waitFor(new RegExp(answer), "the run drawn from chat.history", 60_000);
    return { live: runLines(liveScreen), later: runLines(laterScreen) };
  } finally {
    await later.stop();
  }
}
