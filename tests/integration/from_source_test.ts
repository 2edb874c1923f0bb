// First use from a checkout: `deno task cli -- <args>` and the documented `deno install` of an
// `openclaw` command both run the CLI with the compiled binary's flags.
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { VERSION } from "../../src/version.ts";
import { REPO_ROOT } from "../support/spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";

const decoder = new TextDecoder();

/** The install command README.md and docs/runbook.md give, run from the repository root. */
function documentedInstall(): string {
  return `deno install -g -n openclaw ${compileRunFlags().join(" ")} --config "$PWD/deno.json" "$PWD/main.ts"`;
}

Deno.test("deno task cli runs main.ts with the compile flags, and passes what follows -- to the CLI", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(`${REPO_ROOT}/deno.json`));
  const cli = (denoJson.tasks.cli as string).split(/\s+/);
  assert.deepEqual(cli.filter((part) => compileRunFlags().includes(part)), compileRunFlags());
  assert.equal(cli.at(-1), "main.ts");
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["task", "cli", "--", "--version"],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 0, decoder.decode(result.stderr));
  assert.equal(decoder.decode(result.stdout).trim(), VERSION);
});

Deno.test("the documented deno install puts an openclaw command on PATH that runs this checkout", async () => {
  for (const doc of ["README.md", "docs/runbook.md"]) {
    assert.ok((await Deno.readTextFile(`${REPO_ROOT}/${doc}`)).includes(documentedInstall()), `${doc} documents it`);
  }
  const root = await Deno.makeTempDir({ prefix: "oc-install-" });
  try {
    // The documented command, with the install root moved to a temp dir and the npm cache the suite
    // already has (the test sends nothing beyond loopback).
    const args = ["install", "-g", "-n", "openclaw", ...compileRunFlags(), "--cached-only"];
    args.push("--root", root, "--config", `${REPO_ROOT}/deno.json`, `${REPO_ROOT}/main.ts`);
    const install = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: REPO_ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(install.code, 0, decoder.decode(install.stderr));
    const run = await new Deno.Command(`${root}/bin/openclaw`, {
      args: ["--version"],
      cwd: root,
      env: { NO_COLOR: "1", PATH: `${dirname(Deno.execPath())}:/usr/bin:/bin` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, decoder.decode(run.stderr));
    assert.equal(decoder.decode(run.stdout).trim(), VERSION);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
