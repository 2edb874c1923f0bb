import type { SessionStore, TranscriptMessage } from "../sessions/store.ts";
import type { AgentsConfig } from "./agents_config.ts";
import type { OfferedTool, PromptMessage, ProviderModels } from "./provider.ts";
import type { RunError } from "./run_error.ts";
import { runEvents } from "./run_events.ts";
import { answerWithFailover, FailoverExhausted, type ModelAttempt } from "./run_failover.ts";
import type { RunLog } from "./run_log.ts";
import type { ModelCooldowns } from "./model_cooldowns.ts";
import { type ModelAnswer, modelMessages, streamAnswer } from "./run_model.ts";
import { failed, runErrorOf, type RunFacts, succeeded } from "./run_outcome.ts";
import { ensureWorkspace, resolveRunTarget } from "./run_target.ts";
import {
  ensureSession,
  recordAbortedAnswer,
  recordAnswer,
  startTurn,
  toolResultMessage,
  toolStepMessage,
} from "./run_transcript.ts";
import { toolTitle } from "./tool_events.ts";
import type { RunOutcome, RunRequest } from "./runs.ts";
import type { ToolFamily, ToolHost } from "./tool.ts";
import { agentTools } from "./tool_catalog.ts";
import { runToolLoop } from "./tool_loop.ts";
import { workspaceSystemPrompt } from "./workspace_files.ts";

/** A message a run wrote to its session's transcript, with its 1-based position there. */
export interface WrittenMessage {
  sessionKey: string;
  agentId: string;
  sessionId: string;
  message: TranscriptMessage;
  seq: number;
}

/** What one turn needs from the run engine. */
export interface TurnDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  emit(event: "agent" | "chat", payload: Record<string, unknown>): void;
  models: ProviderModels;
  /** The gateway's model cooldowns: which models failed over lately and until when they are skipped. */
  cooldowns: ModelCooldowns;
  /** Where failover decisions are logged. */
  log: RunLog;
  /** Workspaces this process has made sure exist. */
  workspaces: Set<string>;
  /** Told of each message written to a transcript, after it is on disk. */
  onMessage?(written: WrittenMessage): void;
  /** What the gateway lends tools; without it a run offers the model no tools. */
  toolHost?: ToolHost | undefined;
  /** The tool families offered (the catalog's by default). */
  toolFamilies?: readonly ToolFamily[] | undefined;
}

/** The request with its session's chosen model (`sessions.patch` `model`) when it names none itself. */
async function withSessionModel(sessions: SessionStore, request: RunRequest): Promise<RunRequest> {
  if (request.model || request.ephemeral) return request;
  const row = await sessions.get(request.sessionKey, request.agentId);
  if (!row?.providerOverride || !row.modelOverride) return request;
  return { ...request, model: { provider: row.providerOverride, model: row.modelOverride } };
}

/**
 * One run, stage by stage: resolve the agent and model → open the session (the user's message is
 * written first) → stream the model → record the answer → the outcome and its events. Whatever
 * fails ends the run with a kind ({@link runErrorOf}); an aborted run keeps what had streamed.
 */
export async function runTurn(
  deps: TurnDeps,
  request: RunRequest,
  signal: AbortSignal,
): Promise<{ outcome: RunOutcome; failure?: RunError }> {
  const { agentId, sessionKey } = request;
  const runId = request.idempotencyKey;
  const facts: RunFacts = { runId, provider: null, model: null, sessionId: null, startedAt: Date.now(), endedAt: 0 };
  const { startedAt } = facts;
  // A stateless call's stream belongs to its HTTP caller alone: nothing is broadcast.
  const events = runEvents(request.ephemeral ? () => {} : deps.emit, { runId, sessionKey, agentId });
  let text = "";
  let attempts: ModelAttempt[] = [];
  events.started(startedAt);
  try {
    const { agent, ref, spec, fallbacks } = resolveRunTarget(
      deps.agents(),
      await withSessionModel(deps.sessions, request),
    );
    facts.provider = ref.provider;
    facts.model = ref.model;
    // Each agent works in its own directory; create it (private) on first use.
    await ensureWorkspace(deps.workspaces, agent.workspace);
    // The workspace is the agent: its bootstrap files, read afresh each run, are the system
    // prompt. It goes to the model only; the transcript keeps the conversation.
    const system = await workspaceSystemPrompt(agent, sessionKey);
    const persist = !request.ephemeral;
    facts.sessionId = await ensureSession(deps.sessions, { sessionKey, agentId, persist });
    const turn = await startTurn(deps.sessions, {
      sessionKey,
      agentId,
      persist,
      message: request.message,
      runId,
      senderIsOwner: request.senderIsOwner ?? true,
    });
    const sessionId = facts.sessionId;
    const written = (message: TranscriptMessage, seq: number) => {
      if (persist && sessionId) deps.onMessage?.({ sessionKey, agentId, sessionId, message, seq });
    };
    // Each message's 1-based position in the transcript, as `session.message` reports it.
    let position = turn.history.length + 1;
    written(turn.user, position);
    const keep = async (message: TranscriptMessage) => {
      if (!persist) return;
      await deps.sessions.append(sessionKey, agentId, [message]);
      written(message, ++position);
    };
    const messages = [
      { role: "system" as const, text: system },
      ...modelMessages(request.context, [...turn.history, turn.user]),
    ];
    const tools = deps.toolHost ? await agentTools(deps.toolHost, agent, deps.toolFamilies) : [];
    let candidate = { ref, spec };
    // One model step: the model (with failover) over the conversation so far. Failover moves on
    // only while nothing of this step has reached the client.
    const step = async (prompt: readonly PromptMessage[], offered: readonly OfferedTool[]): Promise<ModelAnswer> => {
      let streamed = false;
      const won = await answerWithFailover({
        runId,
        primary: { ref, spec },
        fallbacks,
        cooldowns: deps.cooldowns,
        log: deps.log,
        classify: (caught) => runErrorOf(runId, caught),
        streamed: () => streamed,
        call: (candidate) => {
          // The outcome names the model that answered (or failed last), not the one first asked.
          facts.provider = candidate.ref.provider;
          facts.model = candidate.ref.model;
          events.modelCalled(candidate.ref.provider, candidate.ref.model);
          return streamAnswer({
            provider: candidate.spec,
            model: candidate.ref.model,
            messages: [...prompt],
            signal,
            models: deps.models,
            tools: offered,
            onDelta: (soFar, delta) => {
              streamed = true;
              text = soFar;
              events.delta(soFar, delta);
              request.onDelta?.(delta);
            },
          });
        },
      }).catch((caught) => {
        if (caught instanceof FailoverExhausted) {
          attempts = [...attempts, ...caught.attempts];
          throw caught.error;
        }
        throw caught;
      });
      attempts = [...attempts, ...won.attempts];
      candidate = won.candidate;
      return won.answer;
    };
    const loop = await runToolLoop({
      messages,
      tools,
      signal,
      step,
      context: {
        runId,
        agentId,
        sessionKey,
        workspace: agent.workspace,
        senderIsOwner: request.senderIsOwner ?? true,
      },
      hooks: {
        stepAnswered: async (answer, calls) => {
          events.stepEnded(answer.text);
          const source = {
            runId,
            api: candidate.spec.api,
            provider: candidate.ref.provider,
            model: candidate.ref.model,
          };
          await keep(toolStepMessage(answer, source, calls));
        },
        toolStarted: (call, tool) => events.toolStarted(call, tool?.label ?? toolTitle(call.name)),
        toolUpdated: (call, partial) => events.toolUpdated(call, partial),
        toolEnded: async (call, result, outcome) => {
          events.toolEnded(call, result, outcome);
          await keep(toolResultMessage(call, result, outcome.isError, runId));
        },
      },
    });
    const answer = { ...loop.answer, usage: loop.usage };
    text = answer.text;
    if (persist) {
      // The transcript keeps each message's own usage; the outcome sums the run's steps.
      const recorded = await recordAnswer(deps.sessions, { sessionKey, agentId }, {
        ...loop.answer,
        runId,
        api: candidate.spec.api,
        provider: candidate.ref.provider,
        model: candidate.ref.model,
      });
      written(recorded, ++position);
    }
    facts.endedAt = Date.now();
    const { stopReason, usage } = answer;
    events.ended({ startedAt, endedAt: facts.endedAt, stopReason, outputTokens: usage.output, text });
    return { outcome: { ...succeeded(facts, answer), attempts } };
  } catch (caught) {
    // A store failure is reported as one: the answer may have reached the caller already, but
    // it is not in the transcript, and the caller must not believe it is.
    const error = runErrorOf(runId, caught);
    facts.endedAt = Date.now();
    if (error.kind === "aborted" && text && facts.sessionId) {
      await recordAbortedAnswer(deps.sessions, { sessionKey, agentId }, { text, runId, endedAt: facts.endedAt });
    }
    events.failed({ startedAt, endedAt: facts.endedAt, error, text });
    return { outcome: { ...failed(facts, error, text), ...(attempts.length > 0 ? { attempts } : {}) }, failure: error };
  }
}
