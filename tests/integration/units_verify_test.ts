import assert from "node:assert/strict";
import { goldenSpecs, renderGolden } from "../../tools/gen_units.ts";

// The generated units read by the tools that will load them (systemd-analyze, python3's plistlib):
// processes, so this tier. tests/service/units_golden_test.ts checks the text in process.

Deno.test("generated systemd units pass systemd-analyze verify", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, spec] of Object.entries(goldenSpecs())) {
      if (!name.endsWith(".service")) continue;
      // verify also checks that ExecStart exists: point the sample at a binary that does.
      const unit = renderGolden(name, { ...spec, command: [Deno.execPath(), ...spec.command.slice(1)] });
      const path = `${dir}/${name.split("/")[1]}`;
      await Deno.writeTextFile(path, unit);
      const out = await new Deno.Command("systemd-analyze", { args: ["verify", path], stderr: "piped" }).output();
      const errors = new TextDecoder().decode(out.stderr).split("\n").filter((l) => l.includes(path.split("/").pop()!));
      assert.equal(out.success, true, errors.join("\n"));
      assert.deepEqual(errors, []);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the launchd plist parses as a property list", async () => {
  const [name, spec] = Object.entries(goldenSpecs()).find(([n]) => n.endsWith(".plist"))!;
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/p.plist`, renderGolden(name, spec));
    const script =
      "import plistlib,sys,json; d=plistlib.load(open(sys.argv[1],'rb')); print(json.dumps([d['Label'], d['ProgramArguments'], d['EnvironmentVariables']['OPENCLAW_GATEWAY_PORT'], d['SoftResourceLimits']['NumberOfFiles']]))";
    const out = await new Deno.Command("python3", { args: ["-c", script, `${dir}/p.plist`], stdout: "piped" }).output();
    assert.equal(out.success, true);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), [
      "ai.openclaw.gateway",
      ["/usr/local/bin/openclaw", "gateway", "run", "--port", "18789"],
      "18789",
      16384,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
