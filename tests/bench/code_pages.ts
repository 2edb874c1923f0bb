// Where the idle gateway's resident memory is, against bare scripts (docs/performance.md, "idle base: what the code
// pages are"): `deno run -A tests/bench/code_pages.ts [--settle S] [--copies N] [bundle dir]` (default dist/bundle).
// Starts, side by side, N gateways (the bundle with the compile flags; one client connects and leaves after the port
// accepts) and N of each bare script below, waits S seconds (default 40), then reads /proc/<pid>/smaps (the `deno`
// executable's code pages, its read-only data, anonymous memory, the malloc heap, the rest) and /proc/<pid>/pagemap
// (which 4 KiB pages of the executable's code are resident). Prints one JSON line per process and, per bare script,
// how many of the code pages the gateway has and the bare `Deno.serve` lacks that script also has. Loopback only;
// every process is killed by its PID. Linux only (procfs; pagemap's present bit needs no root).
// The first start after a rebuild writes Deno's code cache and settles some 25 MB higher: read the second run.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { REPO_ROOT } from "../support/spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";
import { benchArgs } from "./bench_args.ts";
import { BENCH_TOKEN, benchHome, spawnBundleGateway, stopProcess } from "./bench_gateway.ts";

const { option, rest: args } = benchArgs(Deno.args);
const SETTLE_S = Number(option("--settle", "40"));
const COPIES = Number(option("--copies", "1"));
const BUNDLE = Deno.realPathSync(args[0] ?? `${REPO_ROOT}/dist/bundle`);

/** Bare scripts: a `Deno.serve` on loopback plus one kind of work each, run once and kept alive. */
const BARE: Record<string, string> = {
  serve: "",
  // The gateway's own start-up modules, loaded and evaluated (parse, compile, top-level code; zod's chunk among them).
  load: `keep.push(await import(${JSON.stringify(`file://${BUNDLE}/`)} + "gateway_run-" + ${
    JSON.stringify(
      [...Deno.readDirSync(BUNDLE)].find((e) => e.name.startsWith("gateway_run-"))?.name.slice("gateway_run-".length),
    )
  }));`,
  // A few major collections: mark-compact, sweeping, compaction.
  gc: `{ let a = []; for (let i = 0; i < 300000; i++) { a.push({ i, s: "x" + i }); if (a.length > 50000) a = []; }
    const big = []; for (let i = 0; i < 200; i++) big.push(new Array(10000).fill(i)); keep.push(big.length); }`,
  // Hot functions: Sparkplug, Maglev and TurboFan compile them.
  hot: `{ const f = (o) => o.a * 2 + o.b.length; let t = 0; for (let i = 0; i < 3e6; i++) t += f({ a: i, b: "xy" });
    const g = (x) => JSON.stringify({ x, y: [x] }).length; for (let i = 0; i < 2e5; i++) t += g(i); keep.push(t); }`,
  // The log redaction's shapes and the start path's other patterns, each run three times (native code on the second).
  regex: `{ const s = "listening on ws://127.0.0.1:18789 token=warm-up-0123 Bearer abcdefgh API_KEY=x";
    const pats = [/(\\bBearer\\s+)([A-Za-z0-9._~+/=-]{4,})/gi, /(--(?:token|password)(?:=|\\s+))([^\\s"'\\\\]{8,512})/g,
      /(\\b[A-Z0-9_]*(?:API_KEY|TOKEN|PASSWORD|SECRET)[A-Z0-9_]*=)([^\\s"'\\\\]{1,512})/g,
      /(\\b[a-z][a-z0-9+.-]*:\\/\\/[^:/\\s@]+:)([^@\\s/]{1,256})(?=@)/gi, /\\b(?:sk|xox[abp]|ghp|gho|github_pat)[-_][A-Za-z0-9_-]{16,}/g,
      /^[^…]{1,6}…[^…]{4}$/, /^(gateway|channels|providers)\\//, /^127\\.\\d+\\.\\d+\\.\\d+$/, /\\s+/y,
      /[\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]/, /(^minProtocol$|^client$)/u];
    for (let i = 0; i < 3; i++) for (const p of pats) keep.push(s.replace(p, (m) => String(m.length))); }`,
  // Local time as the log lines print it (V8 asks ICU for the zone offset).
  date: `{ const d = new Date(); keep.push(d.getTimezoneOffset(), d.getHours(), d.toISOString()); }`,
  // The same bare server again: two runs of one script differ by this many pages (the noise floor of the comparison).
  again: "",
  // A TCP listener, one connection echoing (the gateway serves HTTP/1 and WebSocket itself on \`Deno.listen\`).
  tcp: `{ const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    (async () => { for await (const c of l) { const b = new Uint8Array(64); await c.read(b); await c.write(b); } })();
    const c = await Deno.connect({ hostname: "127.0.0.1", port: l.addr.port }); await c.write(new Uint8Array([1, 2]));
    await c.read(new Uint8Array(8)); keep.push(c); }`,
  // Files as the gateway's start uses them: read, write, append, stat, watch; a SHA-1 and random ids.
  files: `{ const d = Deno.makeTempDirSync(); Deno.writeTextFileSync(d + "/a.json", "{}");
    keep.push(Deno.readTextFileSync(d + "/a.json"), Deno.statSync(d), Deno.watchFs(d), crypto.randomUUID(),
      await crypto.subtle.digest("SHA-1", new Uint8Array(8)), Deno.loadavg(), Deno.memoryUsage());
    const f = Deno.openSync(d + "/log", { append: true, create: true }); f.writeSync(new Uint8Array(4)); keep.push(f);
    Deno.addSignalListener("SIGTERM", () => {}); keep.push(setInterval(() => {}, 1000)); }`,
  // Intl date formatting, which nothing on the gateway's start or first-client path does.
  intl: `keep.push(new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hour: "2-digit" }).format(new Date()));`,
};
// All of the above but Intl, in one process.
BARE.all = ["load", "gc", "hot", "regex", "date", "tcp", "files"].map((name) => BARE[name]).join("\n");

type Part = "code" | "ro" | "anon" | "heap" | "other";
function smaps(pid: number): Record<Part | "total", number> {
  const out = { code: 0, ro: 0, anon: 0, heap: 0, other: 0, total: 0 };
  let kind: Part = "other";
  for (const line of Deno.readTextFileSync(`/proc/${pid}/smaps`).split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const [, perm = "", path = ""] = head;
      if (path.endsWith("/deno")) kind = perm.includes("x") ? "code" : perm.startsWith("r--") ? "ro" : "other";
      else kind = path === "[heap]" ? "heap" : path === "" ? "anon" : "other";
      continue;
    }
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (rss) out[kind] += Number(rss[1]) / 1024;
  }
  out.total = out.code + out.ro + out.anon + out.heap + out.other;
  return out;
}

/** The resident pages of the executable's code mapping, as page numbers in the file. */
function codePages(pid: number): Set<number> {
  const pages = new Set<number>();
  using file = Deno.openSync(`/proc/${pid}/pagemap`);
  for (const line of Deno.readTextFileSync(`/proc/${pid}/maps`).split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) r-xp ([0-9a-f]+) \S+ \S+\s+(\S+)$/.exec(line);
    if (!m || !m[4]?.endsWith("/deno")) continue;
    const start = parseInt(m[1]!, 16), count = (parseInt(m[2]!, 16) - start) / 4096, offset = parseInt(m[3]!, 16);
    const buffer = new Uint8Array(count * 8);
    file.seekSync((start / 4096) * 8, Deno.SeekMode.Start);
    for (let got = 0; got < buffer.length;) {
      const read = file.readSync(buffer.subarray(got));
      if (!read) break;
      got += read;
    }
    const view = new DataView(buffer.buffer);
    for (let i = 0; i < count; i++) if (view.getBigUint64(i * 8, true) >> 63n) pages.add(offset / 4096 + i);
  }
  return pages;
}

async function gateway(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const { home, port } = benchHome("codepages-");
  const child = spawnBundleGateway(BUNDLE, home);
  const stop = async () => {
    await stopProcess(child);
    await Deno.remove(home, { recursive: true });
  };
  try {
    for (const t0 = performance.now();; await new Promise((resolve) => setTimeout(resolve, 5))) {
      if (performance.now() - t0 > 20_000) throw new Error(`the gateway did not accept on ${port} within 20 s`);
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        break;
      } catch {
        // not accepting yet
      }
    }
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await new Promise<void>((resolve, reject) => {
      ws.onerror = () => reject(new Error("the first client's socket failed"));
      ws.onmessage = (event) => {
        const frame = JSON.parse(event.data);
        if (frame.event !== "connect.challenge") return frame.id === "c" ? resolve() : undefined;
        const client = { id: "gateway-client", version: "bench", platform: "linux", mode: "backend" };
        const params = { minProtocol: 4, maxProtocol: 4, client, role: "operator", auth: { token: BENCH_TOKEN } };
        ws.send(JSON.stringify({ type: "req", id: "c", method: "connect", params }));
      };
    });
    ws.close();
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid, stop };
}

function bare(name: string, dir: string): { pid: number; stop: () => Promise<void> } {
  const file = `${dir}/${name}.js`;
  Deno.writeTextFileSync(
    file,
    `const keep = []; globalThis.keep = keep;\n` +
      `Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => new Response("x"));\n${BARE[name]}\n`,
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...compileRunFlags(), "--quiet", "--no-config", file],
    stdout: "null",
    stderr: "null",
  }).spawn();
  return {
    pid: child.pid,
    stop: async () => {
      await stopProcess(child);
    },
  };
}

const dir = Deno.makeTempDirSync({ prefix: "codepages-bare-" });
const started: { name: string; pid: number; stop: () => Promise<void> }[] = [];
try {
  for (let copy = 0; copy < COPIES; copy++) {
    for (const name of Object.keys(BARE)) started.push({ name, ...bare(name, dir) });
    started.push({ name: "gateway", ...await gateway() });
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
  const pages = new Map<string, Set<number>[]>();
  for (const { name, pid } of started) {
    let resident: Set<number>;
    try {
      resident = codePages(pid);
    } catch {
      console.log(JSON.stringify({ name, exited: true })); // a bare script that failed: left out
      continue;
    }
    pages.set(name, [...pages.get(name) ?? [], resident]);
    const parts = Object.entries(smaps(pid)).map(([key, mb]) => [key, Math.round(mb * 10) / 10]);
    console.log(JSON.stringify({ name, ...Object.fromEntries(parts), codePages: resident.size }));
  }
  // Pages the gateway has and the bare server lacks (first copy of each), and how many each bare script covers.
  const only = new Set([...pages.get("gateway")![0]!].filter((page) => !pages.get("serve")![0]!.has(page)));
  console.log(`gateway code pages beyond the bare Deno.serve: ${only.size} (${(only.size / 256).toFixed(1)} MB)`);
  for (const name of Object.keys(BARE)) {
    const resident = pages.get(name)?.[0];
    if (!resident) continue;
    const covered = [...only].filter((page) => resident.has(page)).length;
    console.log(`  also resident in bare "${name}": ${covered} (${(covered / 256).toFixed(1)} MB)`);
  }
} finally {
  for (const { stop } of started) await stop();
  Deno.removeSync(dir, { recursive: true });
}
