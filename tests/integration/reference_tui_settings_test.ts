// The reference `openclaw tui` (OpenClaw 2026.9.6) in tmux against our gateway: its session-setting slash commands
// (`/verbose`, `/reasoning`, `/usage`, `/activation`) send `sessions.patch` and show their success line, and the
// session then lists what they set; `/elevated`, a setting this gateway does not keep, shows the refusal by name.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { PEER_OPENCLAW, peerEnv, requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { TmuxTui } from "../support/tmux_tui.ts";

const TOKEN = "reference-tui-settings-token-0123456789";

/**
 * Each command and what the TUI shows once the gateway applied it: its footer's label (`/verbose` reloads the history,
 * which clears its "verbose set to" line), else its line.
 */
const COMMANDS: [string, RegExp][] = [
  ["/verbose full", /\| verbose full \|/],
  ["/reasoning on", /reasoning set to on[\s\S]*\| verbose full \| reasoning \|/],
  ["/usage tokens", /usage footer: tokens/],
  ["/activation always", /activation set to always/],
  ["/elevated on", /elevated failed: Cannot patch elevatedLevel of session agent:main:main/],
];

Deno.test("the reference TUI's /verbose, /reasoning, /usage, /activation set the session's settings on our gateway", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }));
  const { proc } = await startGateway({ home: home.home, port });
  const dir = await Deno.makeTempDir({ prefix: "oc-tui-" });
  const tuiHome = `${dir}/tui-home`;
  await Deno.mkdir(tuiHome, { recursive: true });
  let tui: TmuxTui | undefined;
  try {
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
    await tui.waitFor(/connected \| idle/, "the TUI connected and idle", 60_000);
    for (const [command, shown] of COMMANDS) {
      await tui.type(command);
      await tui.press("Enter");
      await tui.waitFor(shown, `the TUI's answer to ${command}`, 30_000);
    }
    const client = await connectReference({ port, token: TOKEN, scopes: ["operator.read"] });
    try {
      const list = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
      const main = list.sessions.find((s) => s.key === "agent:main:main");
      assert.deepEqual(
        {
          verboseLevel: main?.verboseLevel,
          reasoningLevel: main?.reasoningLevel,
          responseUsage: main?.responseUsage,
          effectiveResponseUsage: main?.effectiveResponseUsage,
        },
        { verboseLevel: "full", reasoningLevel: "on", responseUsage: "tokens", effectiveResponseUsage: "tokens" },
      );
    } finally {
      client.stop();
    }
  } finally {
    await tui?.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
