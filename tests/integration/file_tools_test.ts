import assert from "node:assert/strict";
import { type FakeUpstream, type ScriptStep, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "file-tools-token-0123456789abcdef";

type Final = { status: string; result: { payloads: { text: string }[] } };
type ToolMessage = { role: string; content?: string; "tool_call_id"?: string };

async function withGateway(
  extra: Record<string, unknown>,
  body: (ctx: { session: ReferenceSession; upstream: FakeUpstream; workspace: string; home: string }) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const workspace = await Deno.makeTempDir({ prefix: "oc-files-ws-" });
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["tooler"] } } },
    agents: { defaults: { model: { primary: "fake/tooler" }, workspace } },
    ...extra,
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false, ...(extra.tools as object ?? {}) },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    await body({ session, upstream, workspace, home: home.home });
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
}

async function run(session: ReferenceSession, upstream: FakeUpstream, steps: ScriptStep[], key: string) {
  upstream.script("tooler", steps);
  const final = await session.request<Final>(
    "agent",
    { message: "Go", sessionKey: "agent:main:main", idempotencyKey: key },
    { expectFinal: true },
  );
  assert.equal(final.status, "ok");
  // Every tool result the model was sent, by call id.
  const results = new Map<string, string>();
  for (const request of upstream.requestsOf("tooler") as { messages: ToolMessage[] }[]) {
    for (const m of request.messages) if (m.role === "tool") results.set(m.tool_call_id!, m.content ?? "");
  }
  return { final, results };
}

/** The error of a call whose tool threw: the reference's adapter result is `{status, tool, error}` as indented JSON. */
function thrown(text: string, tool: string): string {
  assert.equal(text, JSON.stringify(JSON.parse(text), null, 2), "indented JSON");
  const result = JSON.parse(text) as { status: string; tool: string; error: string };
  assert.deepEqual([result.status, result.tool], ["error", tool]);
  return result.error;
}

Deno.test("a scripted model reads, edits, patches and writes files in its workspace through the real gateway", async () => {
  await withGateway({}, async ({ session, upstream, workspace }) => {
    await Deno.writeTextFile(`${workspace}/notes.txt`, "alpha\nbeta\ngamma\n");
    const { final, results } = await run(session, upstream, [
      { toolCalls: [{ id: "c_read", name: "read", args: { path: "notes.txt" } }] },
      {
        toolCalls: [{
          id: "c_edit",
          name: "edit",
          args: { path: "notes.txt", edits: [{ oldText: "beta", newText: "BETA" }] },
        }],
      },
      {
        toolCalls: [{
          id: "c_patch",
          name: "apply_patch",
          args: {
            input: [
              "*** Begin Patch",
              "*** Update File: notes.txt",
              "@@",
              " BETA",
              "-gamma",
              "+gamma ray",
              "*** Add File: sub/added.md",
              "+# Added",
              "*** End Patch",
            ].join("\n"),
          },
        }],
      },
      { toolCalls: [{ id: "c_write", name: "write", args: { path: "out/summary.txt", content: "three changes\n" } }] },
      {
        toolCalls: [{
          id: "c_missing",
          name: "edit",
          args: { path: "notes.txt", edits: [{ oldText: "zzz", newText: "" }] },
        }],
      },
      { text: "All done." },
    ], "files-e2e");
    assert.equal(final.result.payloads[0]!.text, "All done.");
    assert.equal(results.get("c_read"), "alpha\nbeta\ngamma\n");
    assert.equal(results.get("c_edit"), "Successfully replaced 1 block(s) in notes.txt.");
    assert.equal(results.get("c_patch"), "Success. Updated the following files:\nA sub/added.md\nM notes.txt");
    assert.equal(results.get("c_write"), "Successfully wrote 14 bytes to out/summary.txt");
    assert.match(thrown(results.get("c_missing")!, "edit"), /^Could not find the exact text in notes\.txt\./);
    assert.equal(await Deno.readTextFile(`${workspace}/notes.txt`), "alpha\nBETA\ngamma ray\n");
    assert.equal(await Deno.readTextFile(`${workspace}/sub/added.md`), "# Added\n");
    assert.equal(await Deno.readTextFile(`${workspace}/out/summary.txt`), "three changes\n");
  });
});

Deno.test("apply_patch through the gateway cannot write outside the workspace", async () => {
  await withGateway({}, async ({ session, upstream, workspace }) => {
    const outside = `${workspace}-outside.txt`;
    const { results } = await run(session, upstream, [
      {
        toolCalls: [{
          id: "c_out",
          name: "apply_patch",
          args: { input: `*** Begin Patch\n*** Add File: ${outside}\n+x\n*** End Patch` },
        }],
      },
      { text: "Refused." },
    ], "files-escape");
    assert.match(thrown(results.get("c_out")!, "apply_patch"), /^Path escapes sandbox root \(.*\): .*-outside\.txt$/);
    await assert.rejects(Deno.stat(outside), Deno.errors.NotFound);
  });
});

Deno.test("confined (tools.fs.workspaceOnly), ls lists the workspace and refuses a link leading outside; read's guesses stay inside", async () => {
  await withGateway({ tools: { fs: { workspaceOnly: true } } }, async ({ session, upstream, workspace }) => {
    const outside = await Deno.makeTempDir({ prefix: "oc-files-outside-" });
    try {
      await Deno.writeTextFile(`${outside}/secret-name.txt`, "");
      await Deno.mkdir(`${workspace}/docs`);
      await Deno.writeTextFile(`${workspace}/docs/guide.md`, "");
      await Deno.writeTextFile(`${workspace}/.env.example`, "");
      await Deno.symlink(outside, `${workspace}/out`);
      const { results } = await run(session, upstream, [
        { toolCalls: [{ id: "c_ls", name: "ls", args: {} }] },
        { toolCalls: [{ id: "c_out", name: "ls", args: { path: "out" } }] },
        { toolCalls: [{ id: "c_guess", name: "read", args: { path: "docs/guide.mdx" } }] },
        { text: "Listed." },
      ], "files-confined-ls");
      assert.equal(results.get("c_ls"), '".env.example"\n"docs/"\n"out"');
      // Refused by the path check before any listing, in the reference's words.
      assert.match(
        thrown(results.get("c_out")!, "ls"),
        /^Symlink escapes sandbox root \(.*\): .*\/out\. Use a relative path/,
      );
      assert.match(thrown(results.get("c_guess")!, "read"), /Did you mean: guide\.md\?$/);
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  });
});

Deno.test("a path starting with ~ is the HOME the gateway was started with", async () => {
  await withGateway({}, async ({ session, upstream, home }) => {
    await Deno.writeTextFile(`${home}/at-home.txt`, "from home\n");
    const { results } = await run(session, upstream, [
      { toolCalls: [{ id: "c_home", name: "read", args: { path: "~/at-home.txt" } }] },
      { text: "Read." },
    ], "files-home");
    assert.equal(results.get("c_home"), "from home\n");
  });
});

function servePage() {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response("<html><head><title>Local</title></head><body><h1>Loopback page</h1></body></html>", {
        headers: { "content-type": "text/html" },
      }),
  );
  return { url: `http://127.0.0.1:${server.addr.port}/`, stop: () => server.shutdown() };
}

Deno.test("web_fetch of a loopback page is refused by default and fetched with ssrfPolicy.dangerouslyAllowPrivateNetwork", async () => {
  const page = servePage();
  try {
    const steps = (id: string): ScriptStep[] => [
      { toolCalls: [{ id, name: "web_fetch", args: { url: page.url } }] },
      { text: "Fetched or not." },
    ];
    await withGateway({}, async ({ session, upstream }) => {
      const { results } = await run(session, upstream, steps("c_fetch"), "fetch-default");
      assert.match(
        thrown(results.get("c_fetch")!, "web_fetch"),
        /\nSource: API\n---\nBlocked hostname or private\/internal\/special-use IP address\n<<<END_EXTERNAL_UNTRUSTED_CONTENT/,
      );
    });
    const allow = { tools: { web: { fetch: { ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } } } } };
    await withGateway(allow, async ({ session, upstream }) => {
      const { results } = await run(session, upstream, steps("c_fetch"), "fetch-allowed");
      const payload = JSON.parse(results.get("c_fetch")!) as { status: number; text: string; finalUrl: string };
      assert.equal(payload.status, 200);
      assert.equal(payload.finalUrl, page.url);
      assert.match(payload.text, /# Loopback page/);
    });
  } finally {
    await page.stop();
  }
});
