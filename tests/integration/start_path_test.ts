import assert from "node:assert/strict";
import { BUNDLE_DIR } from "../../tools/bundle.ts";
import { staticClosure } from "../../tools/bundle_defer.ts";
import { ensureFreshBundle, freePort, REPO_ROOT, tempHome } from "../support/spawn_gateway.ts";
import { realisticConfig } from "../support/realistic_config.ts";
import { markedBundle, spawnMarked } from "../support/zod_marker.ts";

// What `openclaw gateway run` loads before it serves, checked by rule rather than by name, so a
// channel or SDK added later is covered without touching this file: no channel implementation
// (any module under src/channels/<kind>/) and no npm package beyond the few start-up needs is
// imported statically by the start path. What is imported lazily in the source is never read at
// start in the bundle either, because no chunk keeps an import Deno would prefetch
// (tools/bundle_defer.ts). The channel catalog imports a kind's account module only when its
// section is configured, so together: channel modules load only when configured (issue 22).

/** The npm packages the start path may load: config (JSON5; zod only for a config the generated check refuses) and logging. */
const START_PACKAGES = ["json5", "@logtape/logtape", "@logtape/redaction"];

/** The modules the gateway's start entries reach through static imports (`deno info` of main.ts). */
async function startModules(): Promise<{ local: string[]; npm: string[] }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout));
  const modules = new Map<string, { npmPackage?: string; dependencies?: unknown[] }>(
    info.modules.map((module: { specifier: string }) => [module.specifier, module]),
  );
  // A dependency names `npm:pkg@1.2.3`; its module is listed as `npm:/pkg@1.2.3`, through `redirects`.
  const redirects = new Map<string, string>(Object.entries(info.redirects ?? {}));
  const root = `file://${REPO_ROOT}/`;
  const seen = new Set<string>();
  const pending = [`${root}main.ts`, `${root}src/cli/commands/gateway_run.ts`];
  while (pending.length) {
    const named = pending.pop()!;
    const specifier = redirects.get(named) ?? named;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      const { isDynamic, code } = dependency as { isDynamic?: boolean; code?: { specifier?: string } };
      if (!isDynamic && code?.specifier) pending.push(code.specifier);
    }
  }
  const npm = new Set<string>();
  for (const specifier of seen) {
    // `@scope/name@1.2.3_peer@4.5.6` (the version, then any peers) names `@scope/name`.
    const name = modules.get(specifier)?.npmPackage?.match(/^(@?[^@]+)@/)?.[1];
    if (name) npm.add(name);
  }
  return {
    local: [...seen].filter((s) => s.startsWith(root)).map((s) => s.slice(root.length)),
    npm: [...npm].sort(),
  };
}

Deno.test("start path: no channel implementation and no npm package beyond start-up's own is imported statically", async () => {
  const { local, npm } = await startModules();
  assert.ok(
    local.includes("src/channels/catalog.ts"),
    "the start path reaches the channel catalog (the rule's premise)",
  );
  const channelModules = local.filter((path) => /^src\/channels\/[^/]+\//.test(path));
  assert.deepEqual(channelModules, [], "channel modules load through the catalog's dynamic imports only");
  // The premise: the npm packages start-up does load are seen (the config reader), so an empty list cannot pass.
  assert.ok(npm.includes("json5"), `the start path's npm packages are seen (the config reader): ${npm}`);
  assert.ok(!npm.includes("commander"), "commander loads only for commands other than gateway run");
  assert.deepEqual(npm.filter((name) => !START_PACKAGES.includes(name)), []);
  // What loads on first use (docs/performance.md): the HTTP app, the run engine (with its tool loop, loop guard and
  // tool titles) and its progress recorder (for chat.history's inFlightRun), the hooks routing check, and the
  // SecretRef resolver (only a config with provider-backed refs loads it).
  const firstUse = [
    "src/server/http_wiring.ts",
    "src/agent/run_turn.ts",
    "src/agent/tool_loop.ts",
    "src/agent/tool_loop_detection.ts",
    "src/agent/tool_display.ts",
    "src/agent/run_progress.ts",
    "src/server/hook_routing.ts",
    "src/config/secret_ref_resolver.ts",
  ];
  assert.deepEqual(firstUse.filter((path) => local.includes(path)), [], "loaded on first use, not at start");
  // The premise: models.list's method family is on the start path; the catalog it lists is not.
  assert.ok(local.includes("src/rpc/methods/models.ts"), "the start path reaches models.list's method family");
  const catalog = ["src/config/built_in_model_catalog.ts", "src/config/published_model_catalog.ts"];
  assert.deepEqual(catalog.filter((path) => local.includes(path)), [], "the model catalog loads on models.list");
});

Deno.test("start path: the bundle keeps no chunk import Deno would read before it runs", async () => {
  ensureFreshBundle();
  const chunks = new Map<string, string>();
  for await (const entry of Deno.readDir(BUNDLE_DIR)) {
    chunks.set(entry.name, await Deno.readTextFile(`${BUNDLE_DIR}/${entry.name}`));
  }
  const prefetched = [...chunks].filter(([, text]) => /import\("\.\//.test(text)).map(([name]) => name);
  assert.deepEqual(prefetched, []);
  const read = staticClosure(chunks, "main.js");
  assert.ok(read.size < chunks.size / 4, `start reads ${read.size} of ${chunks.size} chunks`);
});

Deno.test("start path: `gateway run` loads no node: module before it listens (no Node compatibility layer)", async () => {
  ensureFreshBundle();
  const chunks = new Map<string, string>();
  for await (const entry of Deno.readDir(BUNDLE_DIR)) {
    chunks.set(entry.name, await Deno.readTextFile(`${BUNDLE_DIR}/${entry.name}`));
  }
  // The entry, and `gateway run`'s chunk with everything it imports statically: what runs before listening
  // (src/cli/gateway_fast_path.ts spares commander; lazily imported parts load later or never).
  const runChunk = [...chunks].find(([, text]) => /as gatewayRun}/.test(text))?.[0];
  assert.ok(runChunk, "the bundle has a chunk exporting gatewayRun");
  const start = new Set([...staticClosure(chunks, "main.js"), ...staticClosure(chunks, runChunk)]);
  assert.ok(start.size > 20, `the start path spans ${start.size} chunks`);
  const withNode = [...start].flatMap((name) =>
    [...chunks.get(name)!.matchAll(/(?:from\s*|import\s*)"(node:[\w/]+)"/g)].map((match) => `${name}: ${match[1]}`)
  );
  assert.deepEqual(withNode, []);
});

Deno.test("start path: the deferred start's own modules load no node: module either (nothing configured)", async () => {
  ensureFreshBundle();
  const chunks = new Map<string, string>();
  for await (const entry of Deno.readDir(BUNDLE_DIR)) {
    chunks.set(entry.name, await Deno.readTextFile(`${BUNDLE_DIR}/${entry.name}`));
  }
  // What a gateway with nothing configured imports once it listens (an strace of its opens, docs/performance.md
  // session 37): the internal-hooks loader, the hook policy, and the cron store's presence check. The first `node:`
  // import loads Deno's Node compatibility layer, about 3 MB of a settled gateway's RSS.
  const deferred = ["internal_hooks_wiring-", "hook_policy-", "cron_store_presence-"].map((prefix) => {
    const name = [...chunks.keys()].find((file) => file.startsWith(prefix));
    assert.ok(name, `the bundle has a ${prefix}*.js chunk`);
    return name;
  });
  const reached = new Set(deferred.flatMap((name) => [...staticClosure(chunks, name)]));
  const withNode = [...reached].flatMap((name) =>
    [...chunks.get(name)!.matchAll(/(?:from\s*|import\s*)"(node:[\w/]+)"/g)].map((match) => `${name}: ${match[1]}`)
  );
  assert.deepEqual(withNode, []);
});

Deno.test("start path: a realistic config (models, agents, a channel) starts and serves without loading zod", async () => {
  const bundle = await markedBundle();
  const port = freePort();
  const home = await tempHome(realisticConfig(port, "start-path-token-0123456789"));
  try {
    const gateway = spawnMarked(bundle, ["gateway", "run"], home.home);
    try {
      await gateway.waitForLine(/listening on ws:\/\//);
      // A first client served (connect, hello, health): still no zod in the gateway.
      const health = spawnMarked(bundle, ["health", "--json"], home.home);
      assert.equal(await health.exited(), 0, health.stderr.join("\n"));
      assert.equal(JSON.parse(health.stdout.join("\n")).ok, true);
      assert.equal(bundle.loadedZod(health.child.pid), false, "the CLI read the config without zod");
    } finally {
      await gateway.stop();
    }
    assert.equal(bundle.loadedZod(gateway.child.pid), false, "the gateway loaded zod");
    // The premise: the marker works. An invalid config is worded by zod, so the CLI loads it.
    await Deno.writeTextFile(home.configPath, JSON.stringify({ gateway: { port, bogus: 1 } }));
    const invalid = spawnMarked(bundle, ["health", "--json"], home.home);
    await invalid.exited();
    assert.equal(bundle.loadedZod(invalid.child.pid), true, "zod words an invalid config");
  } finally {
    await home.cleanup();
    await bundle.cleanup();
  }
});
