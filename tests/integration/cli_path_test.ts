import assert from "node:assert/strict";
import { freePort, REPO_ROOT, tempHome } from "../support/spawn_gateway.ts";
import { realisticConfig } from "../support/realistic_config.ts";
import { markedBundle, spawnMarked } from "../support/zod_marker.ts";

// What the common RPC commands load before they connect, checked by rule: the entry and the command
// modules `health`, `status`, `gateway health|call|probe` reach through static imports hold neither
// commander (and through it Deno's Node compatibility layer) nor zod and the config schema, the two
// costs that made `openclaw health --json` take about 170 ms (docs/performance.md). A config the lean
// read does not vouch for still loads the schema, lazily (src/config/target_config.ts).

const ROOTS = [
  "main.ts",
  "src/cli/commands/health.ts",
  "src/cli/commands/status.ts",
  "src/cli/commands/gateway_call.ts",
  "src/cli/commands/gateway_probe.ts",
];

/** Every module one root reaches through static imports (`deno info`). */
async function staticModules(root: string): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout));
  const modules = new Map<string, { dependencies?: { isDynamic?: boolean; code?: { specifier?: string } }[] }>(
    info.modules.map((module: { specifier: string }) => [module.specifier, module]),
  );
  // A dependency names `npm:pkg@1.2.3`; its module is listed as `npm:/pkg@1.2.3`, through `redirects`.
  const redirects = new Map<string, string>(Object.entries(info.redirects ?? {}));
  const seen = new Set<string>();
  const pending: string[] = [info.roots[0]];
  while (pending.length) {
    const named = pending.pop()!;
    const specifier = redirects.get(named) ?? named;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (!dependency.isDynamic && dependency.code?.specifier) pending.push(dependency.code.specifier);
    }
  }
  return [...seen];
}

Deno.test("cli path: the RPC commands load no commander, no node: module, no zod and no config schema statically", async () => {
  for (const root of ROOTS) {
    const modules = await staticModules(root);
    assert.ok(modules.some((s) => s.endsWith("/src/cli/exit.ts") || s.endsWith("/src/client/target.ts")), root);
    const heavy = modules.filter((s) =>
      s.startsWith("node:") || /\/(zod|commander)@/.test(s) || /\/src\/config\/(schema|load|resolve)\.ts$/.test(s)
    );
    assert.deepEqual(heavy, [], root);
  }
});

Deno.test("cli path: `health --json` reads a realistic config (models, agents, a channel) without loading zod", async () => {
  const bundle = await markedBundle();
  // No gateway listens there: the command reads the config, resolves its target, fails to connect.
  const home = await tempHome(realisticConfig(freePort(), "cli-path-token-0123456789"));
  try {
    for (const args of [["health", "--json"], ["gateway", "call", "health"]]) {
      const run = spawnMarked(bundle, args, home.home);
      assert.notEqual(await run.exited(), 0, "nothing listens");
      assert.doesNotMatch(run.output, /Invalid config/);
      assert.equal(bundle.loadedZod(run.child.pid), false, `${args.join(" ")} loaded zod`);
    }
  } finally {
    await home.cleanup();
    await bundle.cleanup();
  }
});
