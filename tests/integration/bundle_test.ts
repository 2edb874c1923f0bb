import assert from "node:assert/strict";
import { VERSION } from "../../src/version.ts";
import { BUNDLE_DIR, BUNDLE_MAIN, BUNDLE_START_LINE } from "../../tools/bundle.ts";
import { ensureFreshBundle, REPO_ROOT, runOpenclaw, tempHome } from "../support/spawn_gateway.ts";

// The bundle as built and run: `deno task bundle`, `deno task compile` and the program they produce.
// The banner itself is checked in process by tests/tools/bundle_test.ts.

Deno.test("the bundle runs the CLI from outside the repository, with no config", async () => {
  const home = await tempHome();
  try {
    const result = await runOpenclaw(["--version"], { home: home.home });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(VERSION.replaceAll(".", "\\.")));
    assert.ok((await Deno.stat(BUNDLE_MAIN)).isFile);
  } finally {
    await home.cleanup();
  }
});

Deno.test("deno task compile embeds the bundle alone: no npm cache, no test-only packages", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(`${REPO_ROOT}/deno.json`));
  const compile = (denoJson.tasks.compile as string).split("&&").map((part) => part.trim());
  assert.equal(compile[0], "deno task bundle", "the compiled program is the bundle the tests run");
  const args = compile[1]!.split(/\s+/).slice(1);
  assert.equal(args.at(-1), "dist/bundle/main.js");
  ensureFreshBundle();
  const out = await Deno.makeTempDir({ prefix: "oc-compile-" });
  const output = args.indexOf("--output");
  args[output + 1] = `${out}/openclaw`;
  try {
    // denort cannot be downloaded here; any executable stands in for it, since what is checked is
    // what gets embedded, not the runtime it is embedded into.
    const result = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: REPO_ROOT,
      env: { DENORT_BIN: Deno.execPath(), NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    assert.ok(result.success, text);
    assert.doesNotMatch(text, /deno_compile_node_modules|playwright|openai\//);
    const embedded = [...text.matchAll(/^[│├└─┬\s]*([\w.-]+\.(?:js|wasm)) \(/gm)].map((match) => match[1]);
    const built = (await Array.fromAsync(Deno.readDir(BUNDLE_DIR))).map((entry) => entry.name);
    assert.deepEqual(embedded.sort(), built.sort());
    // The PDF worker and the PDFium engine it loads from beside its chunk (`new URL(…, import.meta.url)`).
    assert.ok(embedded.includes("pdf_worker.js") && embedded.includes("pdfium.esm.wasm"), text);
    const files = /Files: ([\d.]+)(KB|MB)/.exec(text);
    // The chunks (about 10 MB since the channel SDKs: Baileys' chunk is 4.7 MB, read only with a WhatsApp
    // account) and PDFium's 5 MB of WebAssembly; an npm cache pulled in by mistake would be hundreds of MB.
    assert.ok(files && (files[2] === "KB" || Number(files[1]) < 20), `embedded ${files?.[0]}`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("deno task bundle says what it is doing before its seconds of work, and what it wrote", async () => {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["task", "bundle"],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(result.stderr) + new TextDecoder().decode(result.stdout);
  assert.equal(result.code, 0, output);
  const lines = output.split("\n");
  const start = lines.indexOf(BUNDLE_START_LINE);
  const done = lines.findIndex((line) =>
    /^Wrote dist\/bundle\/main\.js and \d+ chunks \([\d.]+ MB\) in [\d.]+ s \(\d+ start functions compiled with their chunks\)$/
      .test(line)
  );
  assert.ok(start !== -1 && done > start, output);
  // The training run saw the start and the first client: several hundred top-level functions (395 on 2026-12-07).
  const eager = Number(/\((\d+) start functions/.exec(lines[done]!)![1]);
  assert.ok(eager >= 100, lines[done]!);
});
