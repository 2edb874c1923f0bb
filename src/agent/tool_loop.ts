// The tool loop of a run: ask the model → run each tool it called → send the results back → ask
// again, until it answers without calling a tool. A tool's failure is an error result the model
// reads (the run goes on); an abort stops the running tool and the loop.
import { getLogger } from "../log/logger.ts";
import type { OfferedTool, PromptMessage, TokenUsage, ToolResultMessage } from "./provider.ts";
import { RunError } from "./run_error.ts";
import type { ModelAnswer, StepToolCall } from "./run_model.ts";
import {
  admitLoopStep,
  loopBlockedResult,
  loopCallEnded,
  loopCallStarted,
  type LoopGuard,
  type LoopIntervention,
  newLoopGuard,
  withLoopWarning,
} from "./tool_loop_guard.ts";
import { ToolLoopStopped } from "./tool_loop_stopped.ts";
import { capToolResult, DEFAULT_MAX_LIVE_TOOL_RESULT_CHARS } from "./tool_result_limit.ts";
import { type AgentTool, type ToolCall, ToolError, type ToolResult } from "./tool.ts";
import { type ToolValidators, validateToolArgs } from "./tool_call_validation.ts";

/**
 * Model steps one run may take. The reference's loop has no count of its own (its guards are the
 * run timeout and loop detection); this bound keeps a model that never stops calling tools from
 * running a run forever.
 */
export const DEFAULT_MAX_STEPS = 100;

/** A tool call the loop is running: its id, the tool's name and the parsed arguments. */
export interface RunningToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** A call another call made (Tool Search's `tool_call` running its target): that call's id. */
  parentToolCallId?: string | undefined;
}

/** What the run is told as the loop goes (events, transcript). */
export interface ToolLoopHooks {
  /** A tool call is about to run; `tool` is undefined when the model named no offered tool. */
  toolStarted?(call: RunningToolCall, tool: AgentTool | undefined): void;
  /** A running tool streamed partial output. */
  toolUpdated?(call: RunningToolCall, partial: ToolResult): void;
  /**
   * A tool call ended, with the result the model gets; `executed` is false when it was refused
   * before running.
   */
  toolEnded?(
    call: RunningToolCall,
    result: ToolResult,
    outcome: { isError: boolean; executed: boolean },
  ): Promise<void> | void;
  /** A step answered with tool calls, before any of them runs. */
  stepAnswered?(answer: ModelAnswer, calls: RunningToolCall[]): Promise<void> | void;
  /** Every call of a step has its result (the transcript keeps the step). */
  stepEnded?(): Promise<void>;
  /**
   * A running call runs another tool inside it (`tool_call`): the hook runs it with `run` and tells clients and
   * the transcript of it. Without the hook the inner call runs unseen, as part of its parent.
   */
  nestedCall?(parent: RunningToolCall, inner: NestedCall, run: NestedRun): Promise<ToolResult>;
}

/** The tool a call runs inside it, and its arguments. */
export interface NestedCall {
  name: string;
  args: Record<string, unknown>;
}

/** Runs a nested call under its own id, streaming its partial output to `update`. */
export type NestedRun = (toolCallId: string, update: (partial: ToolResult) => void) => Promise<ToolResult>;

/**
 * The result of a loop: the final answer, the number of model steps and their summed usage.
 * `terminated`: the loop stopped after a step whose every call ended it (calls handed to an HTTP
 * caller), and `answer` is that step, its tool calls included.
 */
export interface ToolLoopResult {
  answer: ModelAnswer;
  steps: number;
  usage: TokenUsage;
  terminated?: boolean | undefined;
}

/** What a tool call knows of its run, except what the loop fills in per call. */
export type ToolCallContext = Omit<ToolCall, "toolCallId" | "signal" | "update" | "nested">;

/** The arguments the model wrote: a JSON object, or a reason the tool was not run. */
function parseArgs(call: StepToolCall): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = call.input.trim() === "" ? {} : JSON.parse(call.input);
  } catch {
    return `Invalid arguments for tool ${call.name}: not valid JSON`;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return `Invalid arguments for tool ${call.name}: expected a JSON object`;
  }
  return parsed as Record<string, unknown>;
}

/** The result the reference gives a call an abort cut off or never ran. */
export const ABORTED_RESULT = "Operation aborted";

function errorResult(text: string): ToolResult {
  return { content: [{ type: "text", text }], details: {} };
}

/** What a thrown value says: an Error's message (its text when the message is blank), else the value as text. */
function thrownMessage(caught: unknown): string {
  if (caught instanceof Error) return caught.message.trim() ? caught.message : String(caught);
  return String(caught);
}

/**
 * The result of a call whose tool threw, as the reference's tool adapter makes it: `{status: "error", tool, error}`
 * as indented JSON text and as its details. Calls refused before running (unknown tool, arguments that are not
 * JSON) and aborted calls keep their plain text, as the reference's loop gives them.
 */
function thrownResult(tool: string, message: string): ToolResult {
  const payload = { status: "error", tool, error: message };
  return { content: [{ type: "text", text: JSON.stringify(payload, null, 2) }], details: payload };
}

function aborted(): RunError {
  return new RunError("aborted", "This operation was aborted");
}

/**
 * Runs one tool call to its result; the run's abort ends the wait even when the tool ignores it. `error`:
 * the call threw (loop detection digests the error, not the result made of it).
 */
async function runTool(
  tool: AgentTool,
  running: RunningToolCall,
  call: ToolCall,
): Promise<{ result: ToolResult; isError: boolean; error?: string }> {
  let stop: (() => void) | undefined;
  const abortedWait = new Promise<never>((_, reject) => {
    stop = () => reject(aborted());
    call.signal.addEventListener("abort", stop, { once: true });
  });
  try {
    const result = await Promise.race([tool.execute(running.args, call), abortedWait]);
    return { result, isError: result.isError === true };
  } catch (caught) {
    if (call.signal.aborted) throw aborted();
    const message = thrownMessage(caught);
    if (!(caught instanceof ToolError)) {
      getLogger("agent/tools").warn("tool {tool} failed in run {runId}: {message}", {
        tool: tool.name,
        runId: call.runId,
        message,
      });
    }
    return { result: thrownResult(tool.name, message), isError: true, error: message };
  } finally {
    call.signal.removeEventListener("abort", stop!);
  }
}

function addUsage(sum: TokenUsage, step: TokenUsage): TokenUsage {
  const add = (a: number | undefined, b: number | undefined) =>
    a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
  return {
    input: sum.input + step.input,
    output: sum.output + step.output,
    cacheRead: add(sum.cacheRead, step.cacheRead),
    cacheWrite: add(sum.cacheWrite, step.cacheWrite),
  };
}

/**
 * Runs model steps until one answers without calling a tool. Tools run one after another in the
 * order the model called them; each result goes back to the model in the next step.
 */
export async function runToolLoop(input: {
  messages: readonly PromptMessage[];
  tools: readonly AgentTool[];
  signal: AbortSignal;
  context: ToolCallContext;
  /** One model step over the conversation so far, offering `offered`. */
  step(messages: readonly PromptMessage[], offered: readonly OfferedTool[]): Promise<ModelAnswer>;
  hooks?: ToolLoopHooks | undefined;
  maxSteps?: number | undefined;
  /** The most characters one result keeps (the model answering now decides); absent: the reference's default. */
  maxResultChars?: (() => number) | undefined;
  /** `tools.loopDetection` in force for the run's agent: repeated no-progress calls are warned, then blocked. */
  loopDetection?: boolean | undefined;
  /** The schema validators calls are checked with (tool_call_validation.ts); absent: arguments go to tools as written. */
  validators?: (() => Promise<ToolValidators>) | undefined;
}): Promise<ToolLoopResult> {
  const { tools, signal, context, hooks = {} } = input;
  const maxSteps = input.maxSteps ?? DEFAULT_MAX_STEPS;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const offered = tools.map(({ name, description, parameters }) => ({ name, description, parameters }));
  const messages = [...input.messages];
  let usage: TokenUsage = { input: 0, output: 0 };
  const guard: LoopGuard | undefined = input.loopDetection ? newLoopGuard() : undefined;
  for (let steps = 1;; steps++) {
    const answer = await input.step(messages, offered);
    usage = addUsage(usage, answer.usage);
    if (answer.toolCalls.length === 0) return { answer, steps, usage };
    if (steps >= maxSteps) {
      throw new RunError(
        "model_failed",
        `The model was still calling tools after ${maxSteps} steps; the run stopped without a final answer`,
      );
    }
    const parsed = answer.toolCalls.map((call) => ({ call, args: parseArgs(call) }));
    messages.push({
      role: "assistant",
      text: answer.text,
      ...(answer.thinking?.length ? { thinking: answer.thinking } : {}),
      toolCalls: parsed.map(({ call, args }) => ({
        id: call.id,
        name: call.name,
        input: typeof args === "string" ? {} : args,
      })),
    });
    const calls = parsed.map(({ call, args }): RunningToolCall => ({
      id: call.id,
      name: call.name,
      args: typeof args === "string" ? {} : args,
    }));
    await hooks.stepAnswered?.(answer, calls);
    // A critical loop: no call of the step runs; each is told why. The second in a run stops it.
    const blockStep = async (intervention: LoopIntervention) => {
      for (const running of calls) {
        hooks.toolStarted?.(running, byName.get(running.name));
        const result = loopBlockedResult(intervention, running.id);
        await hooks.toolEnded?.(running, result, { isError: true, executed: false });
        messages.push({
          role: "tool",
          toolCallId: running.id,
          toolName: running.name,
          content: result.content,
          isError: true,
        });
      }
      await hooks.stepEnded?.();
      if (intervention.terminal) throw new ToolLoopStopped();
    };
    // An abort answers the running call and those not yet run with the reference's
    // "Operation aborted" error result (told like any other), then ends the loop.
    const abortFrom = async (first: number, executed: boolean) => {
      for (const [i, running] of calls.entries()) {
        if (i < first) continue;
        if (i > first || !executed) hooks.toolStarted?.(running, byName.get(running.name));
        await hooks.toolEnded?.(running, errorResult(ABORTED_RESULT), {
          isError: true,
          executed: executed && i === first,
        });
      }
      throw aborted();
    };
    // Calls the model can run (an offered tool, valid arguments) are admitted by the loop guard as one step.
    const admission = guard
      ? admitLoopStep(
        guard,
        calls.filter((call, i) => typeof parsed[i]!.args !== "string" && byName.has(call.name)),
      )
      : undefined;
    if (admission && "intervention" in admission) {
      await blockStep(admission.intervention);
      continue;
    }
    const warnings = admission?.warnings;
    // The reference's `terminate`: the loop ends after a step only when every one of its calls says so.
    let terminate = true;
    for (const [i, { call, args }] of parsed.entries()) {
      if (signal.aborted) await abortFrom(i, false);
      const running = calls[i]!;
      const tool = byName.get(call.name);
      hooks.toolStarted?.(running, tool);
      // Checked against the tool's schema (after the start is shown, as the reference's loop): arguments off it are
      // refused and the tool does not run; coercible ones run coerced.
      const prepared = tool?.prepareArgs && typeof args !== "string" ? tool.prepareArgs(args) : args;
      const checked = tool && typeof prepared !== "string" && input.validators
        ? validateToolArgs(tool.name, tool.parameters, prepared, await input.validators())
        : undefined;
      const refusal = checked && "refusal" in checked ? checked.refusal : undefined;
      const runnable = typeof args !== "string" && tool !== undefined && refusal === undefined;
      const guarded = guard && runnable ? guard : undefined;
      if (guarded) loopCallStarted(guarded, running);
      const { result: whole, isError, error } = typeof args === "string"
        ? { result: errorResult(args), isError: true }
        : !tool
        ? { result: errorResult(`Tool ${call.name} not found`), isError: true }
        : refusal !== undefined
        ? { result: errorResult(refusal), isError: true }
        : await runTool(tool, {
          ...running,
          args: checked && "args" in checked ? checked.args : prepared as Record<string, unknown>,
        }, {
          ...context,
          toolCallId: call.id,
          signal,
          update: (partial) => hooks.toolUpdated?.(running, partial),
          nested: (inner, run) =>
            hooks.nestedCall
              ? hooks.nestedCall(running, inner, run)
              : run(call.id, (partial) => hooks.toolUpdated?.(running, partial)),
        }).catch((caught) => {
          if (caught instanceof RunError && caught.kind === "aborted") return abortFrom(i, true);
          throw caught;
        });
      if (guarded) {
        // The call has run: a result the guard cannot digest (a cycle, a depth past the stack) costs the run its
        // loop tracking for this call, not its result, as the reference's outcome tracking fails soft.
        try {
          loopCallEnded(guarded, running, error !== undefined ? { error } : { result: whole });
        } catch (caught) {
          getLogger("agent/loop-detection").warn("tool loop outcome tracking failed for {tool}: {message}", {
            tool: call.name,
            message: caught instanceof Error ? caught.message : String(caught),
          });
        }
      }
      // Capped before anyone sees it: the prompt, the transcript and the events all get the same result.
      if (whole.terminate !== true) terminate = false;
      const capped = capToolResult(whole, input.maxResultChars?.() ?? DEFAULT_MAX_LIVE_TOOL_RESULT_CHARS);
      // The warning note follows the result, after the cap, so it is never the part cut.
      const warned = warnings?.get(call.id);
      const result = warned === undefined ? capped : withLoopWarning(capped, warned);
      await hooks.toolEnded?.(running, result, { isError, executed: runnable });
      const message: ToolResultMessage = {
        role: "tool",
        toolCallId: call.id,
        toolName: call.name,
        content: result.content,
        isError,
      };
      messages.push(message);
    }
    await hooks.stepEnded?.();
    if (signal.aborted) throw aborted();
    if (terminate) return { answer, steps, usage, terminated: true };
  }
}
