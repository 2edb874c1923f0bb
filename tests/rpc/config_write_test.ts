import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { type ConfigDeps, configMethods } from "../../src/rpc/methods/config.ts";
import type { MethodCall } from "../../src/rpc/registry.ts";
import { operatorCaller } from "../support/rpc_caller.ts";

const caller = operatorCaller(["operator.admin"]);

async function withConfig(text: string, body: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/openclaw.json`, text);
    await body(`${dir}/openclaw.json`, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function deps(path: string, extra: Partial<ConfigDeps> = {}): ConfigDeps {
  return { path, env: {}, version: "test", written: () => {}, requestRestart: () => {}, ...extra };
}

const call = (params: unknown): MethodCall => ({ params, caller, accept: () => {} });

Deno.test("config.patch refuses when a hand edit lands between its read and its write, and keeps the edit", async () => {
  await withConfig('{ gateway: { mode: "local" } }\n', async (path) => {
    const base = (await loadConfig(path, {})).hash;
    const handEdit = '{ gateway: { mode: "local", port: 19999 } } // edited by hand\n';
    let reads = 0;
    const methods = configMethods(deps(path, {
      // The write's own read: the operator saves the file right after it.
      read: async (p, env) => {
        const snapshot = await loadConfig(p, env);
        if (reads++ === 0) await Deno.writeTextFile(p, handEdit);
        return snapshot;
      },
    }));
    for (const method of ["config.patch", "config.set"] as const) {
      reads = 0;
      await Deno.writeTextFile(path, '{ gateway: { mode: "local" } }\n');
      const params = method === "config.patch"
        ? { raw: "{ gateway: { port: 20000 } }", baseHash: base }
        : { raw: '{ gateway: { mode: "local", port: 20000 } }', baseHash: base };
      await assert.rejects(
        Promise.resolve(methods[method]!.handler(call(params))),
        (error: Error & { code?: string; details?: { code?: string } }) => {
          assert.equal(error.code, "INVALID_REQUEST");
          assert.match(error.message, /config changed since last load; re-run config.get and retry/);
          assert.equal(error.details?.code, "CONFIG_HASH_MISMATCH");
          return true;
        },
        method,
      );
      assert.equal(await Deno.readTextFile(path), handEdit, `${method}: the hand edit survives`);
    }
  });
});

Deno.test("config.set through RPC writes through a symlinked openclaw.json", async () => {
  await withConfig('{ gateway: { mode: "local" } }\n', async (real, dir) => {
    await Deno.mkdir(`${dir}/state`);
    await Deno.symlink(real, `${dir}/state/openclaw.json`);
    const link = `${dir}/state/openclaw.json`;
    const methods = configMethods(deps(link));
    const base = (await loadConfig(link, {})).hash;
    await methods["config.set"]!.handler(
      call({ raw: '{ gateway: { mode: "local", port: 20001 } }\n', baseHash: base }),
    );
    assert.ok((await Deno.lstat(link)).isSymlink, "still a link");
    assert.match(await Deno.readTextFile(real), /port: 20001/);
  });
});
