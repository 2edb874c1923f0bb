// The tool loop's own cost: 50-step runs (49 tool calls of agents_list, then the answer) through the
// real run engine (tool calls, transcript writes, events) against the scripted fake model, minus the
// same 50 model calls made alone through the provider layer (what a run cost before it had a loop).
// The raw upstream (a plain fetch of the same answers) is shown beside it. The machine these run on
// is shared and often loaded far past its cores: wall-clock medians then measure the neighbours, so
// the verdict is on CPU time (this process's, which the fake model shares on both sides of the
// subtraction); wall-clock figures are shown beside it.
// Memory: heap after repeated 50-step runs, which must not grow with the number of runs.
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { type PromptMessage, ProviderModels, streamCompletion } from "../../src/agent/provider.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import type { ToolHost } from "../../src/agent/tool.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { type ScriptStep, startFakeUpstream } from "../support/fake_upstream.ts";
import { cpuUsage } from "node:process";
import type { BenchRow } from "./startup_bench.ts";

const STEPS = 50;
const RUNS = 12;
const MODEL = "bench-loop";

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function script(): ScriptStep[] {
  return [
    ...Array.from({ length: STEPS - 1 }, (): ScriptStep => ({ toolCalls: [{ name: "agents_list", args: {} }] })),
    { text: "Done after fifty steps." },
  ];
}

/** Wall and CPU milliseconds of `work`. */
async function timed(work: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu = cpuUsage();
  const started = performance.now();
  await work();
  const used = cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

function heapMb(): number {
  // A collection first when the runtime offers it (--v8-flags=--expose-gc), so the heap is what is live.
  (globalThis as { gc?: () => void }).gc?.();
  return Deno.memoryUsage().heapUsed / 1024 / 1024;
}

/** Runs the tool loop benchmark and returns its rows. */
export async function benchLoop(): Promise<BenchRow[]> {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "loop-bench-" });
  try {
    const rawConfig = {
      models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: [MODEL] } } },
      agents: { defaults: { model: { primary: `fake/${MODEL}` } } },
    };
    const agents = agentsFromConfig(rawConfig as never, stateDir, "/home/test");
    const sessions = new SessionStore(stateDir);
    // The whole resolved config, as the gateway's tool host has it: the tool families read their sections from it
    // per call (the file tools the agents, MCP its servers), so a hand-made part of it breaks as they grow.
    const paths = resolvePaths({ env: { HOME: stateDir, OPENCLAW_STATE_DIR: stateDir }, exists: () => false });
    const config: ResolvedConfig = resolveConfig({ paths, config: rawConfig as never, env: {} });
    const toolHost: ToolHost = { sessions, agents: () => agents, config: () => config, stateDir };
    let events = 0;
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => void events++, toolHost });

    // What the upstream's 50 answers cost a client that only fetches and reads them (the floor).
    const direct = () =>
      timed(async () => {
        upstream.script(`${MODEL}-direct`, script());
        for (let i = 0; i < STEPS; i++) {
          const res = await fetch(`${upstream.url}/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              model: `${MODEL}-direct`,
              stream: true,
              messages: [{ role: "user", content: "go" }],
            }),
          });
          await res.text();
        }
      });
    // The same 50 model calls through the provider layer alone, no loop around them.
    const models = new ProviderModels();
    const spec = agents.providers.get("fake")!;
    const offered = [{
      name: "agents_list",
      description: "List agents.",
      parameters: { type: "object", properties: {} },
    }];
    // The conversation grows by a call and its result per step on both sides: sending it is the
    // model call's cost, not the loop's. Its system prompt and tool result are the loop run's own.
    let system = "";
    let listed = "";
    const modelOnly = () =>
      timed(async () => {
        upstream.script(`${MODEL}-model`, script());
        const messages: PromptMessage[] = [{ role: "system", text: system }, {
          role: "user",
          text: "Run the tool fifty times.",
        }];
        for (let i = 0; i < STEPS; i++) {
          const parts = streamCompletion({
            provider: spec,
            model: `${MODEL}-model`,
            messages,
            signal: new AbortController().signal,
            models,
            tools: offered,
          });
          for await (const _part of parts) { /* read to the end */ }
          const id = `call_${i}`;
          messages.push({ role: "assistant", text: "", toolCalls: [{ id, name: "agents_list", input: {} }] });
          messages.push({
            role: "tool",
            toolCallId: id,
            toolName: "agents_list",
            content: [{ type: "text", text: listed }],
            isError: false,
          });
        }
      });
    const loopRun = (i: number) =>
      timed(async () => {
        upstream.requests.length = 0;
        upstream.script(MODEL, script());
        const run = runs.start({
          agentId: "main",
          sessionKey: `agent:main:bench-${i}`,
          message: "Run the tool fifty times.",
          idempotencyKey: `bench-loop-${i}`,
        });
        if (run.kind !== "accepted") throw new Error(`bench run ${i} was not accepted`);
        const outcome = await run.done;
        if (outcome.status !== "ok") throw new Error(`bench run ${i} ended ${outcome.status}: ${outcome.error}`);
        if (upstream.requestsOf(MODEL).length !== STEPS) throw new Error(`bench run ${i} took the wrong step count`);
      });

    // Warm up both paths (the provider package loads on the first run).
    await direct();
    await loopRun(-1);
    const [first, second] = upstream.requestsOf(MODEL) as { messages: { role: string; content: string }[] }[];
    system = first!.messages.find((m) => m.role === "system")?.content ?? "";
    listed = second!.messages.find((m) => m.role === "tool")?.content ?? "";
    await modelOnly();
    const raw: { wall: number; cpu: number }[] = [];
    const floors: { wall: number; cpu: number }[] = [];
    const totals: { wall: number; cpu: number }[] = [];
    const heaps: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      raw.push(await direct());
      floors.push(await modelOnly());
      totals.push(await loopRun(i));
      heaps.push(heapMb());
    }
    const wall = (xs: { wall: number }[]) => p50(xs.map((x) => x.wall));
    const cpu = (xs: { cpu: number }[]) => p50(xs.map((x) => x.cpu));
    const perStepCpu = Math.max(0, (cpu(totals) - cpu(floors)) / STEPS);
    const perStepWall = Math.max(0, (wall(totals) - wall(floors)) / STEPS);
    // Flat: the heap after the last runs is not above the heap after the first ones by more than a
    // few megabytes (one run's garbage not yet collected, without --expose-gc).
    const early = Math.min(...heaps.slice(1, 4));
    const late = Math.min(...heaps.slice(-3));
    const growth = late - early;
    return [
      {
        metric: `tool loop: CPU per model step beyond the model call (${STEPS}-step runs, p50 of ${RUNS})`,
        value: `${perStepCpu.toFixed(3)} ms CPU (CPU per run ${cpu(totals).toFixed(1)} ms, model calls alone ${
          cpu(floors).toFixed(1)
        } ms, raw upstream ${cpu(raw).toFixed(1)} ms; wall per step beyond ${perStepWall.toFixed(2)} ms, run ${
          wall(totals).toFixed(0)
        } ms, model calls ${wall(floors).toFixed(0)} ms, raw upstream ${wall(raw).toFixed(0)} ms)`,
        target: "< 1 ms",
        met: perStepCpu < 1,
      },
      {
        metric: `tool loop: heap growth over ${RUNS} runs of ${STEPS} steps`,
        value: `${growth.toFixed(2)} MB (${early.toFixed(1)} → ${late.toFixed(1)} MB, ${events} events)`,
        target: "< 5 MB",
        met: growth < 5,
      },
    ];
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}
