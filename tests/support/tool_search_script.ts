// The scripted model of a run using Tool Search (the reference's default: `tools.toolSearch` unset), shared by
// tools/record_reference_tool_search.ts and tests/integration/tool_search_test.ts: searches (single, limited, batch,
// malformed), describes (by name, by id, unknown), calls through `tool_call` (a deferred tool, a core tool, bad input,
// an unknown id) and a direct call of a deferred tool; what the model got back from each and what clients saw.
import { type ScriptedCall, startFakeUpstream } from "./fake_upstream.ts";
import { connectReference } from "./reference_client.ts";
import { startRecordedGateway } from "./reference_gateway.ts";
import { freePort } from "./spawn_gateway.ts";
import { NOTES_TEXT, runTitles, type TitledCall, titlesConfig } from "./tool_titles_script.ts";

/** The scripted model's id. */
export const SEARCH_MODEL = "searcher";

/** What the model answers after its last call. */
export const SEARCH_ANSWER = "Done searching.";

/** Each call of the script, one per model step, in order (ids `s_<n>`). */
export const SEARCH_CALLS: ScriptedCall[] = [
  { name: "tool_search", args: { query: "fetch a web page" } },
  { name: "tool_search", args: { query: "search memory notes", limit: 2 } },
  { name: "tool_search", args: { queries: [{ query: "list sessions" }, { query: "send a message", limit: 3 }] } },
  { name: "tool_search", args: { query: "read a file", queries: [{ query: "run a shell command", limit: 2 }] } },
  { name: "tool_search", args: {} },
  { name: "tool_search", args: { query: "x", limit: 0 } },
  { name: "tool_search", args: { queries: [{ query: "a", limit: 30 }, { query: "b", limit: 30 }] } },
  { name: "tool_search", args: { query: "zzzqqq" } },
  { name: "tool_describe", args: { id: "web_fetch" } },
  { name: "tool_describe", args: { id: "openclaw:core:memory_get" } },
  { name: "tool_describe", args: { id: "web_fetcher" } },
  { name: "tool_describe", args: {} },
  { name: "tool_call", args: { id: "memory_search", args: { query: "milk" } } },
  { name: "tool_call", args: { id: "openclaw:core:read", args: { path: "notes.txt", limit: 2 } } },
  { name: "tool_call", args: { id: "sessions_list", limit: 1 } },
  { name: "tool_call", args: { id: "memory_get", args: {} } },
  { name: "tool_call", args: { id: "nosuch", args: {} } },
  { name: "tool_call", args: { id: "tool_search", args: { query: "x" } } },
  { name: "web_fetch", args: { url: "http://127.0.0.1:9/page" } },
].map((call, i) => ({ ...call, id: `s_${i + 1}` }));

/** Both gateways' config: the scripted model, Tool Search as by default, exec on the gateway host. */
export function searchConfig(
  input: { port: number; token: string; upstreamUrl: string; workspace: string },
  model = SEARCH_MODEL,
) {
  const config = titlesConfig(input) as { agents: { defaults: { model: { primary: string } } } };
  config.agents.defaults.model = { primary: `fake/${model}` };
  const providers = (config as unknown as { models: { providers: { fake: { models: unknown[] } } } }).models.providers;
  providers.fake.models = [{ id: model, name: model }];
  return config;
}

/** A scripted run: the model's id and its calls, one a step, before it answers. */
export interface CallScript {
  model: string;
  calls: ScriptedCall[];
  answer: string;
}

/** What a run of the script showed: the tools the model was first offered, each call, and the run's end. */
export interface ToolSearchRecording {
  offered: string[];
  calls: TitledCall[];
  final: Record<string, unknown> | undefined;
}

/**
 * Runs `script` (the Tool Search one unless told) on a fresh gateway of `target` ("ref": the reference; any other:
 * ours); paths as `$WORKSPACE`.
 */
export async function recordToolSearch(
  target: string,
  script: CallScript = { model: SEARCH_MODEL, calls: SEARCH_CALLS, answer: SEARCH_ANSWER },
): Promise<ToolSearchRecording> {
  const token = "record-tool-search-token-0123456789";
  const upstream = startFakeUpstream();
  upstream.script(script.model, [...script.calls.map((call) => ({ toolCalls: [call] })), { text: script.answer }]);
  const port = freePort();
  const workspace = await Deno.makeTempDir({ prefix: "search-ws-" });
  const root = await Deno.makeTempDir({ prefix: "search-gw-" });
  await Deno.writeTextFile(`${workspace}/notes.txt`, NOTES_TEXT);
  const config = searchConfig({ port, token, upstreamUrl: upstream.url, workspace }, script.model);
  const gateway = await startRecordedGateway(target, { root, port, config });
  try {
    const session = await connectReference({
      port,
      token,
      mode: "cli",
      clientName: "cli",
      scopes: ["operator.read", "operator.write", "operator.admin"],
      caps: ["tool-events"],
    });
    try {
      await session.request("sessions.subscribe", {});
      const run = await runTitles(session, upstream, {
        sessionKey: "agent:main:search",
        runId: "search-1",
        calls: script.calls,
        model: script.model,
      });
      const first = upstream.requestsOf(script.model)[0] as { tools?: { function?: { name?: string } }[] };
      const offered = (first.tools ?? []).map((t) => String(t.function?.name));
      return JSON.parse(JSON.stringify({ offered, ...run }).replaceAll(workspace, "$WORKSPACE"));
    } finally {
      session.stop();
    }
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    await gateway.stop();
    await upstream.stop();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}
