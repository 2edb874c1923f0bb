// Our gateway against the reference's recording of the same scripted model (tests/fixtures/tool_titles/ref.json,
// tools/record_reference_tool_titles.ts), through the reference client with tool events: each call's `item`
// title and meta and its `tool` result's meta are the reference's (exec's aside: the reference rewrites
// commands it knows into words, docs/compatibility.md); a call whose tool threw gives back the reference's
// `{status: "error", tool, error}` result.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { NOTES_TEXT, runTitles, type TitledCall, titlesConfig, titleSteps } from "../support/tool_titles_script.ts";

const TOKEN = "tool-titles-token-0123456789abcdef";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/tool_titles/ref.json", import.meta.url)),
) as { calls: TitledCall[] };

/** What clients show of a call: each item event's phase, title and meta, and the tool result's meta. */
function shown(call: TitledCall): unknown {
  return {
    items: call.items.filter((i) => i.phase !== "update").map((i) => [i.phase, i.title, i.meta]),
    resultMeta: call.tools.find((t) => t.phase === "result")?.meta,
  };
}

Deno.test("tool calls are titled from their arguments as the reference titles them", async () => {
  const upstream = startFakeUpstream();
  upstream.script("titles", titleSteps());
  const workspace = await Deno.makeTempDir({ prefix: "titles-ws-" });
  await Deno.writeTextFile(`${workspace}/notes.txt`, NOTES_TEXT);
  const port = freePort();
  const home = await tempHome(titlesConfig({ port, token: TOKEN, upstreamUrl: upstream.url, workspace }));
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", caps: ["tool-events"] });
  try {
    await session.request("sessions.subscribe", {});
    const run = await runTitles(session, upstream, { sessionKey: "agent:main:titles", runId: "titles-1" });
    assert.equal(run.final?.state, "final");
    for (const call of run.calls) {
      const ref = recorded.calls.find((c) => c.call === call.call)!;
      if (call.name === "exec") {
        assert.equal(call.items[0]?.title, `Exec ${call.items[0]?.meta}`, `${call.call}: Exec and its command`);
        continue;
      }
      assert.deepEqual(shown(call), shown(ref), call.call);
    }
    // A call whose tool threw: the model, the transcript and the events get the reference's error result.
    for (const id of ["t_4", "t_8"]) {
      const ours = JSON.parse(JSON.stringify(run.calls.find((c) => c.call === id)).replaceAll(workspace, "$WORKSPACE"));
      const ref = recorded.calls.find((c) => c.call === id)!;
      assert.equal(ours.modelSaw, ref.modelSaw, `${id}: what the model got`);
      assert.deepEqual(ours.transcript, ref.transcript, `${id}: the transcript's result`);
      const result = (c: TitledCall) => c.tools.find((t) => t.phase === "result");
      assert.deepEqual(result(ours), result(ref), `${id}: the tool event's result`);
      const end = (c: TitledCall) => c.items.find((i) => i.phase === "end");
      assert.deepEqual(end(ours), end(ref), `${id}: the item's end`);
    }
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
});
