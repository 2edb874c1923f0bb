// Regenerates the golden unit files in install/ from src/service (run: deno run -A tools/gen_units.ts).
// tests/service/units_golden_test.ts fails when these files and the generator disagree.
import { launchdPlist } from "../src/service/launchd.ts";
import { systemdUnit, type UnitSpec } from "../src/service/systemd.ts";

/** The canonical sample the golden files are rendered for: a release binary in /usr/local/bin. */
export function goldenSpecs(): Record<string, UnitSpec> {
  const base = {
    command: ["/usr/local/bin/openclaw", "gateway", "run", "--port", "18789"],
    port: 18789,
    home: "/home/alice",
    path: "/usr/local/bin:/usr/bin:/bin",
  };
  return {
    "systemd/openclaw-gateway.service": { ...base, profile: undefined },
    "systemd/openclaw-gateway-work.service": {
      ...base,
      profile: "work",
      port: 28001,
      // The profile reaches the gateway through OPENCLAW_PROFILE in the unit's environment.
      command: ["/usr/local/bin/openclaw", "gateway", "run", "--port", "28001"],
    },
    // `gateway install --system`: always-on multi-user hosts; runs as a named account.
    "systemd/openclaw-gateway.system.service": { ...base, profile: undefined, system: true, user: "alice" },
    "launchd/ai.openclaw.gateway.plist": { ...base, profile: undefined },
  };
}

/** Renders one golden file. */
export function renderGolden(name: string, spec: UnitSpec): string {
  return name.endsWith(".plist") ? launchdPlist(spec) : systemdUnit(spec);
}

if (import.meta.main) {
  const root = new URL("../install/", import.meta.url).pathname;
  for (const [name, spec] of Object.entries(goldenSpecs())) {
    await Deno.writeTextFile(`${root}${name}`, renderGolden(name, spec));
  }
}
