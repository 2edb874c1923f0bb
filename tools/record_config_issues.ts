// Re-records tests/fixtures/config_issues/recordings.json: runs the reference OpenClaw 2026.9.6 CLI
// (tools/peer_install.sh puts it in /tmp/peer) on each invalid config of
// tests/support/config_issues_cases.ts, written at the default path of a private HOME, and keeps each
// command's exit code, stdout and stderr with that HOME replaced by `<HOME>`. About seven seconds a command.
//
//   deno run -A tools/record_config_issues.ts [case-name ...]
import { runPeer } from "../tests/support/peer.ts";
import {
  CONFIG_ISSUES_CASES,
  CONFIG_ISSUES_FIXTURE,
  type ConfigIssuesRecording,
} from "../tests/support/config_issues_cases.ts";

async function main(): Promise<void> {
  const only = new Set(Deno.args);
  const previous: ConfigIssuesRecording = await Deno.readTextFile(CONFIG_ISSUES_FIXTURE).then(JSON.parse).catch(
    () => ({ cases: {} }),
  );
  const recording: ConfigIssuesRecording = { reference: "openclaw 2026.9.6", cases: { ...previous.cases } };
  for (const testCase of CONFIG_ISSUES_CASES) {
    if (only.size > 0 && !only.has(testCase.name)) continue;
    const home = await Deno.makeTempDir({ prefix: "oc-issues-" });
    const where = { home, stateDir: `${home}/.openclaw`, configPath: `${home}/.openclaw/openclaw.json` };
    await Deno.mkdir(where.stateDir, { recursive: true });
    await Deno.writeTextFile(where.configPath, testCase.text);
    const env = testCase.env ?? {};
    const runs = [];
    for (const args of testCase.commands) {
      const out = await runPeer(args, where, env);
      const clean = (text: string) => text.replaceAll(home, "<HOME>");
      runs.push({ args, code: out.code, stdout: clean(out.stdout), stderr: clean(out.stderr) });
      Deno.stderr.writeSync(new TextEncoder().encode(`${testCase.name}: ${args.join(" ")} → ${out.code}\n`));
    }
    recording.cases[testCase.name] = { text: testCase.text, env, runs };
    // Written after every case, so an interrupted run keeps what it recorded.
    await Deno.writeTextFile(CONFIG_ISSUES_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) await main();
