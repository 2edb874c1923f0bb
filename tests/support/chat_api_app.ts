// Both OpenAI-style chat routes in process, with every run they would start recorded instead of
// run (each ends "ok" at once): for tests of what a request gives the agent run.
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunOutcome, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { resolveHttpMedia } from "../../src/config/resolve_http_media.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { type OpenAiDeps, openAiRoutes } from "../../src/http/openai.ts";
import { responsesRoutes } from "../../src/http/responses.ts";

/** The `gateway.http` section a test app runs under. */
export type HttpSection = NonNullable<NonNullable<RawConfig["gateway"]>["http"]>;

/** A run's outcome that ended ok at once with `text`, as a fake `startRun` hands it back. */
export function okOutcome(request: RunRequest, text = "ok"): RunOutcome {
  return {
    runId: request.idempotencyKey,
    status: "ok",
    text,
    stopReason: "stop",
    error: undefined,
    upstreamStatus: undefined,
    usage: { input: 1, output: 1 },
    provider: "fake",
    model: "m1",
    sessionId: null,
    startedAt: 0,
    endedAt: 0,
  };
}

/** The runs each request asked for, and a poster for `/v1/chat/completions` and `/v1/responses`. */
export function chatApiApp(http: HttpSection = {}): {
  runs: RunRequest[];
  post(path: string, body: unknown): Promise<Response>;
} {
  const runs: RunRequest[] = [];
  const deps: OpenAiDeps = {
    enabled: () => ({ chatCompletions: true, responses: true }),
    authorize: () => ({ ok: true }),
    agents: () => agentsFromConfig({}, "/nonexistent", "/home/test"),
    media: () => resolveHttpMedia({ gateway: { http } }),
    startRun: (request: RunRequest): StartResult => {
      runs.push(request);
      const done = Promise.resolve(okOutcome(request));
      return { kind: "accepted", runId: request.idempotencyKey, acceptedAt: 0, done };
    },
    abortRun: () => {},
    embed: () => Promise.reject(new Error("not used")),
  };
  const chat = openAiRoutes(deps);
  const responses = responsesRoutes(deps);
  const env = { remoteAddr: "127.0.0.1" };
  return {
    runs,
    post: async (path, body) =>
      await (path === "/v1/responses" ? responses : chat).request(
        path,
        { method: "POST", body: JSON.stringify(body) },
        env,
      ),
  };
}
