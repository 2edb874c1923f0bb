import { within } from "../async/within.ts";
import { getLogger } from "../log/logger.ts";
import { type SessionStore, SessionWriteError, type TranscriptMessage } from "../sessions/store.ts";
import type { AgentsConfig, ModelRef } from "./agents_config.ts";
import { type ChatMessage, ProviderModels, streamCompletion } from "./provider.ts";
import { RunError, type RunErrorKind } from "./run_error.ts";
import { logRunEnd, type RunLog } from "./run_log.ts";

/**
 * The kind of whatever ended a run: a {@link RunError} is already classified; a store failure is
 * `storage` (its message names the session, never a path); anything else failed inside the
 * gateway (a workspace the OS refused, a provider package that did not load), and the caller
 * learns only that: the OS text, with its paths, goes to the log.
 */
function runErrorOf(runId: string, caught: unknown): RunError {
  if (caught instanceof RunError) return caught;
  if (caught instanceof SessionWriteError) return new RunError("storage", caught.message, { cause: caught });
  getLogger("agent").error("run {runId} failed inside the gateway: {detail}", {
    runId,
    detail: caught instanceof Error ? caught.message : String(caught),
  });
  return new RunError("internal", "The agent run failed inside the gateway; the gateway log has the reason", {
    cause: caught,
  });
}

/** A request to run an agent on one message. */
export interface RunRequest {
  agentId: string;
  sessionKey: string;
  message: string;
  idempotencyKey: string;
  /** A `provider/model` to use instead of the agent's (HTTP `x-openclaw-model`). */
  model?: ModelRef | undefined;
  /** Extra per-run listener (the HTTP API streams from it). */
  onDelta?: ((delta: string) => void) | undefined;
  /** Messages before this one that the caller sent itself (a stateless HTTP conversation). */
  context?: ChatMessage[] | undefined;
  /**
   * A stateless call (the OpenAI API without `user` or a session key): the caller holds the
   * conversation, so nothing is written to a transcript nobody can ever continue, and nothing is
   * broadcast: the stream belongs to the HTTP caller alone.
   */
  ephemeral?: boolean | undefined;
}

/** How a run ended. */
export interface RunOutcome {
  runId: string;
  status: "ok" | "error" | "aborted";
  text: string;
  stopReason: string;
  error: string | undefined;
  /** What ended a failed or aborted run; absent for one that ended ok. */
  errorKind?: RunErrorKind | undefined;
  /** The HTTP status the failure's kind carries: the provider's own for `upstream`, 404 for `unknown_model`. */
  upstreamStatus: number | undefined;
  usage: { input: number; output: number };
  provider: string | null;
  model: string | null;
  sessionId: string | null;
  startedAt: number;
  endedAt: number;
}

/** What `start` decided. */
export type StartResult =
  | { kind: "accepted"; runId: string; acceptedAt: number; done: Promise<RunOutcome> }
  | { kind: "in_flight"; runId: string }
  | { kind: "done"; outcome: RunOutcome };

/** Dependencies of the run engine. */
export interface AgentRunsDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  /** Domain events out (`agent`, `chat`); the gateway wires this to the hub. */
  emit(event: "agent" | "chat", payload: Record<string, unknown>): void;
  /** Where each run's end is logged; `gateway/agent` by default. */
  log?: RunLog | undefined;
}

const IDEMPOTENCY_TTL_MS = 300_000;
const IDEMPOTENCY_MAX = 1000;
const SWEEP_INTERVAL_MS = 1000;

interface Entry {
  runId: string;
  state: "running" | "done";
  controller: AbortController;
  done: Promise<RunOutcome>;
  outcome?: RunOutcome;
  at: number;
  sessionKey: string;
}

/**
 * Runs agents: two-stage (accepted at once, outcome later), de-duplicated by idempotency key
 * (a retry while running is `in_flight`, after completion gets the cached outcome), one run at
 * a time per session (queued, never raced), abortable, and streamed as `agent`/`chat` events.
 */
export class AgentRuns {
  #deps: AgentRunsDeps;
  #runs = new Map<string, Entry>();
  #sessionTails = new Map<string, Promise<unknown>>();
  #models = new ProviderModels();
  /** Workspaces this process has made sure exist (a `mkdir` per run cost more than the rest of the setup). */
  #workspaces = new Set<string>();
  #sweptAt = 0;
  #log: RunLog;

  constructor(deps: AgentRunsDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? getLogger("gateway/agent");
  }

  /** Starts (or de-duplicates) a run. */
  start(request: RunRequest): StartResult {
    this.#prune();
    const runId = request.idempotencyKey;
    const existing = this.#runs.get(runId);
    if (existing?.state === "running") return { kind: "in_flight", runId };
    if (existing?.outcome) return { kind: "done", outcome: existing.outcome };
    const controller = new AbortController();
    const previous = this.#sessionTails.get(request.sessionKey) ?? Promise.resolve();
    const done = previous.catch(() => {}).then(() => this.#run(request, controller.signal));
    const entry: Entry = { runId, state: "running", controller, done, at: Date.now(), sessionKey: request.sessionKey };
    this.#runs.set(runId, entry);
    this.#sessionTails.set(request.sessionKey, done);
    void done.then((outcome) => {
      entry.state = "done";
      entry.outcome = outcome;
      entry.at = Date.now();
      if (this.#sessionTails.get(request.sessionKey) === done) this.#sessionTails.delete(request.sessionKey);
    });
    return { kind: "accepted", runId, acceptedAt: Date.now(), done };
  }

  /** Waits for a run's end, at most `timeoutMs`; unknown or unfinished runs report `timeout`. */
  async wait(runId: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const entry = this.#runs.get(runId);
    const outcome = await within(entry?.done ?? new Promise<never>(() => {}), timeoutMs);
    if (!outcome) return { runId, status: "timeout" };
    return {
      runId,
      status: outcome.status === "ok" ? "ok" : "error",
      endedAt: outcome.endedAt,
      stopReason: outcome.stopReason,
      ...(outcome.error ? { error: outcome.error } : {}),
      terminalReply: { disposition: "visible", text: outcome.text },
    };
  }

  /** Aborts the running (and queued) runs of a session, or one run; returns their ids. */
  abort(input: { sessionKey?: string | undefined; runId?: string | undefined }): string[] {
    const aborted: string[] = [];
    for (const entry of this.#runs.values()) {
      if (entry.state !== "running") continue;
      if (input.runId ? entry.runId !== input.runId : entry.sessionKey !== input.sessionKey) continue;
      entry.controller.abort();
      aborted.push(entry.runId);
    }
    return aborted;
  }

  /** Aborts everything (gateway stop). */
  abortAll(): void {
    for (const entry of this.#runs.values()) if (entry.state === "running") entry.controller.abort();
  }

  #prune(): void {
    const now = Date.now();
    // The expiry sweep walks every remembered run; once a second is enough for a 5-minute TTL,
    // and doing it per request cost more than the rest of starting a run.
    if (now - this.#sweptAt >= SWEEP_INTERVAL_MS) {
      this.#sweptAt = now;
      for (const entry of this.#runs.values()) {
        if (entry.state === "done" && now - entry.at > IDEMPOTENCY_TTL_MS) this.#runs.delete(entry.runId);
      }
    }
    // Maps iterate in insertion order, so the first finished entries are the oldest.
    for (const entry of this.#runs.values()) {
      if (this.#runs.size <= IDEMPOTENCY_MAX) break;
      if (entry.state === "done") this.#runs.delete(entry.runId);
    }
  }

  /** Runs one request and logs how it ended (ok, error or aborted), whatever the caller does with the outcome. */
  async #run(request: RunRequest, signal: AbortSignal): Promise<RunOutcome> {
    const { outcome, failure } = await this.#execute(request, signal);
    logRunEnd(this.#log, { agentId: request.agentId, sessionKey: request.sessionKey, outcome, failure });
    return outcome;
  }

  async #execute(
    request: RunRequest,
    signal: AbortSignal,
  ): Promise<{ outcome: RunOutcome; failure?: RunError }> {
    const { agentId, sessionKey } = request;
    const runId = request.idempotencyKey;
    const startedAt = Date.now();
    let seq = 0;
    const emit = request.ephemeral ? () => {} : this.#deps.emit;
    const agentEvent = (stream: string, data: Record<string, unknown>) =>
      emit("agent", { runId, stream, data, seq: ++seq, ts: Date.now(), sessionKey, agentId });
    const chatEvent = (state: string, fields: Record<string, unknown>) =>
      emit("chat", { runId, sessionKey, agentId, seq, state, ...fields });
    const assistant = (text: string) => ({
      role: "assistant",
      content: [{ type: "text", text }],
      timestamp: Date.now(),
    });

    let text = "";
    let provider: string | null = null;
    let model: string | null = null;
    let sessionId: string | null = null;
    agentEvent("lifecycle", { phase: "start", startedAt });
    try {
      const config = this.#deps.agents();
      const agent = config.agents.find((a) => a.id === agentId);
      if (!agent) throw new RunError("unknown_agent", `Unknown agent '${agentId}'.`);
      const ref = request.model ?? agent.model;
      if (!ref) {
        throw new RunError(
          "no_model",
          agent.modelProblem ??
            `No model configured for agent ${agentId}. Set agents.defaults.model.primary to "provider/model".`,
        );
      }
      const spec = config.providers.get(ref.provider);
      if (!spec) {
        throw new RunError(
          "unknown_model",
          `Unknown model: ${ref.provider}/${ref.model}. Declare the provider under models.providers.${ref.provider}.`,
          { status: 404 },
        );
      }
      provider = ref.provider;
      model = ref.model;
      // Each agent works in its own directory; create it (private) on first use.
      if (!this.#workspaces.has(agent.workspace)) {
        await Deno.mkdir(agent.workspace, { recursive: true, mode: 0o700 });
        this.#workspaces.add(agent.workspace);
      }
      const persist = !request.ephemeral;
      if (persist) sessionId = (await this.#deps.sessions.ensure(sessionKey, agentId)).sessionId;
      const history = persist ? (await this.#deps.sessions.history(sessionKey, agentId)).messages : [];
      const userMessage: TranscriptMessage = {
        role: "user",
        content: [{ type: "text", text: request.message }],
        timestamp: Date.now(),
        runId,
      };
      // The user's message is on disk before the model is asked: a crash loses only the answer.
      if (persist) await this.#deps.sessions.append(sessionKey, agentId, [userMessage]);
      agentEvent("lifecycle", { phase: "model", provider, model });
      const messages: ChatMessage[] = [
        ...(request.context ?? []),
        ...[...history, userMessage].map((m): ChatMessage => ({
          role: m.role,
          text: m.content.map((c) => c.text).join(""),
        })),
      ];
      let usage = { input: 0, output: 0 };
      let stopReason = "stop";
      for await (
        const part of streamCompletion({
          provider: spec,
          model: ref.model,
          messages,
          signal,
          models: this.#models,
        })
      ) {
        if (part.type === "delta") {
          text += part.text;
          agentEvent("assistant", { text, delta: part.text });
          chatEvent("delta", { deltaText: part.text, message: assistant(text) });
          request.onDelta?.(part.text);
        } else {
          usage = part.usage;
          stopReason = part.finishReason;
        }
      }
      if (persist) {
        await this.#deps.sessions.append(sessionKey, agentId, [{
          role: "assistant",
          content: [{ type: "text", text }],
          timestamp: Date.now(),
          runId,
          provider,
          model,
          stopReason,
          usage,
        }]);
      }
      const endedAt = Date.now();
      agentEvent("usage", { outputTokens: usage.output });
      agentEvent("lifecycle", { phase: "end", startedAt, endedAt, aborted: false, stopReason });
      chatEvent("final", { stopReason, message: assistant(text) });
      const outcome: RunOutcome = {
        runId,
        status: "ok",
        text,
        stopReason,
        error: undefined,
        upstreamStatus: undefined,
        usage,
        provider,
        model,
        sessionId,
        startedAt,
        endedAt,
      };
      return { outcome };
    } catch (caught) {
      // A store failure is reported as one: the answer may have reached the caller already, but
      // it is not in the transcript, and the caller must not believe it is.
      const error = runErrorOf(runId, caught);
      const endedAt = Date.now();
      const aborted = error.kind === "aborted";
      if (aborted && text && sessionId) {
        await this.#deps.sessions.append(sessionKey, agentId, [{
          role: "assistant",
          content: [{ type: "text", text }],
          timestamp: endedAt,
          runId,
          stopReason: "aborted",
        }]).catch(() => {}); // the store has logged and recorded it; the run ends as aborted either way
      }
      agentEvent("lifecycle", {
        phase: "error",
        startedAt,
        endedAt,
        error: error.message,
        aborted,
        ...(aborted ? { stopReason: "aborted" } : {}),
      });
      if (aborted) chatEvent("aborted", { stopReason: "rpc", message: assistant(text) });
      else {chatEvent("error", {
          errorMessage: error.message,
          errorKind: error.kind === "timeout" ? "timeout" : "unknown",
        });}
      const outcome: RunOutcome = {
        runId,
        status: aborted ? "aborted" : "error",
        text,
        stopReason: aborted ? "aborted" : "error",
        error: error.message,
        errorKind: error.kind,
        upstreamStatus: error.status,
        usage: { input: 0, output: 0 },
        provider,
        model,
        sessionId,
        startedAt,
        endedAt,
      };
      return { outcome, failure: error };
    }
  }
}
