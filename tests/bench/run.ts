// `deno task bench`: runs every benchmark and prints one markdown table. Not a timed test.
// Each benchmark runs in a fresh client process, so one benchmark's leftovers (a client heap grown
// by 1,000 WebSockets, and its collections) cannot disturb the next one's latencies.
import { benchClients } from "./clients_bench.ts";
import { benchChannel } from "./channel_bench.ts";
import { benchCli } from "./cli_bench.ts";
import { benchCron } from "./cron_bench.ts";
import { benchCronGateway } from "./cron_gateway_bench.ts";
import { benchFirstClient } from "./first_client_bench.ts";
import { benchHttp } from "./http_bench.ts";
import { benchLoad } from "./load_bench.ts";
import { benchLoop } from "./loop_bench.ts";
import { benchProtocol } from "./protocol_bench.ts";
import { benchReload } from "./reload_bench.ts";
import { benchState } from "./state_bench.ts";
import { type BenchRow, benchStartup } from "./startup_bench.ts";
import { benchUsage } from "./usage_bench.ts";

const BENCHES: Record<string, () => Promise<BenchRow[]>> = {
  startup: () => benchStartup(),
  protocol: benchProtocol,
  "first-client": () => benchFirstClient(),
  reload: benchReload,
  http: benchHttp,
  load: benchLoad,
  state: () => benchState(),
  usage: benchUsage,
  loop: benchLoop,
  cron: benchCron,
  "cron-gateway": benchCronGateway,
  clients: benchClients,
  cli: () => benchCli(),
  channel: () => benchChannel(),
};

/** Benchmarks that measure gateway code in their own process (so it runs with the gateway's V8 flags). */
const IN_PROCESS = new Set(["cron"]);

async function inChild(name: string): Promise<BenchRow[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      // All access: the harness stops a gateway's descendants by PID, read from /proc, which Deno opens to
      // `--allow-all` only (the gateway under measurement still runs with the binary's own flags).
      "--allow-all",
      "--unstable-no-legacy-abort",
      // Lets a benchmark collect before it reads the heap (the loop benchmark's flat-memory check);
      // in-process benchmarks of gateway parts run with the gateway's own heap settings.
      `--v8-flags=--expose-gc${IN_PROCESS.has(name) ? ",--max-semi-space-size=1" : ""}`,
      import.meta.filename!,
      "--rows-of",
      name,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`benchmark ${name} failed (exit ${output.code})`);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

// `deno task bench [name...]` runs all benchmarks or the named ones; `--rows-of <name>` is the
// child's side: one benchmark, its rows as JSON on stdout.
if (Deno.args[0] === "--rows-of") {
  // deno-lint-ignore no-console -- the parent reads the rows from stdout.
  console.log(JSON.stringify(await BENCHES[Deno.args[1]!]!()));
} else {
  const names = Deno.args.length ? Deno.args : Object.keys(BENCHES);
  const unknown = names.filter((name) => !BENCHES[name]);
  if (unknown.length) {
    throw new Error(`no benchmark ${unknown.join(", ")}; there are ${Object.keys(BENCHES).join(", ")}`);
  }
  const rows: BenchRow[] = [];
  for (const name of names) rows.push(...await inChild(name));
  const lines = [
    "| metric | value | target | met |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.metric} | ${r.value} | ${r.target} | ${r.met ? "yes" : "no"} |`),
  ];
  // deno-lint-ignore no-console -- a benchmark prints its table; it is not part of src/.
  console.log(lines.join("\n"));
}
