// The scripted model of a run caught mid-answer after tool calls (and, next run, after a progress card), shared
// by tools/record_reference_inflight_tools.ts and the tests that compare our gateway with its recording.
import type { Page } from "playwright-core";
import type { ScriptStep } from "./fake_script.ts";

/** A held script: its steps, the text shown while held, the whole answer, and each run's release. */
export interface InFlightToolScript {
  steps: ScriptStep[];
  /** The answer's first half: what the run shows while held. */
  heldText: string;
  /** The text the tool run's model writes before its call. */
  preamble: string;
  /** The whole answer, once released. */
  answer: string;
  /** Lets run `n` (0: the tool run, 1: the plan run) go on. */
  release(n: number): void;
}

/** The answer each run streams after its tool call (its first half while held). */
const ANSWER = "It says: remember the milk.";
/** What the tool run's model writes before its call. */
const PREAMBLE = "Let me read it.";

/**
 * Run 0 reads notes.txt with `read` (text first), then streams half of its answer and holds; run 1 calls
 * `progress_card` with a two-step plan, then holds likewise. Each request of the model takes the next step.
 */
export function INFLIGHT_TOOL_SCRIPT(): InFlightToolScript {
  const releases: (() => void)[] = [];
  const holds = [0, 1].map(() => new Promise<void>((resolve) => releases.push(resolve)));
  const steps: ScriptStep[] = [
    { text: PREAMBLE, toolCalls: [{ id: "call_read", name: "read", args: { path: "notes.txt" } }] },
    { text: ANSWER, hold: holds[0] },
    {
      toolCalls: [{
        id: "call_plan",
        name: "progress_card",
        args: { plan: [{ step: "Read the notes", status: "completed" }, { step: "Answer", status: "in_progress" }] },
      }],
    },
    { text: ANSWER, hold: holds[1] },
  ];
  return {
    steps,
    heldText: ANSWER.slice(0, Math.floor(ANSWER.length / 2)),
    preamble: PREAMBLE,
    answer: ANSWER,
    release: (n) => releases[n]?.(),
  };
}

/** What the Control UI's chat shows of the run, counted: its tool rows (and their text), the text before the call, the answer. */
export async function inFlightUiCounts(page: Page, script: InFlightToolScript): Promise<InFlightUiCounts> {
  const rows = page.locator(".chat-tool-row");
  // Shown text only: the screen-reader announcement (`.sr-only`) repeats the latest message, at its own pace.
  const shown = (text: string, exact = false) => page.getByText(text, { exact }).and(page.locator(":not(.sr-only)"));
  return {
    toolRows: await rows.count(),
    // A row still marked running: its result not known to the page.
    runningRows: await page.locator(".chat-tool-row--running").count(),
    // The run's status line: the tokens its usage so far reports (from the usage event), if any.
    outputTokens: /\d+ output tokens?/.exec(await page.locator(".chat-thread").innerText())?.[0] ?? null,
    toolRowTexts: (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim()),
    preamble: await shown(script.preamble, true).count(),
    heldText: await shown(script.heldText).count(),
    answer: await shown(script.answer).count(),
  };
}

/** What `inFlightUiCounts` counts. */
export interface InFlightUiCounts {
  toolRows: number;
  runningRows: number;
  outputTokens: string | null;
  toolRowTexts: string[];
  preamble: number;
  heldText: number;
  answer: number;
}
