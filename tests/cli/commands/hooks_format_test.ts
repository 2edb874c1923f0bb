// The hooks formatters' rules the recordings do not reach: plugin-managed hooks, an empty
// `--eligible` list, the sampled missing summary `enable` prints, and hook selection by key.
import assert from "node:assert/strict";
import { formatHookInfo, formatHooksList, missingSummary, sample } from "../../../src/cli/commands/hooks_format.ts";
import { selectHook } from "../../../src/cli/commands/hooks.ts";
import type { HooksReport, HookStatus } from "../../../src/server/local_hooks.ts";

const none = () => ({ bins: [], anyBins: [], env: [], config: [], os: [] });

function hook(overrides: Partial<HookStatus>): HookStatus {
  return {
    name: "h",
    description: "d",
    source: "openclaw-managed",
    filePath: "/x/HOOK.md",
    baseDir: "/x",
    handlerPath: "/x/handler.js",
    hookKey: "h",
    events: ["command"],
    unknownEvents: [],
    always: false,
    enabledByConfig: true,
    requirementsSatisfied: true,
    loadable: true,
    managedByPlugin: false,
    requirements: none(),
    missing: none(),
    configChecks: [],
    install: [],
    ...overrides,
  };
}

const report = (hooks: HookStatus[]): HooksReport => ({ workspaceDir: "/w", managedHooksDir: "/m", hooks });

Deno.test("a plugin's hook shows plugin:<id> as its source and says enable/disable is not available", () => {
  const managed = hook({ name: "p", source: "openclaw-plugin", pluginId: "acme", managedByPlugin: true });
  assert.match(formatHooksList(report([managed]), {}), /│ plugin:acme +│/);
  const info = formatHookInfo(managed, "p", {});
  assert.match(info, /\n {2}Source: openclaw-plugin \(acme\)\n/);
  assert.match(info, /\n {2}Managed by plugin; enable\/disable via hooks CLI not available\./);
});

Deno.test("an empty list says so, pointing --eligible at the full list", () => {
  assert.equal(formatHooksList(report([]), {}), "No hooks found.");
  assert.equal(
    formatHooksList(report([hook({ loadable: false })]), { eligible: true }),
    "No eligible hooks found. Run `openclaw hooks list` to see all hooks.",
  );
});

Deno.test("the missing summary samples each group and leads with a block reason other than requirements", () => {
  assert.equal(sample(["a", "b", "c", "d", "e"], 3), "a, b, c (+2)");
  const blocked = hook({
    loadable: false,
    requirementsSatisfied: false,
    blockedReason: "no events defined",
    missing: { ...none(), bins: ["a", "b", "c", "d"], env: ["E"] },
  });
  assert.equal(missingSummary(blocked, 3), "no events defined; bins: a, b, c (+1); env: E");
  assert.equal(missingSummary({ ...blocked, enabledByConfig: false }), "bins: a, b, c, d; env: E");
});

Deno.test("a hook is selected by name first, then by hook key; two by key is ambiguous", () => {
  const byKey = hook({ name: "named", hookKey: "key" });
  assert.equal(selectHook(report([byKey]), "key"), byKey);
  assert.equal(selectHook(report([byKey, hook({ name: "key", hookKey: "other" })]), "key")?.name, "key");
  assert.equal(selectHook(report([byKey]), "nope"), undefined);
  assert.throws(
    () => selectHook(report([byKey, hook({ name: "twin", hookKey: "key" })]), "key"),
    { message: 'Hook "key" is ambiguous; matches: named (key), twin (key). Use a unique hook name or hook key.' },
  );
});
