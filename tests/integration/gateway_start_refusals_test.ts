// `gateway run`'s refusals before it listens (no config, a config not for a local gateway, a non-loopback
// bind without a secret, password auth without a password), run as the binary runs, replayed against what
// the reference 2026.9.6 printed and how it exited (tools/record_start_refusals.ts). Nothing binds: every
// case is refused before a socket is opened.
import assert from "node:assert/strict";
import { freePort, spawnOpenclaw } from "../support/spawn_gateway.ts";
import {
  asOurBindRefusal,
  normalizeStartRefusal,
  START_REFUSAL_CASES,
  START_REFUSALS_FIXTURE,
  type StartRefusalRecording,
} from "../support/start_refusal_cases.ts";

const RECORDING: StartRefusalRecording = JSON.parse(Deno.readTextFileSync(START_REFUSALS_FIXTURE));
/** The log lines' time prefix (the reference's and ours), dropped before lines are compared. */
const STAMP = /^\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d /;
/** The reference's bind refusal in a container (where its default bind is `auto`, 0.0.0.0). */
const CONTAINER_NOTICE = [
  "Container environment detected — the gateway defaults to bind=auto (0.0.0.0) for port-forwarding compatibility.",
  "Set OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD, or pass --token/--password *** start with auth.",
];
/** What it prints outside a container, and this gateway everywhere (its default bind is loopback). */
const FIX =
  "Set gateway.auth.token/password (or OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD) or pass --token/--password.";

/**
 * The reference's stderr as this gateway prints it, time prefixes dropped. Three lines differ on purpose
 * (docs/compatibility.md): the bind refusal is the runbook's signature (`refusing to bind gateway to
 * <host>:<port> without auth`, which the reference's server also throws), the container notice (this gateway binds loopback by default in a container too,
 * so its bind refusal gives the plain fix), and `Config write audit: ...` after a mode refusal (this gateway
 * keeps no config write audit to point to).
 */
function expectedLines(stderr: string): string[] {
  const lines = stderr.split("\n").map((line) => asOurBindRefusal(line.replace(STAMP, ""))).filter((line) =>
    line !== ""
  );
  const notice = lines.indexOf(CONTAINER_NOTICE[0]!);
  if (notice >= 0 && lines[notice + 1] === CONTAINER_NOTICE[1]) lines.splice(notice, 2, FIX);
  return lines.filter((line) => !line.startsWith("Config write audit: "));
}

for (const which of START_REFUSAL_CASES) {
  const expected = RECORDING.cases[which.name];
  if (!expected) continue;
  Deno.test(`gateway run refuses ${which.name} in the reference's words and exit code (${expected.code})`, async () => {
    const root = await Deno.makeTempDir({ prefix: "oc-start-refusal-" });
    try {
      const port = freePort();
      const stateDir = `${root}/state`;
      await Deno.mkdir(`${root}/home`, { recursive: true });
      await Deno.mkdir(stateDir, { recursive: true });
      const configPath = `${stateDir}/openclaw.json`;
      if (which.config) await Deno.writeTextFile(configPath, JSON.stringify(which.config(port)));
      const proc = await spawnOpenclaw(["gateway", "run", ...which.args?.(port) ?? []], {
        home: `${root}/home`,
        env: { OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath },
      });
      const code = await proc.exited(30_000);
      const stderr = normalizeStartRefusal(proc.stderr.join("\n"), root, port);
      const label = `${which.name}: ours exit ${code}\n${stderr}`;
      assert.equal(code, expected.code, label);
      assert.deepEqual(expectedLines(stderr), expectedLines(expected.stderr), label);
    } finally {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  });
}
