// Records what the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) shows of each tool call of a run: the
// fake model "titles" calls each of our tools (tests/support/tool_titles_script.ts), some calls made to throw
// (a missing file, a missing argument, an edit that does not match, a blocked fetch) and one unknown tool. For
// each call: its `item` events (title, meta, status, error), its `tool` events (meta, isError, result), the
// tool result text the model got back and the stored transcript entry. Writes
// tests/fixtures/tool_titles/<target>.json.
//
//   deno run -A tools/record_reference_tool_titles.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~1-2 min.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";
import { NOTES_TEXT, runTitles, titlesConfig, titleSteps } from "../tests/support/tool_titles_script.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-tool-titles-token-0123456789";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const upstream = startFakeUpstream();
upstream.script("titles", titleSteps());
const port = freePort();
const workspace = await Deno.makeTempDir({ prefix: "titles-ws-" });
await Deno.writeTextFile(`${workspace}/notes.txt`, NOTES_TEXT);
const config = titlesConfig({ port, token: TOKEN, upstreamUrl: upstream.url, workspace });
const gateway = await startRecordedGateway(target, { root: "/tmp/tooltitles/refgw", port, config });
say("gateway up");
try {
  const session = await connectReference({
    port,
    token: TOKEN,
    mode: "cli",
    clientName: "cli",
    scopes: ["operator.read", "operator.write", "operator.admin"],
    caps: ["tool-events"],
  });
  try {
    await session.request("sessions.subscribe", {});
    const run = await runTitles(session, upstream, { sessionKey: "agent:main:titles", runId: "titles-1" });
    say(`${run.calls.length} calls, ended ${JSON.stringify(run.final?.state)}`);
    const facts = {
      recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with the fake model ` +
        "'titles' (tests/support/tool_titles_script.ts), through @openclaw/gateway-client (cli, caps tool-events), " +
        "by tools/record_reference_tool_titles.ts; the workspace path is replaced by $WORKSPACE",
      ...run,
    };
    const text = JSON.stringify(facts, null, 2).replaceAll(workspace, "$WORKSPACE");
    const out = new URL(`../tests/fixtures/tool_titles/${target}.json`, import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, text + "\n");
    say(`wrote ${out.pathname}`);
  } finally {
    session.stop();
  }
} catch (error) {
  say(gateway.output().slice(-4000));
  throw error;
} finally {
  await gateway.stop();
  await upstream.stop();
  await Deno.remove(workspace, { recursive: true }).catch(() => {});
}
