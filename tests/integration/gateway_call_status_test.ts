import assert from "node:assert/strict";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "call-status-token-0123456789abcdef";

Deno.test("gateway call reaches write and admin methods (chat.abort, sessions.reset), not only read ones", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const call = (method: string, params: unknown) =>
    runOpenclaw(["gateway", "call", method, "--port", String(port), "--json", "--params", JSON.stringify(params)], {
      home: home.home,
    });
  try {
    for (
      const [method, params] of [
        ["chat.abort", { sessionKey: "agent:main:main" }],
        ["sessions.reset", { key: "agent:main:main" }],
        ["health", {}],
      ] as const
    ) {
      const out = await call(method, params);
      assert.doesNotMatch(out.stdout + out.stderr, /missing scope/, method);
      assert.equal(out.code, 0, `${method}: ${out.stdout}${out.stderr}`);
    }
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("gateway status --url: the runtime of a remote target is unknown, not this host's lock", async () => {
  const remote = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const local = await tempHome({ gateway: { mode: "local" } });
  const { proc, port } = await startGateway({ home: remote.home });
  const url = `ws://127.0.0.1:${port}`;
  try {
    const text = await runOpenclaw(["gateway", "status", "--url", url, "--token", TOKEN], { home: local.home });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^RPC probe: ok$/m);
    assert.match(text.stdout, new RegExp(`^Runtime: unknown \\(--url target ${url};`, "m"));
    assert.doesNotMatch(text.stdout, /Runtime: stopped/);
    const json = JSON.parse(
      (await runOpenclaw(["gateway", "status", "--url", url, "--token", TOKEN, "--json"], { home: local.home }))
        .stdout,
    );
    assert.equal(json.rpc.ok, true);
    assert.equal(json.runtime.status, "unknown");
    assert.equal(json.runtime.pid, undefined);
  } finally {
    assert.equal(await proc.stop(), 0);
    await remote.cleanup();
    await local.cleanup();
  }
});

Deno.test("config.patch over RPC writes through a symlinked openclaw.json: the link stays a link", async () => {
  const home = await tempHome();
  const real = `${home.home}/dotfiles/openclaw.json`;
  await Deno.mkdir(`${home.home}/dotfiles`, { recursive: true });
  await Deno.mkdir(home.stateDir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(real, JSON.stringify({ gateway: { mode: "local", auth: { token: TOKEN } } }));
  await Deno.symlink(real, home.configPath);
  const { proc, port } = await startGateway({ home: home.home });
  const call = async (method: string, params: unknown) => {
    const out = await runOpenclaw(
      ["gateway", "call", method, "--port", String(port), "--json", "--params", JSON.stringify(params)],
      { home: home.home },
    );
    assert.equal(out.code, 0, `${method}: ${out.stdout}${out.stderr}`);
    return JSON.parse(out.stdout);
  };
  try {
    const { hash } = await call("config.get", {});
    await call("config.patch", { raw: JSON.stringify({ logging: { level: "debug" } }), baseHash: hash });
    assert.ok((await Deno.lstat(home.configPath)).isSymlink, "openclaw.json is still a symlink");
    assert.equal(JSON.parse(await Deno.readTextFile(real)).logging.level, "debug", "the link's target was written");
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});
