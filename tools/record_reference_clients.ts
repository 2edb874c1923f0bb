// Records what the reference's own clients send: the reference Control UI (headless Chromium, the
// visit of tests/support/reference_ui_visit.ts) and the reference `openclaw tui` (tmux), against
// the reference gateway (default) or ours, both with the fake model. Writes the list of methods
// per page/screen with params and answer shapes as markdown, and every request as JSON.
//
//   deno run -A tools/record_reference_clients.ts [--ours] [--port 19601] [--out FILE.md] [--json FILE.json]
//
// Needs the reference installed (bash tools/peer_install.sh) and Debian's chromium and tmux. The
// reference gateway takes ~20-60 s to start and ~1 GB: one at a time, on a port of your own.
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { renderEvents, renderVisit } from "../tests/support/method_report.ts";
import { clientTestConfig, startReferenceGateway } from "../tests/support/reference_gateway.ts";
import { judgeTuiSession, runTuiSession } from "../tests/support/reference_tui_session.ts";
import { startReferenceUiServer } from "../tests/support/reference_ui_server.ts";
import { judgeVisit, visitControlUi } from "../tests/support/reference_ui_visit.ts";
import { startGateway, tempHome } from "../tests/support/spawn_gateway.ts";

/** `--name value` pairs and `--ours`; no dependency for four flags. */
function flag(name: string): string | undefined {
  const index = Deno.args.indexOf(`--${name}`);
  return index === -1 ? undefined : Deno.args[index + 1];
}
const args = {
  ours: Deno.args.includes("--ours"),
  port: flag("port") ?? "19601",
  out: flag("out"),
  json: flag("json"),
  dir: flag("dir") ?? "/tmp/record-reference-clients",
};
const port = Number(args.port);
const token = "record-token-0123456789abcdef0123";
const dir = args.dir;
await Deno.mkdir(dir, { recursive: true });
const write = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(`${text}\n`));

const upstream = startFakeUpstream();
const server = await startReferenceUiServer();
const config = clientTestConfig({ port, token, upstreamUrl: upstream.url, uiOrigin: server.origin });
write(`starting ${args.ours ? "our" : "the reference"} gateway on ${port}`);
const gateway = args.ours
  ? await (async () => {
    const home = await tempHome(config);
    const { proc } = await startGateway({ home: home.home, port });
    return {
      stop: async () => {
        await proc.stop();
        await home.cleanup();
      },
    };
  })()
  : await startReferenceGateway({ root: `${dir}/gateway`, port, config });
const { browser, stop: stopBrowser } = await launchBrowser();
try {
  write("visiting the Control UI");
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const ui = await visitControlUi({ page, server, gatewayPort: port, token, screenshotDir: dir });
  await page.close();
  write(`Control UI: ${ui.log.requests.length} requests; problems: ${ui.problems.join("; ") || "none"}`);
  write("running the TUI");
  const tui = await runTuiSession({ gatewayPort: port, token, dir });
  write(`TUI: ${tui.log.requests.length} requests; problems: ${tui.problems.join("; ") || "none"}`);

  const uiVerdict = judgeVisit(ui);
  const tuiVerdict = judgeTuiSession(tui);
  write(
    `verdicts: Control UI ${uiVerdict.length === 0 ? "pass" : "FAIL"}, TUI ${
      tuiVerdict.length === 0 ? "pass" : "FAIL"
    }`,
  );
  const target = args.ours ? "this gateway" : "the reference gateway 2026.9.6";
  const markdown = [
    `# What the reference clients call (recorded against ${target})`,
    "",
    `Recorded ${new Date().toISOString()} by \`deno run -A tools/record_reference_clients.ts${
      args.ours ? " --ours" : ""
    }\`: the reference Control UI (openclaw 2026.9.6, its own dist/control-ui served on loopback and pointed at`,
    "the gateway with `?gatewayUrl=`) in headless Chromium, and the reference `openclaw tui` in tmux, both with the",
    "fake OpenAI-compatible model `fake/m1`. Sections are the steps of the visit in order; a method is listed under",
    "every step during which it was sent (the page-load calls under the first one).",
    "",
    `Control UI: ${ui.log.requests.length} requests, ${
      ui.log.requests.filter((r) => r.answer && !r.answer.ok).length
    } error answers. TUI: ${tui.log.requests.length} requests, ${
      tui.log.requests.filter((r) => r.answer && !r.answer.ok).length
    } error answers.`,
    "",
    "The verdicts of tests/integration/reference_control_ui_test.ts and reference_tui_test.ts on this run:",
    "",
    "```",
    `Control UI: ${uiVerdict.length === 0 ? "pass" : uiVerdict.join("\n\n")}`,
    "",
    `TUI: ${tuiVerdict.length === 0 ? "pass" : tuiVerdict.join("\n\n")}`,
    "```",
    "",
    "## All methods, by client",
    "",
    `- Control UI (${new Set(ui.log.requests.map((r) => r.method)).size}): ${
      [...new Set(ui.log.requests.map((r) => r.method))].sort().map((m) => `\`${m}\``).join(", ")
    }`,
    `- TUI (${new Set(tui.log.requests.map((r) => r.method)).size}): ${
      [...new Set(tui.log.requests.map((r) => r.method))].sort().map((m) => `\`${m}\``).join(", ")
    }`,
    `- HTTP requests the UI made to the gateway: ${ui.http.join("; ") || "none"}`,
    `- Requests the UI tried to send off the machine (refused): ${ui.refusedExternal.join("; ") || "none"}`,
    "",
    renderVisit("Control UI, page by page", ui.log),
    "### Events the Control UI received (payload keys)",
    "",
    renderEvents(ui.log),
    "",
    renderVisit("TUI, screen by screen", tui.log),
    "### Events the TUI received (payload keys)",
    "",
    renderEvents(tui.log),
    "",
  ].join("\n");
  const out = args.out ?? `${dir}/recorded-ui-methods.md`;
  await Deno.writeTextFile(out, markdown);
  const json = args.json ?? `${dir}/recorded-ui-frames.json`;
  await Deno.writeTextFile(
    json,
    JSON.stringify(
      { ui: ui.log.requests, uiEvents: ui.log.events, tui: tui.log.requests, tuiEvents: tui.log.events },
      null,
      1,
    ),
  );
  write(`wrote ${out} and ${json}`);
} finally {
  await stopBrowser();
  await gateway.stop();
  await server.stop();
  await upstream.stop();
}
