import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import { gatewayCommand } from "../../src/service/exec_command.ts";
import { PERMISSION_FLAGS, RUNTIME_FLAGS, V8_FLAGS } from "../../src/service/run_flags.ts";
import { buildUnitSpec } from "../../src/service/spec.ts";
import { readUnit, systemdUnit } from "../../src/service/systemd.ts";
import { goldenSpecs, renderGolden } from "../../tools/gen_units.ts";
import { REPO_ROOT } from "../support/spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";

Deno.test("golden units in install/ match what src/service generates", async () => {
  for (const [name, spec] of Object.entries(goldenSpecs())) {
    const golden = await Deno.readTextFile(`${REPO_ROOT}/install/${name}`);
    assert.equal(golden, renderGolden(name, spec), `install/${name} is stale: run deno run -A tools/gen_units.ts`);
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
