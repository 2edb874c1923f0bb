// What `gateway run` reads of a bundle before it serves, and a probe of what its file count costs (docs/performance.md,
// "session 13 (`idlelazy`)"): `deno run -A tests/bench/start_chunks.ts [--merge OUT] [bundle dir]`.
// Prints the chunks the start reads (main.js's and gateway_run's static closures) by size, with how many chunks import
// each and whether any command other than `gateway run` can reach it (main.js's static and dynamic imports, not
// through gateway_run). With `--merge OUT` it writes a copy of the bundle to OUT in which gateway_run's chunk and
// every chunk it reaches statically (main.js's own excepted) are linked into that one file by `deno bundle` (the other
// chunks left external): a MEASURING copy only — lazily loaded chunks that import a merged chunk still import the old
// file (a second instance of that module), and the CLI is not considered; pair it with tests/bench/first_client_pair.ts.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { staticClosure } from "../../tools/bundle_defer.ts";
import { benchArgs } from "./bench_args.ts";

const { option, rest } = benchArgs(Deno.args);
const MERGE = option("--merge", "");
const DIR = Deno.realPathSync(rest[0] ?? "dist/bundle");

const chunks = new Map<string, string>();
for (const entry of Deno.readDirSync(DIR)) chunks.set(entry.name, Deno.readTextFileSync(`${DIR}/${entry.name}`));
const run = [...chunks.keys()].find((name) => name.startsWith("gateway_run-"));
if (!run) throw new Error(`no gateway_run chunk in ${DIR}: is it a bundle from tools/bundle.ts?`);

/** Every chunk a chunk names, statically or in a (deferred) dynamic import. */
const named = (file: string) => [...(chunks.get(file) ?? "").matchAll(/"\.\/([\w.-]+\.js)"/g)].map((m) => m[1]!);
const importers = new Map<string, number>();
for (const file of chunks.keys()) {
  for (const target of new Set(named(file))) importers.set(target, (importers.get(target) ?? 0) + 1);
}
// What the other commands can load: everything reachable from main.js without entering gateway_run.
const otherCommands = new Set<string>();
const pending = ["main.js"];
while (pending.length) {
  const file = pending.pop()!;
  if (otherCommands.has(file) || file === run || !chunks.has(file)) continue;
  otherCommands.add(file);
  pending.push(...named(file));
}
const entryChunks = staticClosure(chunks, "main.js");
const start = new Set([...entryChunks, ...staticClosure(chunks, run)]);
const rows = [...start].map((file) => ({ file, bytes: chunks.get(file)!.length })).sort((a, b) => b.bytes - a.bytes);
for (const { file, bytes } of rows) {
  const other = otherCommands.has(file) ? "reached by other commands" : "gateway run only";
  console.log(`${String(bytes).padStart(7)}  ${file.padEnd(40)} imported by ${importers.get(file) ?? 0}, ${other}`);
}
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
const small = rows.filter((row) => row.bytes < 1000).length;
console.log(`start reads ${rows.length} files, ${total} bytes; ${small} under 1 KB; of ${chunks.size} in the bundle`);

if (MERGE) {
  await Deno.remove(MERGE, { recursive: true }).catch(() => {});
  await Deno.mkdir(MERGE, { recursive: true });
  for (const [file, text] of chunks) await Deno.writeTextFile(`${MERGE}/${file}`, text);
  const merged = [...staticClosure(chunks, run)].filter((file) => !entryChunks.has(file));
  const externals = [...chunks.keys()].filter((file) => !merged.includes(file)).map((file) => `--external=./${file}`);
  const out = await Deno.makeTempDir({ prefix: "start-chunks-" });
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform=deno", "--minify", "--keep-names", "--no-config", `--outdir=${out}`]
      .concat(externals, [`${MERGE}/${run}`]),
    stderr: "piped",
  }).output();
  if (!result.success) throw new Error(`deno bundle failed: ${new TextDecoder().decode(result.stderr)}`);
  const [linked] = [...Deno.readDirSync(out)].map((entry) => `${out}/${entry.name}`);
  if (!linked) throw new Error(`deno bundle wrote nothing to ${out}`);
  await Deno.copyFile(linked, `${MERGE}/${run}`);
  await Deno.remove(out, { recursive: true });
  console.log(
    `${MERGE}: ${run} now holds ${merged.length} chunks (${(await Deno.stat(`${MERGE}/${run}`)).size} bytes)`,
  );
}
