// `deno task bench`: runs every benchmark and prints one markdown table. Not a timed test.
import { benchHttp } from "./http_bench.ts";
import { benchLoad } from "./load_bench.ts";
import { benchProtocol } from "./protocol_bench.ts";
import { benchReload } from "./reload_bench.ts";
import { type BenchRow, benchStartup } from "./startup_bench.ts";

const rows: BenchRow[] = [
  ...await benchStartup(),
  ...await benchProtocol(),
  ...await benchReload(),
  ...await benchHttp(),
  ...await benchLoad(),
];
const lines = [
  "| metric | value | target | met |",
  "| --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.metric} | ${r.value} | ${r.target} | ${r.met ? "yes" : "no"} |`),
];
// deno-lint-ignore no-console -- a benchmark prints its table; it is not part of src/.
console.log(lines.join("\n"));
