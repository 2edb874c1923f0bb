import assert from "node:assert/strict";
import { runOpenclaw, tempHome } from "../support/spawn_gateway.ts";

interface Report {
  findings: { id: string; severity: string; message: string; fixable: boolean }[];
  fixed: string[];
}

function completionFindings(stdout: string): Report["findings"] {
  return (JSON.parse(stdout) as Report).findings.filter((finding) => finding.id === "shell-completion");
}

Deno.test("doctor upgrades a profile that runs openclaw completion at every start to the cached script", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  const env = { SHELL: "/bin/bash" };
  const bashrc = `${home.home}/.bashrc`;
  const cache = `${home.stateDir}/completions/openclaw.bash`;
  try {
    await Deno.writeTextFile(bashrc, "export EDITOR=vi\nsource <(openclaw completion --shell bash)\n");
    const report = await runOpenclaw(["doctor", "--json"], { home: home.home, env });
    assert.deepEqual(completionFindings(report.stdout), [{
      id: "shell-completion",
      severity: "warn",
      message: "Your bash profile uses slow dynamic completion (source <(...)).",
      fixable: true,
    }]);
    const fixed = await runOpenclaw(["doctor", "--fix", "--json"], { home: home.home, env });
    assert.deepEqual(completionFindings(fixed.stdout), []);
    assert.ok((JSON.parse(fixed.stdout) as Report).fixed.some((line) => line.startsWith(`upgraded ${bashrc}`)));
    const profile = await Deno.readTextFile(bashrc);
    assert.equal(profile, `export EDITOR=vi\n\n# OpenClaw Completion\n[ -f '${cache}' ] && source '${cache}'\n`);
    // The cache it wrote is a working script: bash loads it and defines the completion function.
    const loaded = await new Deno.Command("bash", { args: ["-c", `source '${cache}' && type -t _openclaw_completion`] })
      .output();
    assert.equal(new TextDecoder().decode(loaded.stdout).trim(), "function");
  } finally {
    await home.cleanup();
  }
});

Deno.test("doctor regenerates a missing completion cache the profile still sources", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  const env = { SHELL: "/usr/bin/fish" };
  const cache = `${home.stateDir}/completions/openclaw.fish`;
  try {
    const installed = await runOpenclaw(["completion", "--write-state", "--shell", "fish"], { home: home.home, env });
    assert.equal(installed.code, 0, installed.stderr);
    const install = await runOpenclaw(["completion", "--install", "--shell", "fish"], { home: home.home, env });
    assert.equal(install.code, 0, install.stderr);
    assert.deepEqual(
      completionFindings((await runOpenclaw(["doctor", "--json"], { home: home.home, env })).stdout),
      [],
    );
    await Deno.remove(cache);
    const report = await runOpenclaw(["doctor", "--json"], { home: home.home, env });
    assert.deepEqual(completionFindings(report.stdout).map((finding) => finding.message), [
      "Shell completion is configured in your fish profile but the cache is missing.",
    ]);
    const fixed = await runOpenclaw(["doctor", "--fix", "--json"], { home: home.home, env });
    assert.deepEqual((JSON.parse(fixed.stdout) as Report).fixed.filter((line) => line.includes("completion")), [
      `regenerated the completion cache at ${cache}`,
    ]);
    assert.match(await Deno.readTextFile(cache), /complete -c openclaw/);
  } finally {
    await home.cleanup();
  }
});
