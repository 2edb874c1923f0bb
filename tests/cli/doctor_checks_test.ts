import assert from "node:assert/strict";
import type { DoctorContext } from "../../src/cli/doctor_checks.ts";
import { checkConfig } from "../../src/cli/doctor_config_checks.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { tempHome } from "../support/spawn_gateway.ts";

Deno.test("doctor names the config keys this gateway loads but does not implement", async () => {
  const home = await tempHome({
    gateway: { mode: "local" },
    channels: { signal: { enabled: true } },
    cron: { enabled: true, sessionRetention: "24h", triggers: { enabled: true } },
    agents: { defaults: { model: { primary: "p/m", fallbacks: ["p/n"] } } },
  });
  try {
    const env = { HOME: home.home };
    const paths = resolvePaths({ env });
    const ctx = { paths, env, service: undefined } as unknown as DoctorContext;
    const findings = await checkConfig(ctx);
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [["config-valid", "ok"], [
      "config-ignored-keys",
      "warn",
    ]]);
    // Model fallbacks are implemented (failover): only the keys that still do nothing are named.
    assert.match(findings[1]!.message, /\(loaded, but they do nothing\): channels\.signal, cron\.triggers\. See/);
  } finally {
    await home.cleanup();
  }
});
