import assert from "node:assert/strict";
import { createInternalHookEvent, InternalHooks } from "../../src/agent/internal_hooks.ts";
import {
  internalHooksFingerprint,
  type InternalHooksWiringDeps,
  loadedLine,
  loadInternalHooks,
} from "../../src/server/internal_hooks_wiring.ts";

async function hookDir(root: string, name: string, events: string[], handler: string): Promise<void> {
  await Deno.mkdir(`${root}/hooks/${name}`, { recursive: true });
  await Deno.writeTextFile(
    `${root}/hooks/${name}/HOOK.md`,
    `---\nname: ${name}\ndescription: "test"\nmetadata: { "openclaw": { "events": ${JSON.stringify(events)} } }\n---\n`,
  );
  await Deno.writeTextFile(`${root}/hooks/${name}/handler.ts`, handler);
}

function wiring(home: string, config: Record<string, unknown>, hooks: InternalHooks): InternalHooksWiringDeps {
  const workspace = `${home}/workspace`;
  return {
    hooks,
    stateDir: `${home}/state`,
    home,
    cwd: home,
    rawConfig: () => config,
    agents: () => ({ agents: [{ id: "main", workspace }], defaultAgentId: "main", providers: new Map() }) as never,
    sessions: { windowMessages: () => Promise.resolve([]) },
    env: () => undefined,
    host: () => Promise.resolve({ env: () => undefined, hasBinary: () => true, platform: "linux" }),
  };
}

Deno.test("loadInternalHooks() registers bundled and workspace handlers and skips a module that fails to load", async () => {
  const home = await Deno.makeTempDir();
  try {
    const workspace = `${home}/workspace`;
    await hookDir(
      workspace,
      "writer",
      ["gateway:startup"],
      `export default async (event) => { await Deno.writeTextFile(event.context.out, event.type + ":" + event.action); };`,
    );
    await hookDir(workspace, "broken", ["command:new"], `export const other = 1;`);
    const config = {
      hooks: {
        internal: {
          enabled: true,
          entries: { "command-logger": { enabled: true }, writer: { enabled: true }, broken: { enabled: true } },
        },
      },
    };
    const hooks = new InternalHooks({ error: () => {} } as never);
    const result = await loadInternalHooks(wiring(home, config, hooks));
    assert.deepEqual(result, { configured: true, loaded: 2 });
    assert.deepEqual(hooks.eventKeys().sort(), ["command", "gateway:startup"]);
    await hooks.trigger(createInternalHookEvent("gateway", "startup", "gateway:startup", { out: `${home}/out.txt` }));
    assert.equal(await Deno.readTextFile(`${home}/out.txt`), "gateway:startup");
    await hooks.trigger(createInternalHookEvent("command", "new", "agent:main:main", { commandSource: "webchat" }));
    const line = JSON.parse(await Deno.readTextFile(`${home}/state/logs/commands.log`));
    assert.deepEqual([line.action, line.source], ["new", "webchat"]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("loadInternalHooks() with nothing configured loads nothing and empties a previous set", async () => {
  const home = await Deno.makeTempDir();
  try {
    const hooks = new InternalHooks({ error: () => {} } as never);
    hooks.replace([{ event: "command", handler: () => {} }]);
    assert.deepEqual(await loadInternalHooks(wiring(home, {}, hooks)), { configured: false, loaded: 0 });
    assert.deepEqual(hooks.eventKeys(), []);
    const off = { hooks: { internal: { enabled: false, entries: { "command-logger": { enabled: true } } } } };
    assert.deepEqual(await loadInternalHooks(wiring(home, off, hooks)), { configured: false, loaded: 0 });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("internalHooksFingerprint() changes with hooks.internal and the default workspace only", () => {
  const agents = (workspace: string) =>
    ({ agents: [{ id: "main", workspace }], defaultAgentId: "main", providers: new Map() }) as never;
  const base = internalHooksFingerprint({ hooks: { internal: { enabled: true } }, gateway: { port: 1 } }, agents("/w"));
  assert.equal(base, internalHooksFingerprint({ hooks: { internal: { enabled: true } } }, agents("/w")));
  assert.notEqual(base, internalHooksFingerprint({ hooks: { internal: { enabled: false } } }, agents("/w")));
  assert.notEqual(base, internalHooksFingerprint({ hooks: { internal: { enabled: true } } }, agents("/x")));
});

Deno.test("loadedLine() is the reference's count line", () => {
  assert.equal(loadedLine(1), "loaded 1 internal hook handler");
  assert.equal(loadedLine(3), "loaded 3 internal hook handlers");
});
