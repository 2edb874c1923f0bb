// The gateway the caller's-tools tests run against: both OpenAI-style endpoints on, a scripted fake
// model per model id (`fake/<id>` on the OpenAI wire, `claude/ca` on Anthropic's), spawned as the
// binary runs it and stopped by PID; plus the `openai` SDK client and the recorded tool shapes.
import OpenAI from "openai";
import { type FakeUpstream, startFakeUpstream } from "./fake_upstream.ts";
import { startGateway, tempHome } from "./spawn_gateway.ts";

/** The gateway's bearer token in these tests. */
export const TOKEN = "client-tools-token-0123456789abcdef";
const MODELS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];

/** A caller's function tool as `/v1/chat/completions` takes it. */
export const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

/** The same tool as `/v1/responses` takes it. */
export const RESPONSES_WEATHER = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
  strict: false,
};

/** A model request as the fake upstream recorded it (the OpenAI wire). */
export type Wire = { messages: Record<string, unknown>[]; tools?: { function: { name: string } }[] };

/** Runs `body` against a fresh gateway and fake upstream, both stopped after it. */
export async function withGateway(
  body: (ctx: { base: string; upstream: FakeUpstream }) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: {
      mode: "local",
      auth: { token: TOKEN },
      http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } },
    },
    models: {
      providers: {
        fake: { baseUrl: upstream.url, api: "openai-completions", models: MODELS },
        claude: { baseUrl: upstream.url, api: "anthropic-messages", apiKey: "sk-test", models: ["ca"] },
      },
    },
    agents: { defaults: { model: { primary: "fake/a" } } },
    // As recorded from the reference (with Tool Search off): the agent's tools and the caller's offered directly.
    tools: { toolSearch: false },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await body({ base: `http://127.0.0.1:${port}`, upstream });
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

/** The `openai` SDK against the gateway, its runs on `<provider>/<model>` (`fake` unless named). */
export function client(base: string, model: string, provider = "fake"): OpenAI {
  return new OpenAI({
    baseURL: `${base}/v1`,
    apiKey: TOKEN,
    defaultHeaders: { "x-openclaw-model": `${provider}/${model}` },
  });
}

/** The tool names a model request offered. */
export function offeredNames(request: Record<string, unknown> | undefined): string[] {
  return ((request as Wire | undefined)?.tools ?? []).map((t) => t.function.name);
}
