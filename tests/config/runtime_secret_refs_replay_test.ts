// The recorded reference starts (tests/fixtures/secrets/runtime/cases.json) replayed through our runtime resolution:
// the same configs, with the same provider scripts and files laid out again, start or are refused as the reference's
// did, and a failure away from the gateway's auth degrades its owner instead.
import assert from "node:assert/strict";
import { ConfigError } from "../../src/config/errors.ts";
import { resolveRuntimeSecretRefs } from "../../src/config/runtime_secret_refs.ts";

const FIXTURES = new URL("../fixtures/secrets/runtime/", import.meta.url);
const RECORDED_HOME = "/tmp/secrt/home";

interface RecordedCase {
  label: string;
  config: Record<string, unknown>;
  listening: boolean;
  lines: string[];
}

/** The recording's `/tmp/secrt/home` again under a temp dir, with the modes the recording had. */
async function layOutHome(): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "secret-replay-" });
  await Deno.mkdir(`${home}/bin`);
  await Deno.mkdir(`${home}/secrets`);
  const copy = async (from: string, to: string, mode: number) => {
    await Deno.copyFile(new URL(`home/${from}`, FIXTURES), `${home}/${to}`);
    await Deno.chmod(`${home}/${to}`, mode);
  };
  await copy("bin/gwsecret", "bin/gwsecret", 0o700);
  await copy("bin/gwsecret", "bin/gwopen", 0o770);
  await copy("bin/gwfail", "bin/gwfail", 0o700);
  await copy("bin/gwslow", "bin/gwslow", 0o700);
  await copy("secrets/secrets.json", "secrets/secrets.json", 0o600);
  await copy("secrets/secrets.json", "secrets/open.json", 0o644);
  return home;
}

Deno.test("the recorded reference starts: each config starts or is refused by our resolution as the reference's did", async () => {
  const recorded = JSON.parse(await Deno.readTextFile(new URL("cases.json", FIXTURES))).cases as RecordedCase[];
  const home = await layOutHome();
  try {
    const env = { HOME: home, GW_SECRET_FROM_ENV: "env-token-0123456789abcdef" };
    let namedReasons = 0;
    for (const recording of recorded) {
      const config = JSON.parse(JSON.stringify(recording.config).replaceAll(RECORDED_HOME, home));
      let refusal: ConfigError | undefined;
      let degraded: string[] = [];
      try {
        degraded = [...(await resolveRuntimeSecretRefs(config, { env })).failed];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        refusal = error;
      }
      assert.equal(refusal === undefined, recording.listening, `${recording.label}: ${refusal?.message}`);
      const referenceDegraded = recording.lines.some((line) => /Affected owners: cold provider:/.test(line));
      assert.equal(degraded.length > 0, referenceDegraded, `${recording.label}: degraded ${degraded}`);
      // Where the reference's refusal names its reason, ours opens with the same words.
      const named = recording.lines.join("\n").match(
        /Startup failed: required secrets are unavailable\. \w+: (.+?) \|/,
      );
      if (named) {
        assert.ok(refusal?.message.startsWith(named[1]!), `${recording.label}: ${refusal?.message}`);
        namedReasons++;
      }
    }
    assert.equal(recorded.length, 14, "every recorded case was replayed");
    assert.equal(namedReasons, 1, "the unconfigured provider's refusal was compared word for word");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
