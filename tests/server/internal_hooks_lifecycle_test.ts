import assert from "node:assert/strict";
import { InternalHooksLifecycle } from "../../src/server/internal_hooks_lifecycle.ts";

Deno.test("InternalHooksLifecycle: start loads, a reload swaps the set only when hooks.internal changed, stop emits gateway:shutdown", async () => {
  const home = await Deno.makeTempDir();
  try {
    const workspace = `${home}/workspace`;
    await Deno.mkdir(`${workspace}/hooks/bye`, { recursive: true });
    await Deno.writeTextFile(
      `${workspace}/hooks/bye/HOOK.md`,
      '---\nname: bye\ndescription: "x"\nmetadata: { "openclaw": { "events": ["gateway:shutdown"] } }\n---\n',
    );
    await Deno.writeTextFile(
      `${workspace}/hooks/bye/handler.ts`,
      "export default async (event) => { await Deno.writeTextFile(event.context.reason, String(event.context.restartExpectedMs)); };",
    );
    let config: Record<string, unknown> = { hooks: { internal: { entries: { "command-logger": { enabled: true } } } } };
    const lifecycle = new InternalHooksLifecycle();
    lifecycle.attach({
      stateDir: `${home}/state`,
      home,
      cwd: home,
      rawConfig: () => config,
      agents: () => ({ agents: [{ id: "main", workspace }], defaultAgentId: "main", providers: new Map() }) as never,
      sessions: { windowMessages: () => Promise.resolve([]) },
      env: () => undefined,
      host: () => Promise.resolve({ env: () => undefined, hasBinary: () => true, platform: "linux" }),
    });
    await lifecycle.start();
    assert.deepEqual(lifecycle.hooks.eventKeys(), ["command"]);
    config = { ...config, gateway: { port: 1 } };
    await lifecycle.reload();
    assert.deepEqual(lifecycle.hooks.eventKeys(), ["command"]);
    config = { hooks: { internal: { entries: { bye: { enabled: true } } } } };
    await lifecycle.reload();
    assert.deepEqual(lifecycle.hooks.eventKeys(), ["gateway:shutdown"]);
    await lifecycle.stop({ reason: `${home}/reason.txt`, restartExpectedMs: 1500 });
    assert.equal(await Deno.readTextFile(`${home}/reason.txt`), "1500");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
