// Paired streamed chat answers (docs/performance.md, "the HTTP edge"):
// `deno run -A tests/bench/http_pair.ts [--model chunks-10] [--pairs 100] [--endpoint chat|responses] [--solo N] [--seeded] <repo dir>...`.
// Each <repo dir> is a tree with its bundle built (`deno task bundle`); the gateways share one stamping fake upstream.
// Default: all gateways run at once and requests alternate between them (the order reversed every pair), then one
// straight to the upstream. Per request: "to upstream" (client start → the upstream's handler), "end" (the upstream's
// last write → the client's last byte), "added" (their sum) and the gateway's CPU (all threads, /proc schedstat).
// With --solo N: one gateway at a time, as `deno task bench http` runs, N rounds alternating the trees; per run the
// bench's figure (p50 through the gateway less p50 direct, each beyond the upstream's own time). With --seeded each
// gateway's workspace holds seven bootstrap files and ten skills (tests/support/seeded_workspace.ts). Loopback only; each
// gateway is stopped by its PID.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, RUNTIME_ENV } from "../support/spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";
import { benchArgs } from "./bench_args.ts";
import { seedWorkspace, SETTLE_MS } from "../support/seeded_workspace.ts";

const { option, flag, rest: args } = benchArgs(Deno.args);
const MODEL = option("--model", "chunks-10");
const PAIRS = Number(option("--pairs", "100"));
const ENDPOINT = option("--endpoint", "chat");
const SOLO = Number(option("--solo", "0"));
const SEEDED = flag("--seeded");
const DIRS = args.map((dir) => Deno.realPathSync(dir));
const TOKEN = "bench-token-0123456789abcdef";
const upstream = startFakeUpstream();

function cpuOf(pid: number): number {
  let all = 0;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      all += Number(Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/schedstat`).split(" ")[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return all / 1e6;
}

interface Gateway {
  dir: string;
  port: number;
  child: Deno.ChildProcess;
  home: string;
}

async function start(dir: string): Promise<Gateway> {
  const home = await Deno.makeTempDir({ prefix: "httppair-" });
  await Deno.mkdir(`${home}/.openclaw`);
  const port = freePort();
  const endpoints = { chatCompletions: { enabled: true }, responses: { enabled: true } };
  const config = {
    gateway: { mode: "local", auth: { token: TOKEN }, http: { endpoints } },
    models: { providers: { fake: { baseUrl: upstream.url, models: ["m1", "chunks-10", "chunks-200", "burst-200"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  };
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config));
  if (SEEDED) await seedWorkspace(`${home}/.openclaw/workspace`);
  const seededAt = Date.now();
  const program = [...compileRunFlags(), "--quiet", "--no-config", `${dir}/dist/bundle/main.js`];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...program, "gateway", "run", "--port", String(port)],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`,
      NO_COLOR: "1",
      ...RUNTIME_ENV,
    },
    clearEnv: true,
    cwd: home,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const t0 = performance.now();
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      // A seeded workspace is measured once the gateway trusts its stamps, as a user's is.
      const settle = SEEDED ? seededAt + SETTLE_MS - Date.now() : 0;
      if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
      return { dir, port, child, home };
    } catch {
      if (performance.now() - t0 > 15_000) throw new Error(`${dir}: port ${port} did not accept within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function stop(gateway: Gateway): Promise<void> {
  gateway.child.kill("SIGTERM");
  await gateway.child.status;
  await Deno.remove(gateway.home, { recursive: true });
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)]!;
const p50 = (values: number[]) => quantile(values, 0.5);
const spread = (values: number[]) => [0.25, 0.5, 0.75, 0.9].map((q) => quantile(values, q).toFixed(2)).join("/");
const label = (dir: string) => dir.split("/").slice(-2).join("/");

/** One streamed answer, through `gateway` or (undefined) straight to the upstream. */
async function one(gateway: Gateway | undefined): Promise<{ toUp: number; added: number; end: number }> {
  const chat = ENDPOINT === "chat";
  const url = gateway === undefined
    ? `${upstream.url}/chat/completions`
    : `http://127.0.0.1:${gateway.port}/v1/${chat ? "chat/completions" : "responses"}`;
  const body = gateway === undefined
    ? { model: MODEL, messages: [{ role: "user", content: "hi" }], stream: true }
    : chat
    ? { messages: [{ role: "user", content: "hi" }], stream: true }
    : { model: "openclaw", input: "hi", stream: true };
  const before = upstream.streams.length;
  const t0 = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${TOKEN}`,
      "x-openclaw-model": `fake/${MODEL}`,
    },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  const ended = performance.now();
  if (!res.ok || upstream.streams.length !== before + 1) throw new Error(`${url} answered ${res.status}`);
  const own = upstream.streams.at(-1)!;
  return { toUp: own.arrived - t0, added: ended - t0 - (own.finished - own.arrived), end: ended - own.finished };
}

async function solo(): Promise<void> {
  const runs = new Map<string, number[]>();
  for (let round = 0; round < SOLO; round++) {
    for (const dir of round % 2 ? [...DIRS].reverse() : DIRS) {
      const gateway = await start(dir);
      try {
        for (let i = 0; i < 20; i++) await one(gateway);
        const via: number[] = [], direct: number[] = [], toUp: number[] = [];
        for (let i = 0; i < PAIRS; i++) {
          direct.push((await one(undefined)).added);
          const r = await one(gateway);
          via.push(r.added);
          toUp.push(r.toUp);
        }
        const added = p50(via) - p50(direct);
        runs.set(dir, [...runs.get(dir) ?? [], added]);
        const load = Deno.loadavg()[0]!.toFixed(1);
        console.log(
          `${label(dir)} ${MODEL} run ${round}: added ${added.toFixed(2)} (to upstream ${
            p50(toUp).toFixed(2)
          }) load ${load}`,
        );
      } finally {
        await stop(gateway);
      }
    }
  }
  for (const [dir, values] of runs) console.log(`${label(dir)}: ${values.map((v) => v.toFixed(2)).join(", ")}`);
}

async function paired(): Promise<void> {
  const gateways: Gateway[] = [];
  try {
    for (const dir of DIRS) gateways.push(await start(dir));
    for (const gateway of gateways) for (let i = 0; i < 10; i++) await one(gateway);
    const direct = { toUp: [] as number[], end: [] as number[] };
    const results = gateways.map(() => ({ toUp: [] as number[], added: [] as number[], end: [] as number[], cpu: 0 }));
    for (let i = 0; i < PAIRS; i++) {
      const order = gateways.map((_, k) => k);
      if (i % 2) order.reverse();
      for (const k of order) {
        const pid = gateways[k]!.child.pid;
        const cpu = cpuOf(pid);
        const r = await one(gateways[k]!);
        results[k]!.cpu += cpuOf(pid) - cpu;
        results[k]!.toUp.push(r.toUp);
        results[k]!.added.push(r.added);
        results[k]!.end.push(r.end);
      }
      const d = await one(undefined);
      direct.toUp.push(d.toUp);
      direct.end.push(d.end);
    }
    const load = Deno.loadavg()[0]!.toFixed(1);
    console.log(`direct: to upstream ${p50(direct.toUp).toFixed(2)}, end ${p50(direct.end).toFixed(2)} ms`);
    for (const [k, gateway] of gateways.entries()) {
      const r = results[k]!;
      console.log(
        `${label(gateway.dir)} ${MODEL} ${ENDPOINT} pairs=${PAIRS} load=${load}: to upstream ${
          p50(r.toUp).toFixed(2)
        }` +
          ` added ${p50(r.added).toFixed(2)} end ${p50(r.end).toFixed(2)} cpu/request ${
            (r.cpu / PAIRS).toFixed(2)
          } ms` +
          ` | q25/50/75/90 added ${spread(r.added)} to upstream ${spread(r.toUp)} end ${spread(r.end)}`,
      );
    }
  } finally {
    for (const gateway of gateways) await stop(gateway);
  }
}

try {
  await (SOLO > 0 ? solo() : paired());
} finally {
  await upstream.stop();
}
