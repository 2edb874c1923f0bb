// Where a gateway's resident memory sits over time (docs/performance.md, "idle RSS after the first client: what is
// left", branch idle2): `deno run -A tests/bench/idle_parts.ts [--settle S] [--realistic] [--cold] <bundle dir>`.
// Starts the bundle as the binary runs it, then at accepting, after one client's hello, health, status and
// sessions.list, and at 1, 3, 6, 10, 15, 20, 30 and 40 s after it left, prints RSS split by mapping from
// /proc/<pid>/smaps: the `deno` executable's code pages (its text and V8's remapped builtins), its read-only and
// data pages, anonymous memory (the V8 heap, thread stacks, malloc's thread arenas), malloc's main heap
// ([heap]), the rest (libc...), and the thread count. `--cold` gives the start an empty DENO_DIR, so it compiles
// every module and writes Deno's code cache (a first start after an install or upgrade). Run several side by side
// to compare builds at the same load. Loopback only; the gateway is stopped by its PID.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { benchArgs } from "./bench_args.ts";
import { benchClient, benchHome, operatorConnect, spawnBundleGateway, stopProcess } from "./bench_gateway.ts";

const { option, flag, rest: args } = benchArgs(Deno.args);
const SETTLE_S = Number(option("--settle", "40"));
const realistic = flag("--realistic");
const cold = flag("--cold");
const DIR = Deno.realPathSync(args[0] ?? "dist/bundle");

/** RSS in MB by kind of mapping, from smaps. */
function parts(pid: number): string {
  let code = 0, readonly = 0, anon = 0, heap = 0, other = 0, kind = "";
  for (const line of Deno.readTextFileSync(`/proc/${pid}/smaps`).split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const [, perm = "", name = ""] = head;
      kind = name === "[heap]"
        ? "heap"
        : name.endsWith("/deno")
        ? (perm.includes("x") ? "code" : "readonly")
        : name === "" || name.startsWith("[anon")
        ? "anon"
        : "other";
      continue;
    }
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (!rss) continue;
    const kb = Number(rss[1]);
    if (kind === "heap") heap += kb;
    else if (kind === "code") code += kb;
    else if (kind === "readonly") readonly += kb;
    else if (kind === "anon") anon += kb;
    else other += kb;
  }
  const total = Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1]);
  const threads = [...Deno.readDirSync(`/proc/${pid}/task`)].length;
  const mb = (kb: number) => (kb / 1024).toFixed(1);
  return `rss ${mb(total)} code ${mb(code)} ro+data ${mb(readonly)} anon ${mb(anon)} [heap] ${mb(heap)} ` +
    `other ${mb(other)} threads ${threads}`;
}

const { home, port } = benchHome("idleparts-", realistic);
const denoDir = cold ? Deno.makeTempDirSync({ prefix: "idleparts-deno-" }) : undefined;
const child = spawnBundleGateway(DIR, home, denoDir);
try {
  const t0 = performance.now();
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (performance.now() - t0 > 15_000) throw new Error(`port ${port} did not accept within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  console.log(`accepting  ${parts(child.pid)}`);
  const { ws, challenged, request } = benchClient(port);
  await challenged;
  const hello = await request("connect", operatorConnect());
  if (!hello.ok) throw new Error(`connect refused: ${JSON.stringify(hello)}`);
  for (const method of ["health", "status", "sessions.list"]) await request(method, {});
  console.log(`client     ${parts(child.pid)}`);
  ws.close();
  let waited = 0;
  for (const at of [1, 3, 6, 10, 15, 20, 30, 40, 60, 90, 120].filter((s) => s <= SETTLE_S)) {
    await new Promise((resolve) => setTimeout(resolve, (at - waited) * 1000));
    waited = at;
    console.log(`${`+${at} s`.padEnd(10)} ${parts(child.pid)}`);
  }
} finally {
  await stopProcess(child);
  Deno.removeSync(home, { recursive: true });
  if (denoDir) Deno.removeSync(denoDir, { recursive: true });
}
