import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import { gatewayCommand } from "../../src/service/exec_command.ts";
import { PERMISSION_FLAGS, RUNTIME_FLAGS, V8_FLAGS } from "../../src/service/run_flags.ts";
import { buildUnitSpec } from "../../src/service/spec.ts";
import { readUnit, systemdUnit } from "../../src/service/systemd.ts";
import { goldenSpecs, renderGolden } from "../../tools/gen_units.ts";
import { compileRunFlags, REPO_ROOT } from "../support/spawn_gateway.ts";

Deno.test("golden units in install/ match what src/service generates", async () => {
  for (const [name, spec] of Object.entries(goldenSpecs())) {
    const golden = await Deno.readTextFile(`${REPO_ROOT}/install/${name}`);
    assert.equal(golden, renderGolden(name, spec), `install/${name} is stale: run deno run -A tools/gen_units.ts`);
  }
});

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

Deno.test("units never carry secrets and never restart on exit 78", () => {
  const unit = systemdUnit({ ...goldenSpecs()["systemd/openclaw-gateway.service"]!, port: 4242 });
  assert.match(unit, /^RestartPreventExitStatus=78$/m);
  // A login shell's 1024 open files is one socket flood away from EMFILE (issue 17, item 1).
  assert.match(unit, /^LimitNOFILE=65536$/m);
  assert.match(unit, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m, "systemctl reload sends SIGHUP, which reloads");
  assert.doesNotMatch(unit, /TOKEN|PASSWORD/);
  assert.deepEqual(readUnit(unit).port, 4242);
});

Deno.test("a unit runs the compiled binary as it is, or deno run with the compile permission flags", () => {
  assert.deepEqual(
    gatewayCommand({ execPath: "/opt/openclaw", mainModule: "file:///x/main.ts" }, { port: 1 }),
    ["/opt/openclaw", "gateway", "run", "--port", "1"],
  );
  const fromSource = gatewayCommand({ execPath: "/usr/bin/deno", mainModule: "file:///srv/oc/main.ts" }, { port: 2 });
  assert.deepEqual(fromSource.slice(0, 2), ["/usr/bin/deno", "run"]);
  assert.ok(fromSource.includes("--config=/srv/oc/deno.json"));
  assert.ok(fromSource.includes("/srv/oc/main.ts"));
  const fromBundle = gatewayCommand(
    { execPath: "/usr/bin/deno", mainModule: "file:///srv/oc/dist/bundle/main.js" },
    { port: 3 },
  );
  assert.ok(fromBundle.includes("--no-config"), "the bundle carries its packages; there is no deno.json beside it");
  assert.ok(!fromBundle.some((arg) => arg.startsWith("--config=")));
  assert.ok(fromBundle.includes("/srv/oc/dist/bundle/main.js"));
  assert.deepEqual(
    [...PERMISSION_FLAGS, ...V8_FLAGS, ...RUNTIME_FLAGS],
    compileRunFlags(),
    "deno.json and src/service agree on flags",
  );
});

Deno.test("a --system unit with $USER and $LOGNAME unset (a root shell) still has User= and multi-user.target", () => {
  const paths = resolvePaths({ env: { HOME: "/root" } });
  const base = { paths, port: 18789, command: ["/usr/local/bin/openclaw", "gateway", "run"] };
  const rootShell = systemdUnit(buildUnitSpec({ ...base, env: { HOME: "/root" }, system: true, osUser: "root" }));
  assert.match(rootShell, /^User=root$/m);
  assert.match(rootShell, /^WantedBy=multi-user\.target$/m);
  assert.doesNotMatch(rootShell, /default\.target/);
  const named = buildUnitSpec({ ...base, env: { HOME: "/root", LOGNAME: "bob" }, system: true, osUser: "root" });
  assert.equal(named.user, "bob", "$LOGNAME names the account when $USER is unset");
  const user = systemdUnit(buildUnitSpec({ ...base, env: { HOME: "/root", USER: "alice" }, osUser: "alice" }));
  assert.doesNotMatch(user, /^User=/m, "a user unit never names an account");
  assert.match(user, /^WantedBy=default\.target$/m);
  assert.throws(() => systemdUnit({ ...named, user: undefined }), /needs the account/);
});
