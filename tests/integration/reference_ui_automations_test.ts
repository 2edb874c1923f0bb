// The reference's own Control UI Automations page (`/automations`, OpenClaw 2026.9.6's
// dist/control-ui, a test client never shipped) against our gateway: the job list shows a job made
// over RPC, its detail opens with its run history, and "Run now" runs it, with no request of the
// visit refused (the same visit against the reference gateway answers every request ok); pausing and
// resuming it (edits guarded by `expectedConfigRevision`) and creating one through the form work too.
import assert from "node:assert/strict";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { visitAutomations } from "../support/reference_ui_automations.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { sectionFailures } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-cron-token-0123456789abcdef";

Deno.test("the reference Control UI's Automations page lists, pauses, opens, runs and creates jobs on our gateway", async (t) => {
  requirePeer();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  const { browser, stop } = await launchBrowser();
  try {
    await until(async () => (await session.request<{ enabled: boolean }>("cron.status", {})).enabled, "the scheduler");
    await session.request("cron.add", {
      name: "Morning brief",
      schedule: { kind: "cron", expr: "0 7 * * *", tz: "UTC" },
      sessionTarget: "isolated",
      payload: { kind: "agentTurn", message: "Summarize overnight updates." },
      delivery: { mode: "none" },
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const visit = await visitAutomations({
      page,
      server,
      gatewayPort: port,
      token: TOKEN,
      jobName: "Morning brief",
      createName: "Build watch",
      stepTimeoutMs: 10_000,
      screenshotDir: SCREENSHOT_DIR,
    });
    for (const section of ["automations list", "pause and resume", "automation detail", "run now", "create"]) {
      await t.step(section, () => {
        const failures = sectionFailures(visit.log, section, visit.problems);
        assert.equal(failures.length, 0, `${section}:\n${failures.join("\n")}`);
      });
    }
    const list = visit.log.requests.find((r) =>
      r.method === "cron.list" && (r.params as { compact?: boolean }).compact
    );
    const jobs = (list?.answer?.payload as { jobs: { name: string }[] } | undefined)?.jobs ?? [];
    assert.deepEqual(jobs.map((job) => job.name), ["Morning brief"]);
  } finally {
    await stop();
    session.stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
