import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { configMethods } from "../../src/rpc/methods/config.ts";
import type { MethodCall } from "../../src/rpc/registry.ts";
import { configTestDeps } from "../support/config_deps.ts";
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

const deps = configTestDeps;

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

Deno.test("config.get hides credential URLs and SecretRef ids as the reference does; saving its raw back changes nothing", async () => {
  const text = `{
  // the UI saves this text back: comments and secrets must survive
  gateway: { mode: "local", auth: { mode: "token", token: "tok-0123456789abcdef0123" } },
  models: { providers: {
    fake: { baseUrl: "http://user:pw@127.0.0.1:9/v1?api_key=abc", apiKey: { source: "env", provider: "default", id: "FAKE_KEY" },
      models: [{ id: "m1", name: "m1" }] },
    plain: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "plain-key-123", models: [{ id: "m2", name: "m2" }] },
  } },
  mcp: { servers: { x: { url: "https://mcp.example/sse?token=zzz" }, y: { url: "https://mcp.example/plain" } } },
}
`;
  await withConfig(text, async (path) => {
    const methods = configMethods(deps(path));
    const got = await methods["config.get"]!.handler(call({})) as Record<string, unknown>;
    const shown = JSON.stringify(got);
    for (const secret of ["user:pw", "api_key=abc", "FAKE_KEY", "token=zzz", "plain-key-123", "tok-0123"]) {
      assert.ok(!shown.includes(secret), `config.get shows ${secret}`);
    }
    const parsed = got.parsed as {
      models: { providers: { fake: Record<string, unknown>; plain: Record<string, unknown> } };
      mcp: unknown;
    };
    assert.deepEqual(parsed.models.providers.fake.baseUrl, "__OPENCLAW_REDACTED__");
    assert.deepEqual(parsed.models.providers.fake.apiKey, {
      source: "env",
      provider: "default",
      id: "__OPENCLAW_REDACTED__",
    });
    assert.equal(parsed.models.providers.plain.baseUrl, "http://127.0.0.1:9/v1");
    assert.deepEqual(parsed.mcp, {
      servers: { x: { url: "__OPENCLAW_REDACTED__" }, y: { url: "https://mcp.example/plain" } },
    });
    await methods["config.set"]!.handler(call({ raw: got.raw, baseHash: got.hash }));
    assert.equal(await Deno.readTextFile(path), text, "the file is unchanged, byte for byte");
  });
});

Deno.test("config.patch refuses a marker it cannot restore, in the reference's words, and leaves the file", async () => {
  const text =
    `{ gateway: { mode: "local", auth: { mode: "token", token: { source: "env", provider: "default", id: "GW_TOKEN" } } },
  agents: { defaults: { model: { primary: "fake/m1" } } } }
`;
  await withConfig(text, async (path) => {
    const methods = configMethods(deps(path));
    const M = "__OPENCLAW_REDACTED__";
    // Recorded from the reference gateway 2026.9.6's config.patch.
    const refusals: [unknown, string][] = [
      [
        { gateway: { auth: { password: M } } },
        `Sentinel value "${M}" in key gateway.auth.password is not valid as real data`,
      ],
      [
        { gateway: { auth: { token: { source: "file", provider: "default", id: M } } } },
        "SecretRef at gateway.auth.token changed source/provider while id is redacted. Provide an explicit id when changing source/provider.",
      ],
      [
        { agents: { defaults: { model: { primary: M } } } },
        `Reserved redaction sentinel "${M}" is not valid config data (agents.defaults.model.primary).`,
      ],
    ];
    for (const [patch, message] of refusals) {
      const { hash } = await methods["config.get"]!.handler(call({})) as { hash: string };
      await assert.rejects(
        Promise.resolve(methods["config.patch"]!.handler(call({ raw: JSON.stringify(patch), baseHash: hash }))),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, "INVALID_REQUEST");
          assert.equal(error.message, message);
          return true;
        },
      );
      assert.equal(await Deno.readTextFile(path), text, "nothing was written");
    }
  });
});
