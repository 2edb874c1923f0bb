// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the
// test) in headless Chromium against our gateway after our own Anthropic API-key onboard: the chat
// composer's model picker lists the catalog our `models.list` publishes (its configured view, asked
// with the session key), and choosing Claude Sonnet 5 patches the session (`sessions.patch` with
// `anthropic/claude-sonnet-5`), which our gateway accepts because the provider has a key.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { onboardedHome } from "../support/onboarded_home.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { startReferenceUiServer, uiLink } from "../support/reference_ui_server.ts";
import { startGateway } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

/** The picker rows of the onboarded catalog, as the UI labels them (name, alias, route). */
const ROWS = [
  "Claude Opus 5 · opus. Configured route",
  "Claude Fable 5.1. Configured route",
  "Claude Haiku 4.5. Configured route",
  "claude-sonnet-4-6. Configured route",
  "Claude Sonnet 5 · sonnet. Configured route",
];

Deno.test("the reference Control UI's model picker lists our published catalog and choosing Claude Sonnet 5 sets it", async () => {
  requirePeer();
  const onboarded = await onboardedHome("sk-ant-stored-one");
  const server = await startReferenceUiServer();
  const configPath = `${onboarded.root}/openclaw.json`;
  const config = JSON.parse(await Deno.readTextFile(configPath));
  config.gateway.controlUi = { allowedOrigins: [server.origin] };
  await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
  const { proc, port } = await startGateway({
    home: onboarded.home,
    env: onboarded.env,
    args: ["--allow-unconfigured"],
  });
  const { browser, stop } = await launchBrowser();
  const client = await connectReference({ port, token: onboarded.token, scopes: ["operator.read"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(uiLink(server, "/chat/main", port, onboarded.token));
    await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 30_000 });
    await page.getByRole("textbox", { name: "Chat composer" }).waitFor({ timeout: 30_000 });
    // The composer's picker shows the session's model: the onboarded default, by its catalog name and alias.
    const trigger = page.getByText("Claude Opus 5 · opus").first();
    await trigger.click({ timeout: 30_000 });
    await page.getByRole("button", { name: "Anthropic models (9)" }).click({ timeout: 15_000 });
    for (const row of ROWS) await page.locator(`[aria-label="${row}"]`).waitFor({ timeout: 15_000 });
    await page.locator('[aria-label="Claude Sonnet 5 · sonnet. Configured route"]').click({ timeout: 15_000 });
    const sessionModel = async () => {
      const listed = await client.request<{ sessions: { key: string; modelProvider?: string; model?: string }[] }>(
        "sessions.list",
        {},
      );
      const main = listed.sessions.find((s) => s.key === "agent:main:main");
      return `${main?.modelProvider}/${main?.model}`;
    };
    await until(async () => await sessionModel() === "anthropic/claude-sonnet-5", "the session's model patched");
    await page.getByText("Claude Sonnet 5 · sonnet").first().waitFor({ timeout: 15_000 });
    assert.equal(await sessionModel(), "anthropic/claude-sonnet-5");
  } finally {
    client.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await onboarded.cleanup();
  }
});
