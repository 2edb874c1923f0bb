import assert from "node:assert/strict";
import { join } from "node:path";
import { bundledHooks, discoverHooks, mergeHooksByName } from "../../src/automation/hook_discovery.ts";
import { hookEnableState, hookRequirements, internalHookSelection } from "../../src/automation/hook_policy.ts";
import { selectInternalHooks } from "../../src/automation/hook_selection.ts";

const host = { env: () => undefined, hasBinary: () => false, platform: "linux" };

async function writeHook(dir: string, name: string, events = '["command:new"]'): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "HOOK.md"),
    `---\nname: ${name}\ndescription: "d ${name}"\nmetadata: { "openclaw": { "events": ${events} } }\n---\n`,
  );
  await Deno.writeTextFile(join(dir, "handler.js"), "export default () => {};\n");
}

Deno.test("bundledHooks() reads the five embedded HOOK.md front matters", () => {
  const hooks = bundledHooks();
  assert.deepEqual(hooks.map((h) => h.name), [
    "boot-md",
    "bootstrap-extra-files",
    "command-logger",
    "compaction-notifier",
    "session-memory",
  ]);
  const logger = hooks.find((h) => h.name === "command-logger")!;
  assert.equal(logger.description, "Log emitted command events to a centralized audit file");
  assert.deepEqual(logger.metadata?.events, ["command"]);
  assert.equal(logger.metadata?.emoji, "📝");
  assert.deepEqual(logger.handler, { kind: "bundled", name: "command-logger" });
  assert.equal(hooks.find((h) => h.name === "compaction-notifier")!.metadata?.always, true);
});

Deno.test("discoverHooks() keeps bundled names against workspace hooks and lets managed replace them", async () => {
  const root = await Deno.makeTempDir();
  try {
    const workspace = join(root, "ws");
    const managed = join(root, "managed");
    await writeHook(join(workspace, "hooks", "command-logger"), "command-logger");
    await writeHook(join(workspace, "hooks", "mine"), "mine");
    await writeHook(join(managed, "boot-md"), "boot-md");
    await Deno.mkdir(join(workspace, "hooks", "nohandler"), { recursive: true });
    await Deno.writeTextFile(join(workspace, "hooks", "nohandler", "HOOK.md"), "---\nname: nohandler\n---\n");
    const warnings: string[] = [];
    const hooks = discoverHooks({
      workspaceDir: workspace,
      managedHooksDir: managed,
      home: root,
      cwd: root,
      warn: (m) => warnings.push(m),
    });
    const byName = new Map(hooks.map((h) => [h.name, h]));
    assert.equal(byName.get("command-logger")!.source, "openclaw-bundled");
    assert.equal(byName.get("boot-md")!.source, "openclaw-managed");
    assert.equal(byName.get("mine")!.source, "openclaw-workspace");
    assert.equal(byName.has("nohandler"), false);
    assert.ok(
      warnings.includes(
        'Hook "nohandler" has HOOK.md but no readable handler in ' + join(workspace, "hooks", "nohandler"),
      ),
    );
    assert.ok(
      warnings.includes(
        'Ignoring openclaw-workspace hook "command-logger" because it cannot override openclaw-bundled hook code',
      ),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeHooksByName() lets the later managed root win over an earlier extra dir", () => {
  const merged = mergeHooksByName([
    { name: "a", source: "openclaw-managed" as const, tag: "extra" },
    { name: "a", source: "openclaw-managed" as const, tag: "managed" },
  ]);
  assert.equal(merged[0]!.tag, "managed");
});

Deno.test("hookEnableState() needs an explicit opt-in for workspace hooks", () => {
  assert.deepEqual(hookEnableState("openclaw-workspace", undefined), {
    enabled: false,
    reason: "workspace hook (disabled by default)",
  });
  assert.deepEqual(hookEnableState("openclaw-workspace", { enabled: true }), { enabled: true });
  assert.deepEqual(hookEnableState("openclaw-bundled", { enabled: false }), {
    enabled: false,
    reason: "disabled in config",
  });
});

Deno.test("hookRequirements() treats workspace.dir as set and per-hook env as satisfying env", () => {
  const facts = hookRequirements(
    {
      metadata: {
        events: ["command"],
        requires: { bins: ["nope"], anyBins: [], env: ["K"], config: ["workspace.dir"] },
      },
    },
    { config: {}, entry: { env: { K: "v" } }, host },
  );
  assert.deepEqual(facts.missing, { bins: ["nope"], anyBins: [], env: [], config: [], os: [] });
  assert.deepEqual(facts.configChecks, [{ path: "workspace.dir", satisfied: true }]);
  assert.equal(facts.requirementsSatisfied, false);
});

Deno.test("internalHookSelection() follows the reference's selection table", () => {
  assert.equal(internalHookSelection({}).configured, false);
  assert.equal(internalHookSelection({ hooks: { internal: { enabled: true } } }).names, null);
  const named = internalHookSelection({
    hooks: { internal: { enabled: true, entries: { a: {}, b: { enabled: false } } } },
  });
  assert.deepEqual([...named.names!], ["a"]);
  assert.equal(internalHookSelection({ hooks: { internal: { load: { extraDirs: ["/x"] } } } }).names, null);
  const off = internalHookSelection({ hooks: { internal: { enabled: false, entries: { a: {} } } } });
  assert.equal(off.configured, false);
});

Deno.test("selectInternalHooks() returns only named, eligible hooks with their handler location", () => {
  const plan = selectInternalHooks(
    { hooks: { internal: { entries: { "command-logger": { enabled: true } } } } },
    { discovery: { workspaceDir: "/nonexistent", managedHooksDir: "/nonexistent", home: "/", cwd: "/" }, host },
  );
  assert.deepEqual(plan.hooks.map((h) => [h.name, h.handler]), [["command-logger", {
    kind: "bundled",
    name: "command-logger",
  }]]);
});
