// The reference `openclaw tui` (OpenClaw 2026.9.6) in tmux against our gateway after our own
// Anthropic API-key onboard: its `/model` picker lists the built-in catalog our `models.list`
// publishes (it asks with `includeDetails`, as our hello advertises the published catalog), and
// picking `anthropic/claude-sonnet-5` patches the session (`sessions.patch`), which our gateway
// accepts because the provider has a key.
import assert from "node:assert/strict";
import { onboardedHome } from "../support/onboarded_home.ts";
import { PEER_OPENCLAW, peerEnv, requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway } from "../support/spawn_gateway.ts";
import { TmuxTui } from "../support/tmux_tui.ts";
import { until } from "../support/until.ts";

Deno.test("the reference TUI's /model picker lists our published catalog and picking anthropic/claude-sonnet-5 sets it", async () => {
  requirePeer();
  const onboarded = await onboardedHome("sk-ant-stored-one");
  const { proc, port } = await startGateway({
    home: onboarded.home,
    env: onboarded.env,
    args: ["--allow-unconfigured"],
  });
  const dir = await Deno.makeTempDir({ prefix: "oc-tui-model-" });
  const tuiHome = `${dir}/tui-home`;
  await Deno.mkdir(tuiHome);
  let tui: TmuxTui | undefined;
  try {
    tui = await TmuxTui.start({
      dir,
      argv: [PEER_OPENCLAW, "tui", "--url", `ws://127.0.0.1:${port}`, "--token", onboarded.token],
      env: peerEnv({
        home: tuiHome,
        stateDir: `${tuiHome}/.openclaw`,
        configPath: `${tuiHome}/.openclaw/openclaw.json`,
      }, {
        CI: "",
      }),
      cwd: tuiHome,
    });
    await tui.waitFor(/connected \| idle/, "the TUI connected and idle", 90_000).catch((error) => {
      throw new Error(`${error.message}\ngateway:\n${[...proc.stdout, ...proc.stderr].join("\n")}`);
    });
    await tui.type("/model");
    await tui.press("Enter");
    const picker = await tui.waitFor(/anthropic\/claude-sonnet-5/, "the picker lists the catalog's sonnet 5", 30_000);
    for (const row of ["anthropic/claude-opus-5", "anthropic/claude-haiku-4-5", "anthropic/claude-fable-5-1"]) {
      assert.ok(picker.includes(row), `the picker lists ${row}:\n${picker}`);
    }
    // The picker's search narrows the list to the one row before Enter picks it.
    await tui.type("sonnet-5");
    const session = tui;
    await until(async () => !(await session.screen()).includes("claude-haiku-4-5"), "the search narrows the list");
    await tui.press("Enter");
    await tui.waitFor(/model set to anthropic\/claude-sonnet-5/, "the TUI says the model is set", 20_000);
    const client = await connectReference({ port, token: onboarded.token, scopes: ["operator.read"] });
    try {
      const listed = await client.request<{ sessions: { key: string; model?: string; modelProvider?: string }[] }>(
        "sessions.list",
        {},
      );
      const main = listed.sessions.find((s) => s.key === "agent:main:main");
      assert.deepEqual([main?.modelProvider, main?.model], ["anthropic", "claude-sonnet-5"], JSON.stringify(listed));
    } finally {
      client.stop();
    }
  } finally {
    await tui?.stop();
    await proc.stop();
    await onboarded.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
