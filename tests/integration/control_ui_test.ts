import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { VERSION } from "../../src/version.ts";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { connectReference } from "../support/reference_client.ts";

const TOKEN = "ui-token-0123456789abcdef0123";

// Page state is polled from the test side with until(): the UI's CSP forbids the page-side eval
// that waitForFunction uses.

/** A GET with a chosen Host header over a raw socket; returns the response head. */
async function rawGet(port: number, path: string, host: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0));
  } finally {
    conn.close();
  }
}
const BOT_TOKEN = "123:ui-bot";

Deno.test("control UI in headless Chromium: overview, streamed chat, config edit applied, logs followed, channels and pairing", async () => {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const upstream = startFakeUpstream();
  const telegram = startFakeTelegram(BOT_TOKEN);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["slow", "fail"] } } },
    agents: { defaults: { model: { primary: "fake/slow" } } },
    logging: { level: "info" },
    channels: { telegram: { botToken: BOT_TOKEN, apiRoot: telegram.url } },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const base = `http://127.0.0.1:${port}`;

    const waitText = (selector: string, text: string) => page.locator(selector, { hasText: text }).first().waitFor();
    const textIs = (selector: string, text: string) =>
      until(async () => (await page.locator(selector).first().textContent()) === text, `${selector} to read ${text}`);
    const editConfig = async (mutate: (config: Record<string, Record<string, unknown>>) => void) => {
      const config = JSON.parse(await page.inputValue("#cfg-editor"));
      mutate(config);
      await page.fill("#cfg-editor", JSON.stringify(config, null, 2));
    };

    // `openclaw dashboard` gives the link; the token rides in the fragment.
    const dashboard = await runOpenclaw(["dashboard", "--json"], { home: home.home });
    assert.equal(dashboard.code, 0, dashboard.stderr);
    const link = JSON.parse(dashboard.stdout) as { url: string; httpUrl: string; tokenIncluded: boolean };
    assert.equal(link.url, `${base}/#token=${TOKEN}`);
    assert.equal(link.httpUrl, `${base}/`);
    const printed = await runOpenclaw(["dashboard", "--no-open"], { home: home.home });
    assert.equal(printed.stdout.trim(), `Dashboard URL: ${link.url}`);

    // Overview: the token comes from the fragment, is kept in storage and leaves the address bar.
    await page.goto(link.url);
    await waitText("#conn", "Connected");
    assert.equal(new URL(page.url()).hash, "#/overview");
    // A host suspension shows in the connection pill (gateway.suspension), and clears on resume.
    const host = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
    try {
      const lease = await host.request<{ suspensionId: string }>("gateway.suspend.prepare", { requestId: "ui-1" });
      await textIs("#conn", "Suspended");
      await host.request("gateway.suspend.resume", { suspensionId: lease.suspensionId });
      await waitText("#conn", "Connected");
    } finally {
      host.stop();
    }
    assert.equal(await page.evaluate(`localStorage.getItem("openclaw.control.token")`), TOKEN);
    await textIs("#ov-health", "Healthy");
    assert.equal(await page.textContent("#ov-version"), VERSION);
    await waitText("#ov-presence tbody td", "ui");
    await waitText("#ov-channels li", "Telegram: connected");
    // A bad edit on disk shows at once as a config error, and clears once the file is good again.
    const good = await Deno.readTextFile(home.configPath);
    await Deno.writeTextFile(home.configPath, `{ gateway: { mode: "local", bogusKey: 1 } }`);
    await textIs("#ov-health", "Config error");
    await waitText("#ov-problems li", "bogusKey");
    await Deno.writeTextFile(home.configPath, good);
    await textIs("#ov-health", "Healthy");
    assert.ok(!(await page.content()).includes(TOKEN), "the token is never rendered into the page");
    assert.equal(await page.isHidden("#limited"), true, "full access: the page's device was paired over loopback");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/overview.png`, fullPage: true });

    // Chat: the answer streams in (a partial answer is seen before the final one).
    await page.click('nav a[data-page="chat"]');
    // The page's own signal that the session's history is in (it was once wiped over a sent message).
    await page.locator('#chat-log[aria-busy="false"]').waitFor({ state: "attached" });
    await page.fill("#chat-input", "Hello agent");
    await page.press("#chat-input", "Enter");
    await until(
      async () => {
        const text = await page.locator("#chat-log li.assistant").first().textContent().catch(() => "") ?? "";
        return text.length > 0 && text !== FAKE_ANSWER;
      },
      // The bubble is there from the run's first status event, empty until the first piece lands.
      "a partial answer",
    );
    await textIs("#chat-log li.assistant", FAKE_ANSWER);
    assert.equal(await page.textContent("#chat-log li.user"), "Hello agent");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/chat.png`, fullPage: true });
    // History survives a reload of the page.
    await page.reload();
    await page.locator('#chat-log[aria-busy="false"]').waitFor({ state: "attached" });
    await textIs("#chat-log li.assistant", FAKE_ANSWER);
    // Stop: a second answer is aborted mid-stream and says so.
    await page.fill("#chat-input", "Tell me more");
    await page.click("#chat-send");
    await until(
      async () =>
        ((await page.locator("#chat-log li.assistant").nth(1).textContent().catch(() => "")) ?? "").length > 0,
      "a second partial answer",
    );
    await page.click("#chat-abort");
    await waitText("#chat-status", "Stopped.");
    assert.match(await page.locator("#chat-log li.assistant").nth(1).textContent() ?? "", /\[stopped\]$/);
    // A run the provider refuses: one error bubble, in the reference's reply words (its chat error, then the reply).
    const patched = await runOpenclaw([
      "gateway",
      "call",
      "sessions.patch",
      "--port",
      String(port),
      "--token",
      TOKEN,
      "--json",
      "--params",
      JSON.stringify({ key: "agent:main:main", model: "fake/fail" }),
    ], { home: home.home });
    assert.equal(patched.code, 0, patched.stderr);
    await page.fill("#chat-input", "This one fails");
    await page.click("#chat-send");
    await textIs(
      "#chat-log li.error",
      "⚠️ Agent failed before reply: LLM request failed: provider rejected the request schema or tool payload.\n" +
        "To view logs, run `openclaw logs --follow` in a terminal.",
    );
    assert.equal(await page.locator("#chat-log li.error").count(), 1);

    // Config: an invalid edit shows the gateway's validation errors; a hot-safe edit is applied.
    await page.click('nav a[data-page="config"]');
    await until(async () => (await page.inputValue("#cfg-editor")).includes("logging"), "the config in the editor");
    await editConfig((config) => config.gateway!.port = "not a port");
    await page.click("#cfg-save");
    await waitText("#cfg-result li", "gateway.port");
    await page.click("#cfg-reload");
    await until(async () => !(await page.inputValue("#cfg-editor")).includes("not a port"), "the edit discarded");
    await editConfig((config) => config.logging!.level = "debug");
    await page.click("#cfg-save");
    await waitText("#cfg-result", "applied without a restart: logging.level");
    assert.match(await page.textContent("#cfg-changes") ?? "", /Changing: logging\.level/);
    const onDisk = JSON.parse(await Deno.readTextFile(home.configPath));
    assert.equal(onDisk.logging.level, "debug");
    assert.equal(onDisk.gateway.auth.token, TOKEN, "the redacted token was restored, not overwritten");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/config.png`, fullPage: true });

    // Logs: existing lines, then new ones as they are written (follow), and the level filter.
    await page.click('nav a[data-page="logs"]');
    await waitText("#logs-out span", "listening on ws://");
    telegram.push(telegram.text(42, "hello from telegram"));
    await waitText("#logs-out span", "telegram pairing request");
    await page.selectOption("#logs-level", "ERROR");
    assert.equal(await page.locator("#logs-out span:visible", { hasText: " INFO " }).count(), 0);
    await page.selectOption("#logs-level", "INFO");
    assert.ok(await page.locator("#logs-out span:visible", { hasText: " INFO " }).count() > 0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/logs.png`, fullPage: true });

    // Channels: live probe, and the pending DM request approved from the page.
    await page.click('nav a[data-page="channels"]');
    await waitText("#ch-pairing tbody td", "42");
    await page.click("#ch-probe");
    await waitText("#ch-accounts tbody td", "works");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/channels.png`, fullPage: true });
    await page.click("#ch-pairing tbody button:text('Approve')");
    await waitText("#ch-pairing tbody td", "No pending requests");
    await telegram.waitForSent((s) =>
      s.some((m) => m.chatId === 42 && m.text.startsWith("✅ OpenClaw access approved."))
    );
  } finally {
    await stop();
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("control UI: security headers and CSP, fixed routes only, rebinding hosts and foreign origins refused", async () => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port, auth: { token: TOKEN } } });
  const { proc } = await startGateway({ home: home.home, port });
  const foreign = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () =>
    new Response(
      `<!doctype html><title>waiting</title><script>
        const ws = new WebSocket("ws://127.0.0.1:${port}/");
        ws.onopen = () => { document.title = "opened"; };
        ws.onclose = (e) => { if (document.title !== "opened") document.title = "refused " + e.code; };
      </script>`,
      { headers: { "content-type": "text/html" } },
    ));
  const { browser, stop } = await launchBrowser();
  try {
    const page = await fetch(`http://127.0.0.1:${port}/`);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(
      page.headers.get("content-security-policy") ?? "",
      /default-src 'none'; script-src 'self'.*frame-ancestors 'none'/,
    );
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.ok(!html.includes(TOKEN) && !/<script>(?!<\/script>)/.test(html), "no secrets, no inline script");
    for (const path of ["/assets/app.js", "/assets/app.css"]) {
      const asset = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(asset.status, 200, path);
      await asset.body?.cancel();
    }
    for (
      const path of [
        "/assets/../../etc/passwd",
        "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/assets/app.js.map",
      ]
    ) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(response.status, 404, path);
      assert.ok(!(await response.text()).includes("root:"), path);
    }
    // DNS rebinding: a name that resolves here but is someone else's gets no UI (fetch cannot forge Host).
    assert.match(await rawGet(port, "/", `attacker.example:${port}`), /^HTTP\/1\.1 421 /);
    assert.match(await rawGet(port, "/", `localhost:${port}`), /^HTTP\/1\.1 200 /);

    // A page from another origin cannot open the gateway's WebSocket.
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${(foreign.addr as Deno.NetAddr).port}/`);
    await until(async () => (await tab.title()) !== "waiting", "the foreign page's verdict");
    assert.match(await tab.title(), /^refused/);
    await proc.waitForLine(/refused WebSocket from origin http:\/\/127\.0\.0\.1:\d+/);
  } finally {
    await stop();
    await foreign.shutdown();
    await proc.stop();
    await home.cleanup();
  }
});

/** What a page-side connect without a device identity is granted (the page holds the token). */
const DEVICELESS_CONNECT = `new Promise((resolve) => {
  const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/");
  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.event === "connect.challenge") {
      ws.send(JSON.stringify({ type: "req", id: "x", method: "connect", params: {
        minProtocol: 4, maxProtocol: 4, role: "operator", scopes: ["operator.admin"],
        client: { id: "openclaw-control-ui", version: "t", platform: "web", mode: "ui" },
        auth: { token: localStorage.getItem("openclaw.control.token") } } }));
    } else if (frame.type === "res") {
      ws.close();
      resolve(frame.ok ? frame.payload.auth.scopes : frame.error.message);
    }
  };
})`;

Deno.test("control UI device pairing: silent on loopback, approved with openclaw devices elsewhere, nothing without a device", async () => {
  const port = freePort();
  // The trusted proxy lets a browser context appear to come from elsewhere (X-Forwarded-For).
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN }, trustedProxies: ["127.0.0.1"] },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const link = `http://127.0.0.1:${port}/#token=${TOKEN}`;
    // Loopback: the page makes its key, signs the challenge, is paired silently and has admin.
    const local = await browser.newPage();
    await local.goto(link);
    await local.locator("#conn", { hasText: "Connected" }).waitFor();
    assert.equal(await local.isHidden("#limited"), true);
    const uiDevices = pairedDevices(home.stateDir);
    assert.equal(uiDevices.length, 1);
    assert.equal(uiDevices[0]!.clientId, "openclaw-control-ui");
    assert.equal(uiDevices[0]!.approvedVia, "silent");
    assert.ok(uiDevices[0]!.scopes.includes("operator.admin"));
    // The same browser, same origin and token, but no device identity: no scope at all.
    assert.deepEqual(await local.evaluate(DEVICELESS_CONNECT), []);
    // A reload reuses the stored identity: still one paired device.
    await local.reload();
    await local.locator("#conn", { hasText: "Connected" }).waitFor();
    assert.equal(pairedDevices(home.stateDir).length, 1);

    // Not on loopback: the token is accepted but the browser waits for approval.
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.50" } });
    const remote = await context.newPage();
    await remote.goto(link);
    await remote.locator("#pairing-command", { hasText: "openclaw devices approve " }).waitFor();
    assert.equal(await remote.isHidden("#login"), true);
    const command = (await remote.textContent("#pairing-command")) ?? "";
    const requestId = command.replace("openclaw devices approve ", "").trim();
    const listed = await runOpenclaw(["devices", "list", "--json"], { home: home.home });
    assert.equal(listed.code, 0, listed.stderr);
    const pending = JSON.parse(listed.stdout).pending as { requestId: string; remoteIp: string }[];
    assert.deepEqual(pending.map((r) => [r.requestId, r.remoteIp]), [[requestId, "203.0.113.50"]]);
    const approved = await runOpenclaw(["devices", "approve", requestId], { home: home.home });
    assert.equal(approved.code, 0, approved.stderr);
    // The page retries on its own and gets in with full access.
    await remote.locator("#conn", { hasText: "Connected" }).waitFor({ timeout: 15_000 });
    assert.equal(await remote.isHidden("#limited"), true);
    await remote.screenshot({ path: `${SCREENSHOT_DIR}/paired.png`, fullPage: true });
    await context.close();
  } finally {
    await stop();
    await proc.stop();
    await home.cleanup();
  }
});

/** The paired devices as the reference's table holds them. */
function pairedDevices(stateDir: string): { clientId: string; approvedVia: string; scopes: string[] }[] {
  const db = new DatabaseSync(`${stateDir}/state/openclaw.sqlite`, { readOnly: true });
  try {
    const rows = db.prepare("SELECT client_id, approved_via, scopes_json FROM device_pairing_paired").all();
    return rows.map((row) => ({
      clientId: String(row.client_id),
      approvedVia: String(row.approved_via),
      scopes: JSON.parse(String(row.scopes_json)) as string[],
    }));
  } finally {
    db.close();
  }
}
