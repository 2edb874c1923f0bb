// Builds dist/bundle/ (`deno task bundle`): the program as minified ES modules, one entry and one
// chunk per lazily imported part, npm packages included. `deno task compile` embeds this instead of
// the source tree and the npm cache, and the integration tests and benchmarks run it, so they run
// what the binary runs. A gateway started from the bundle resolves no npm packages and parses
// smaller sources: idle RSS about 14 MB lower, start about 30 ms sooner (docs/decisions/0010). One
// training start of the staged bundle then picks the functions to compile with their chunks
// (docs/decisions/0020).

import { deferChunkImports } from "./bundle_defer.ts";
import { eagerChunks, lazilyCompiled } from "./bundle_eager.ts";
import { trainingLog } from "./bundle_training.ts";
import { compileRunFlags } from "./compile_flags.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/** Where the bundle is written. */
export const BUNDLE_DIR = `${ROOT}/dist/bundle`;

/** The bundle's entry module: what `deno run` and `deno compile` are given instead of main.ts. */
export const BUNDLE_MAIN = `${BUNDLE_DIR}/main.js`;

/** Everything the bundle is built from; a newer file here makes it stale. */
const INPUTS = [
  "main.ts",
  "src",
  "deno.json",
  "deno.lock",
  "tools/bundle.ts",
  "tools/bundle_defer.ts",
  "tools/bundle_eager.ts",
  "tools/bundle_graph.ts",
  "tools/bundle_training.ts",
  "tools/compile_flags.ts",
];

// A module-scoped `require` that loads Node's module system on its first call, not at start-up.
const REQUIRE_BANNER = "var __openclawRequire,require=function(){return(__openclawRequire??=" +
  'globalThis.process.getBuiltinModule("node:module").createRequire(import.meta.url)).apply(this,arguments)};';

/**
 * esbuild's stand-in for `require` in ES module output throws "Dynamic require of … is not
 * supported" unless a `require` is in scope. `deno bundle` swaps in `createRequire` itself, but not
 * in minified output that keeps names (Deno 2.9), and CommonJS packages in the graph (the `ai` SDK's
 * @vercel/oidc) call it when they load. The chunk that defines the stand-in gets a `require` of its
 * own above its first line: esbuild's documented workaround, made lazy.
 */
export function withRequireBanner(chunk: string): string {
  if (!chunk.includes("Dynamic require of")) return chunk;
  return `${REQUIRE_BANNER}\n${chunk}`;
}

// LogTape's Node entry of its `#util` import, as esbuild writes it minified: `node:util` and a wrapper of its inspect.
const LOGTAPE_NODE_UTIL =
  /import ([\w$]+) from"node:util";function ([\w$]+)\(([\w$]+),([\w$]+)\)\{return \1\.inspect\(\3,\4\)\}/;

/**
 * LogTape's package maps its `#util` import to `util.node.js` (node:util) under the `node` condition,
 * which Deno's resolver matches before the `deno` one LogTape lists after it, so the bundle would load
 * Deno's Node compatibility layer when logging is set up, about 50 ms of CPU and 4–5 MB at start
 * (docs/performance.md). Its formatter uses `Deno.inspect` whenever `Deno` exists and never calls the
 * `#util` inspect there, so nothing printed changes: the wrapper becomes the body of LogTape's own
 * `util.deno.js`, and the chunk imports no `node:` module.
 */
export function withLogTapeDenoInspect(chunk: string): string {
  if (!chunk.includes("logtape.")) return chunk;
  return chunk.replace(
    LOGTAPE_NODE_UTIL,
    (_whole, _util, name: string, value: string, options: string) =>
      `function ${name}(${value},${options}){return Deno.inspect(${value},{colors:${options}?.colors,` +
      `depth:${options}?.depth??void 0,compact:${options}?.compact??!0})}`,
  );
}

function newestMtime(path: string): number {
  const info = Deno.statSync(path);
  let newest = info.mtime?.getTime() ?? 0;
  if (info.isDirectory) {
    for (const entry of Deno.readDirSync(path)) newest = Math.max(newest, newestMtime(`${path}/${entry.name}`));
  }
  return newest;
}

/** True when dist/bundle is missing or older than any file it is built from (synchronous: a few hundred stats). */
export function bundleIsStale(): boolean {
  let built: number;
  try {
    built = Deno.statSync(BUNDLE_MAIN).mtime?.getTime() ?? 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
  return INPUTS.some((input) => newestMtime(`${ROOT}/${input}`) > built);
}

/**
 * WebAssembly files that bundled packages load beside their own module (`new URL(name,
 * import.meta.url)`), which `deno bundle` leaves out: clawpdf's PDFium engine (src/http/pdf_extract.ts,
 * loaded by the PDF worker when a PDF arrives). Copied next to the chunks, so the bundle and the compiled
 * binary (`--include dist/bundle`) find it where the chunk looks.
 */
const WASM_ASSETS: readonly { module: string; files: readonly string[] }[] = [
  { module: "src/http/pdf_worker.ts", files: ["dist/vendor/pdfium.esm.wasm"] },
];

async function copyWasmAssets(outdir: string): Promise<void> {
  for (const asset of WASM_ASSETS) {
    const info = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", `--config=${ROOT}/deno.json`, `${ROOT}/${asset.module}`],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!info.success) throw new Error(`deno info ${asset.module} failed: ${new TextDecoder().decode(info.stderr)}`);
    const graph: { npmPackages?: Record<string, { localPath?: string }> } = JSON.parse(
      new TextDecoder().decode(info.stdout),
    );
    const roots = Object.values(graph.npmPackages ?? {}).flatMap((pkg) => pkg.localPath ?? []);
    for (const file of asset.files) {
      const source = roots.map((root) => `${root}/${file}`).find((path) => {
        try {
          return Deno.statSync(path).isFile;
        } catch {
          return false;
        }
      });
      if (!source) throw new Error(`bundle: ${file} not found in the npm packages of ${asset.module}`);
      await Deno.copyFile(source, `${outdir}/${file.split("/").at(-1)}`);
    }
  }
}

/** The `deno bundle` arguments that write the bundle into `outdir`. */
function bundleArgs(outdir: string): string[] {
  return [
    "bundle",
    "--quiet",
    "--platform=deno",
    "--code-splitting",
    // Smaller sources, which V8 keeps in memory for lazy compilation: about 4 MB of idle RSS.
    "--minify",
    // Function and class names stay readable in stack traces, and packages that name their errors
    // after their constructors (commander) keep those names.
    "--keep-names",
    `--config=${ROOT}/deno.json`,
    `--outdir=${outdir}`,
    `${ROOT}/main.ts`,
    ...WORKER_ENTRIES.map((entry) => `${ROOT}/${entry}`),
  ];
}

/**
 * Worker modules, bundled as entries of their own (their code is not imported by main.ts, a
 * `new Worker(url)` starts it): the PDF worker (src/http/pdf_isolated.ts looks for
 * `pdf_worker.js` beside its chunk). esbuild writes a second entry under its source path
 * (`src/http/pdf_worker.js`, importing `../../chunk-….js`); {@link hoistWorkerEntries} moves it
 * beside the chunks, where the bundle and the compiled binary's `--include dist/bundle` have it.
 */
const WORKER_ENTRIES: readonly string[] = ["src/http/pdf_worker.ts"];

async function hoistWorkerEntries(outdir: string): Promise<void> {
  for (const entry of WORKER_ENTRIES) {
    const built = `${outdir}/${entry.replace(/\.ts$/, ".js")}`;
    const depth = entry.split("/").length - 1;
    const text = (await Deno.readTextFile(built)).replaceAll(`"${"../".repeat(depth)}`, '"./');
    if (text.includes('"../')) throw new Error(`bundle: ${entry} still imports outside the bundle directory`);
    await Deno.writeTextFile(`${outdir}/${entry.split("/").at(-1)!.replace(/\.ts$/, ".js")}`, text);
  }
  const tops = new Set(WORKER_ENTRIES.map((entry) => entry.split("/")[0]!));
  for (const top of tops) await Deno.remove(`${outdir}/${top}`, { recursive: true });
}

/**
 * Bundles main.ts into a fresh directory and swaps it in for dist/bundle, so a reader never sees
 * chunks of two builds mixed. Throws with `deno bundle`'s own output when it fails, leaving the
 * previous bundle in place.
 */
export async function buildBundle(): Promise<BundleSummary> {
  const staging = `${BUNDLE_DIR}.${Deno.pid}`;
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${ROOT}/dist`, { recursive: true });
  const result = await new Deno.Command(Deno.execPath(), {
    args: bundleArgs(staging),
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    const output = new TextDecoder().decode(result.stderr) + new TextDecoder().decode(result.stdout);
    throw new Error(`deno bundle failed (exit ${result.code}); dist/bundle was left as it was:\n${output}`);
  }
  await hoistWorkerEntries(staging);
  const chunks = new Map<string, string>();
  for await (const entry of Deno.readDir(staging)) {
    const path = `${staging}/${entry.name}`;
    const text = await Deno.readTextFile(path);
    const patched = withLogTapeDenoInspect(withRequireBanner(text));
    chunks.set(entry.name, patched);
    if (patched !== text) await Deno.writeTextFile(path, patched);
  }
  for (const [name, text] of deferChunkImports(chunks)) {
    chunks.set(name, text);
    await Deno.writeTextFile(`${staging}/${name}`, text);
  }
  await copyWasmAssets(staging);
  let eager: number;
  try {
    eager = await compileStartEagerly(staging, chunks);
  } catch (error) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    throw new Error(`${(error as Error).message}\ndist/bundle was left as it was.`, { cause: error });
  }
  await Deno.remove(BUNDLE_DIR, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.rename(staging, BUNDLE_DIR);
  let files = 0;
  let bytes = 0;
  for await (const entry of Deno.readDir(BUNDLE_DIR)) {
    files++;
    bytes += (await Deno.stat(`${BUNDLE_DIR}/${entry.name}`)).size;
  }
  return { files, bytes, eager };
}

/**
 * Runs the staged bundle once (tools/bundle_training.ts) and rewrites its chunks so the top-level
 * functions that start and first client compiled lazily are compiled with their chunks, and so are in
 * Deno's code cache from the second start on (tools/bundle_eager.ts). Returns how many were changed.
 */
async function compileStartEagerly(staging: string, chunks: Map<string, string>): Promise<number> {
  const lazy = lazilyCompiled(await trainingLog(staging, compileRunFlags()));
  const { changed, eager } = eagerChunks(chunks, lazy);
  for (const [name, text] of changed) {
    chunks.set(name, text);
    await Deno.writeTextFile(`${staging}/${name}`, text);
  }
  return eager;
}

/** What {@link buildBundle} wrote: the entry and chunk count, their total size, and the functions made eager. */
export interface BundleSummary {
  files: number;
  bytes: number;
  eager: number;
}

/** The line printed before bundling starts, so the build's seconds of silence are explained. */
export const BUNDLE_START_LINE = "Bundling main.ts and its npm packages into dist/bundle/ (deno bundle, minified, " +
  "then one training start; this takes a few seconds)…";

/** The line printed when the bundle is in place. */
export function bundleDoneLine(summary: BundleSummary, elapsedMs: number): string {
  const size = (summary.bytes / (1024 * 1024)).toFixed(1);
  const seconds = (elapsedMs / 1000).toFixed(1);
  return `Wrote dist/bundle/main.js and ${summary.files - 1} chunks (${size} MB) in ${seconds} s ` +
    `(${summary.eager} start functions compiled with their chunks)`;
}

if (import.meta.main) {
  const say = (line: string) => Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
  const started = performance.now();
  say(BUNDLE_START_LINE);
  say(bundleDoneLine(await buildBundle(), performance.now() - started));
}
