// Records how the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) keeps a session's read and pin state:
// what `sessions.patch` with `unread: false|true` (with and without `expectedMarkedUnreadAt`) and
// `pinned: true|false` answers, what it stores (the entry fields and the promoted columns of the agent
// database), what the `sessions.list` row and the `sessions.changed` event then carry, how `unread` follows
// activity after a read, and what the reference's own Control UI sends when a session whose run failed is
// opened. Writes tests/fixtures/session_read_state/<target>.json.
//
//   deno run -A tools/record_reference_session_read_state.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh) and Debian's chromium.
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { openUiPage } from "../tests/support/reference_ui_page.ts";
import { startReferenceUiServer } from "../tests/support/reference_ui_server.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";
import { readStateOf } from "../tests/support/read_state_facts.ts";
import { readStateSteps, runEnded } from "../tests/support/read_state_steps.ts";
import { until } from "../tests/support/until.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-read-state-token-0123456789ab";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const upstream = startFakeUpstream();
const server = await startReferenceUiServer();
const port = freePort();
const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin });
const fake = (config.models as { providers: { fake: { models: { id: string; name: string }[] } } }).providers.fake;
fake.models.push({ id: "fail", name: "fail" });
const gateway = await startRecordedGateway(target, { root: "/tmp/readstate/refgw", port, config });
say("gateway up");
const client = await connectReference({
  port,
  token: TOKEN,
  mode: "cli",
  clientName: "cli",
  scopes: ["operator.read", "operator.write", "operator.admin"],
});
const endOf = (id: string) => runEnded(client, id);
const facts: Record<string, unknown> = {
  recorded: `${target === "ref" ? "the reference" : "our"} gateway, by tools/record_reference_session_read_state.ts`,
};
try {
  Object.assign(facts, await readStateSteps(client, gateway.stateDir, 700));
  say("patches done");

  // A session whose run failed, opened in the reference's Control UI: what the page sends and what the row then says.
  await client.request("sessions.patch", { key: "agent:main:failed", model: "fake/fail" }).catch(async () => {
    await client.request("chat.send", { sessionKey: "agent:main:failed", message: "warm", idempotencyKey: "warm" });
    await endOf("warm");
    await client.request("sessions.patch", { key: "agent:main:failed", model: "fake/fail" });
  });
  await client.request("sessions.patch", { key: "agent:main:failed", unread: false });
  await client.request("chat.send", { sessionKey: "agent:main:failed", message: "go fail", idempotencyKey: "fail-1" });
  await endOf("fail-1");
  const list = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
  const failedRow = list.sessions.find((s) => s.key === "agent:main:failed")!;
  const before = { ...readStateOf(failedRow), status: failedRow.status, hasError: "lastRunError" in failedRow };
  const { browser, stop } = await launchBrowser();
  const from = client.events.length;
  try {
    const opened = await openUiPage(browser, { server, gatewayPort: port, token: TOKEN, route: "/chat/main/failed" });
    await opened.page.getByText("go fail").first().waitFor({ timeout: 30_000 }).catch(() => {});
    await opened.settled().catch(() => {});
    await until(
      () =>
        client.events.slice(from).some((e) =>
          e.event === "sessions.changed" && (e.payload as { sessionKey?: string }).sessionKey === "agent:main:failed"
        ),
      "the page's patch",
      15_000,
    ).catch(() => {});
    await opened.page.waitForTimeout(1000);
    await opened.page.close();
  } finally {
    await stop();
  }
  const after = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
  const failedAfter = after.sessions.find((s) => s.key === "agent:main:failed")!;
  facts.openedInUi = {
    before,
    changed: client.events.slice(from).filter((e) =>
      e.event === "sessions.changed" && (e.payload as { sessionKey?: string }).sessionKey === "agent:main:failed"
    ).map((e) => ({ reason: (e.payload as Record<string, unknown>).reason, ...readStateOf(e.payload as never) })),
    after: {
      ...readStateOf(failedAfter),
      readAfterEnd: (failedAfter.lastReadAt as number) >= (failedAfter.endedAt as number),
    },
  };
  const out = new URL(`../tests/fixtures/session_read_state/${target}.json`, import.meta.url);
  await Deno.mkdir(new URL(".", out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
} finally {
  client.stop();
  await gateway.stop();
  await server.stop();
  await upstream.stop();
}
say("done");
