// A model for the tool loop's in-process tests: scripted answers in turn, each prompt recorded.
import type { PromptMessage } from "../../src/agent/provider.ts";
import type { ModelAnswer } from "../../src/agent/run_model.ts";

/** The run's tool context the loop tests share. */
export const LOOP_CONTEXT = {
  runId: "r1",
  agentId: "main",
  sessionKey: "agent:main:main",
  workspace: "/w",
  senderIsOwner: true,
};

/** One model step: its text and the tool calls it makes (arguments as JSON text, `{}` when absent). */
export function answer(text: string, calls: { id: string; name: string; input?: string }[] = []): ModelAnswer {
  return {
    text,
    usage: { input: 10, output: 2 },
    stopReason: calls.length ? "tool-calls" : "stop",
    toolCalls: calls.map((c) => ({ id: c.id, name: c.name, input: c.input ?? "{}" })),
  };
}

/** A model that answers with the scripted steps in turn (the last one again after the end) and records each prompt. */
export function scripted(steps: ModelAnswer[]): {
  prompts: PromptMessage[][];
  step: (messages: readonly PromptMessage[]) => Promise<ModelAnswer>;
} {
  const prompts: PromptMessage[][] = [];
  return {
    prompts,
    step: (messages) => {
      prompts.push([...messages]);
      return Promise.resolve(steps[Math.min(prompts.length - 1, steps.length - 1)]!);
    },
  };
}
