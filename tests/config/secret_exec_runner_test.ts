import assert from "node:assert/strict";
import { execProviderRunner, secureExecCommand } from "../../src/config/secret_exec_runner.ts";

/** A provider script in a fresh private folder: `body` is its shell text after the shebang. */
async function script(body: string, mode = 0o700): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir({ prefix: "secret-exec-" });
  const path = `${dir}/provider`;
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, mode);
  return { dir, path };
}

const ECHO_IDS = `read -r req
printf '%s' "$req" > "$PWD/request.json"
printf '{"protocolVersion":1,"values":{"a":"value-a","b":"%s"}}' "$SECRET_SUFFIX"`;

Deno.test("an exec provider gets the JSON request on stdin, runs in its folder with only passEnv/env, and its values come back by id", async () => {
  const { dir, path } = await script(ECHO_IDS);
  try {
    const run = execProviderRunner({ HOME: "/nowhere", SECRET_SUFFIX: "from-pass-env", OTHER: "not passed" });
    const values = await run({ source: "exec", command: path, passEnv: ["SECRET_SUFFIX"] }, "vault", ["a", "b"]);
    assert.deepEqual([...values], [["a", "value-a"], ["b", "from-pass-env"]]);
    const request = JSON.parse(await Deno.readTextFile(`${dir}/request.json`));
    assert.deepEqual(request, { protocolVersion: 1, provider: "vault", ids: ["a", "b"] });
    const overridden = await run(
      { source: "exec", command: path, passEnv: ["SECRET_SUFFIX"], env: { SECRET_SUFFIX: "from-env" } },
      "vault",
      ["b"],
    );
    assert.equal(overridden.get("b"), "from-env");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an exec provider that exits non-zero, outlives timeoutMs or prints past maxOutputBytes is refused in the reference's words", async () => {
  const run = execProviderRunner({});
  const failing = await script("exit 3");
  const slow = await script("sleep 5");
  const chatty = await script(ECHO_IDS);
  try {
    await assert.rejects(run({ command: failing.path }, "vault", ["a"]), {
      message: 'Exec provider "vault" exited with code 3.',
    });
    const started = Date.now();
    await assert.rejects(run({ command: slow.path, timeoutMs: 200 }, "vault", ["a"]), {
      message: 'Exec provider "vault" timed out after 200ms.',
    });
    assert.ok(Date.now() - started < 4_000, "the child is killed at the timeout, not waited for");
    await assert.rejects(run({ command: chatty.path, maxOutputBytes: 10 }, "vault", ["a"]), {
      message: "Exec provider output exceeded maxOutputBytes (10).",
    });
  } finally {
    for (const { dir } of [failing, slow, chatty]) await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an exec provider's command must be absolute, a regular file, inside trustedDirs and not group/world writable", async () => {
  const facts = { home: "/home/x", uid: Deno.uid() };
  const label = "secrets.providers.vault.command";
  const good = await script("true");
  const open = await script("true", 0o770);
  try {
    await Deno.symlink(good.path, `${good.dir}/link`);
    assert.equal(await secureExecCommand({ command: good.path }, label, facts), good.path);
    await assert.rejects(secureExecCommand({ command: "bin/provider" }, label, facts), {
      message: `${label} must be an absolute path.`,
    });
    await assert.rejects(secureExecCommand({ command: `${good.dir}/missing` }, label, facts), {
      message: `${label} is not readable: ${good.dir}/missing`,
    });
    await assert.rejects(secureExecCommand({ command: good.dir }, label, facts), {
      message: `${label} must be a file: ${good.dir}`,
    });
    await assert.rejects(secureExecCommand({ command: `${good.dir}/link` }, label, facts), {
      message: `${label} must not be a symlink: ${good.dir}/link`,
    });
    await assert.rejects(secureExecCommand({ command: good.path, trustedDirs: ["/usr/bin"] }, label, facts), {
      message: `${label} is outside trustedDirs: ${good.path}`,
    });
    assert.equal(await secureExecCommand({ command: good.path, trustedDirs: [good.dir] }, label, facts), good.path);
    await assert.rejects(secureExecCommand({ command: open.path }, label, facts), {
      message: `${label} permissions are too open: ${open.path}`,
    });
    await assert.rejects(secureExecCommand({ command: good.path }, label, { ...facts, uid: 4242 }), {
      message: `${label} must be owned by the current user (uid=4242): ${good.path}`,
    });
  } finally {
    for (const { dir } of [good, open]) await Deno.remove(dir, { recursive: true });
  }
});
