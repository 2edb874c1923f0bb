import assert from "node:assert/strict";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

Deno.test("install/install.sh copies the binary into PREFIX/bin and, with --service, sets up and installs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A stand-in for the release binary that records how it was called.
    const fake = `${dir}/openclaw-build`;
    await Deno.writeTextFile(
      fake,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo 2026.11.0; else echo "$@" >> "${dir}/calls"; fi\n`,
    );
    await Deno.chmod(fake, 0o755);
    const out = await new Deno.Command("sh", {
      args: [`${REPO_ROOT}/install/install.sh`, "--service", fake],
      env: { PREFIX: `${dir}/prefix`, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: dir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.success, true, new TextDecoder().decode(out.stderr));
    assert.match(new TextDecoder().decode(out.stdout), /installed .*\/prefix\/bin\/openclaw \(2026\.11\.0\)/);
    assert.equal((await Deno.stat(`${dir}/prefix/bin/openclaw`)).mode! & 0o777, 0o755);
    assert.equal(await Deno.readTextFile(`${dir}/calls`), "setup\ngateway install\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
