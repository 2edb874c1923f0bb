// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the test)
// against our gateway: a session that a cron job is bound to opens from its link (`sessions.resolve`
// with the UI's `reference`), its row says `hasAutomation`, so hovering it in the sidebar offers
// "Automation attached", and that link opens the session's cron view, which asks `cron.list` with
// `sessionKey`/`sessionAgentId` and shows the job, as the same steps show it against the reference. A job
// added, disabled, enabled and removed while the page is open turns another session's "Automation
// attached" on and off live, as the reference's `sessions.changed` (reason `cron-binding`) does.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { openUiPage } from "../support/reference_ui_page.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-ui-session-cron-token-0123456789";

/** What the same steps got from the reference gateway (tools/record_reference_ui_surfaces.ts). */
const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/reference_ui_surfaces/ref.json", import.meta.url)),
) as { cron: { resolve: { answer: unknown }; scopedList: { names: string[] }; pageText: string[] } };
/** What the reference sent a subscribed client for the same cron edits (tools/record_reference_ui_live.ts). */
const LIVE = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/reference_ui_live/ref.json", import.meta.url)),
) as { cron: Record<"added" | "disabled" | "enabled" | "removed", { reason?: string; hasAutomation?: boolean }[]> };
const SESSION = "agent:main:project-x";
const LATER = "agent:main:later";

/** A chat event's `state`. */
function stateOf(payload: unknown): string | undefined {
  return (payload as { state?: string } | undefined)?.state;
}
const JOB = "Project X digest";

Deno.test("the reference Control UI opens a session's cron view from the session and shows the job bound to it", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  const { browser, stop } = await launchBrowser();
  try {
    await client.request("chat.send", { sessionKey: SESSION, message: "project x kickoff", idempotencyKey: "seed" });
    await until(
      () => client.events.some((e) => e.event === "chat" && stateOf(e.payload) === "final"),
      "the seed turn's answer",
    );
    await client.request("chat.send", { sessionKey: LATER, message: "later kickoff", idempotencyKey: "seed-later" });
    await until(
      () => client.events.filter((e) => e.event === "chat" && stateOf(e.payload) === "final").length >= 2,
      "the second seed turn's answer",
    );
    await until(async () => (await client.request<{ enabled: boolean }>("cron.status", {})).enabled, "the scheduler");
    await client.request("cron.add", {
      name: JOB,
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: `session:${SESSION}`,
      payload: { kind: "agentTurn", message: "digest" },
    });
    await client.request("cron.add", {
      name: "Unrelated job",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: "isolated",
      payload: { kind: "agentTurn", message: "other" },
    });
    const { page, log, settled } = await openUiPage(browser, {
      server,
      gatewayPort: port,
      token: TOKEN,
      route: "/chat/main/project-x",
    });
    await page.getByRole("textbox", { name: "Chat composer" }).waitFor({ timeout: 30_000 });
    await page.getByText("project x kickoff").first().waitFor({ timeout: 30_000 });
    const resolved = log.requests.find((r) => r.method === "sessions.resolve");
    assert.deepEqual(resolved?.answer?.payload, RECORDED.cron.resolve.answer);
    await settled();
    // The session's row in the sidebar; hovering it shows its card with the automation link.
    await page.getByRole("link", { name: "project-x" }).first().hover({ timeout: 15_000 });
    const link = page.getByRole("link", { name: "Automation attached" });
    await link.click({ timeout: 15_000 });
    assert.ok(RECORDED.cron.pageText.includes("Automations attached to this session."));
    await page.getByText("Automations attached to this session.").waitFor({ timeout: 30_000 });
    await page.getByText(JOB).first().waitFor({ timeout: 30_000 });
    await settled();
    const scoped = log.requests.filter((r) =>
      r.method === "cron.list" && (r.params as { sessionKey?: string }).sessionKey
    );
    assert.ok(scoped.length > 0, "the cron view asked cron.list for the session");
    assert.deepEqual(
      [
        (scoped[0]!.params as Record<string, unknown>).sessionKey,
        (scoped[0]!.params as Record<string, unknown>).sessionAgentId,
      ],
      [SESSION, "main"],
    );
    const names = (scoped.at(-1)!.answer?.payload as { jobs: { name: string }[] }).jobs.map((job) => job.name);
    assert.deepEqual(names, [JOB]);
    assert.deepEqual(names, RECORDED.cron.scopedList.names, "the reference lists the same job");
    assert.equal(await page.getByText("Unrelated job").count(), 0, "only the session's jobs are shown");

    // Live: a job bound to another session, added, disabled and removed while the page is open, offers and
    // drops that session's "Automation attached" without a reload, from the `sessions.changed` the
    // reference sends (reason `cron-binding`, with the row).
    const attached = async (present: boolean) => {
      await page.mouse.move(0, 0);
      await page.getByRole("link", { name: "later" }).first().hover({ timeout: 15_000 });
      await until(
        async () => (await page.getByRole("link", { name: "Automation attached" }).count() > 0) === present,
        `"Automation attached" ${present ? "offered" : "gone"} for the later session`,
        15_000,
      );
    };
    const bindingEvents = () =>
      log.events.filter((e) =>
        e.event === "sessions.changed" && (e.payload as { reason?: string }).reason === "cron-binding" &&
        (e.payload as { sessionKey?: string }).sessionKey === LATER
      ).map((e) => (e.payload as { hasAutomation?: boolean }).hasAutomation);
    await attached(false);
    const later = await client.request<{ id: string }>("cron.add", {
      name: "Later digest",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: `session:${LATER}`,
      payload: { kind: "agentTurn", message: "digest" },
    });
    await attached(true);
    await client.request("cron.update", { id: later.id, patch: { enabled: false } });
    await attached(false);
    await client.request("cron.update", { id: later.id, patch: { enabled: true } });
    await attached(true);
    await client.request("cron.remove", { id: later.id });
    await attached(false);
    // The same events, in order, as the reference sent for the same steps.
    assert.deepEqual(bindingEvents(), [true, false, true, false]);
    const recorded = LIVE.cron;
    assert.deepEqual(
      [recorded.added, recorded.disabled, recorded.enabled, recorded.removed].map((events) =>
        events.filter((e) => e.reason === "cron-binding").map((e) => e.hasAutomation)
      ),
      [[true], [false], [true], [false]],
    );
  } finally {
    client.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
