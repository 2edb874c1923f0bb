// The reference OpenClaw 2026.9.6's refusals of invalid configs (tests/fixtures/config_issues/, recorded
// by tools/record_config_issues.ts) replayed through our CLI as the binary runs: `config validate` in
// text and `--json`, and `config get`, word for word, exit code included. A few differences are known and
// declared below, each with its reason (docs/compatibility.md); they are applied to our output before
// comparing, so anything else that differs fails.
import assert from "node:assert/strict";
import { VERSION } from "../../src/version.ts";
import {
  CONFIG_ISSUES_CASES,
  CONFIG_ISSUES_FIXTURE,
  type ConfigIssuesRecording,
} from "../support/config_issues_cases.ts";
import { runOpenclaw, tempHome } from "../support/spawn_gateway.ts";

const recording: ConfigIssuesRecording = JSON.parse(await Deno.readTextFile(CONFIG_ISSUES_FIXTURE));

/** Commands whose recordings are kept as documentation only (tests/fixtures/config_issues/README.md says why). */
const NOT_REPLAYED = new Set(["gateway run", "gateway install"]);

/** Known differences: how our output is changed to read as the reference's, and why. */
const KNOWN: { reason: string; apply(text: string): string; expected?(text: string): string }[] = [
  {
    reason:
      "gateway.reload.mode also takes hot/restart and logging.consoleStyle compact here (the reference migrates them)",
    apply: (text) =>
      text
        .replaceAll(`"off", "hot", "restart", "hybrid"`, `"off", "hybrid"`)
        .replaceAll(`"pretty", "json", "compact"`, `"pretty", "json"`)
        .replaceAll(`\\"off\\", \\"hot\\", \\"restart\\", \\"hybrid\\"`, `\\"off\\", \\"hybrid\\"`)
        .replaceAll(`\\"pretty\\", \\"json\\", \\"compact\\"`, `\\"pretty\\", \\"json\\"`)
        .replace(/\[\s*"off",\s*"hot",\s*"restart",\s*"hybrid"\s*\]/g, (list) =>
          list.replace(/\s*"hot",\s*"restart",/, ""))
        .replace(/\[(\s*)"pretty",(\s*)"json",\s*"compact"(\s*)\]/g, `[$1"pretty",$2"json"$3]`),
  },
  {
    reason:
      "gateway.auth.rateLimit is bounded here (positive attempts, lockoutMs >= 0); the reference takes any number",
    apply: (text) => dropIssues(text, "gateway.auth.rateLimit."),
  },
  {
    reason: "channel sections are validated here; the reference leaves a channel its plugin does not load unchecked",
    apply: (text) => dropIssues(text, "channels."),
  },
  {
    reason: "the root accepts keys the reference does not know (sections are kept as written); it refuses them",
    apply: (text) => text,
    expected: (text) => dropIssues(text, "<root>"),
  },
  {
    reason: "the reference's console masks the word after a credential-like key (`token: ***`); ours prints it",
    apply: (text) => text.replace(/(token|password): Invalid/g, "$1: ***"),
  },
];

/** `text` without the issues at paths starting with `prefix`, in text and in `--json`. */
function dropIssues(text: string, prefix: string): string {
  const lines = text.split("\n").filter((line) => !line.includes(`— ${prefix}`) && !line.includes(`× ${prefix}`));
  const out = lines.join("\n");
  if (!out.trimStart().startsWith("{")) return out;
  const value = JSON.parse(out);
  if (Array.isArray(value.issues)) {
    value.issues = value.issues.filter((issue: { path: string }) => !issue.path.startsWith(prefix));
  }
  return JSON.stringify(value, null, 2);
}

function normalize(text: string): string {
  let out = text.trimEnd();
  for (const known of KNOWN) out = known.apply(out);
  return out;
}

for (const testCase of CONFIG_ISSUES_CASES) {
  const recorded = recording.cases[testCase.name];
  Deno.test(`invalid config "${testCase.name}": our refusal reads as the reference's`, async () => {
    assert.ok(recorded, `no recording for ${testCase.name}: run tools/record_config_issues.ts ${testCase.name}`);
    const home = await tempHome(testCase.text);
    try {
      for (const run of recorded.runs) {
        if (NOT_REPLAYED.has(run.args.slice(0, 2).join(" "))) continue;
        const ours = await runOpenclaw(run.args, { home: home.home, env: recorded.env });
        const expect = (text: string) => {
          let out = text.replaceAll("<HOME>", home.home)
            .replaceAll("you are running 2026.9.6", `you are running ${VERSION}`).trimEnd();
          for (const known of KNOWN) out = known.expected?.(out) ?? out;
          return out;
        };
        const what = `${testCase.name}: openclaw ${run.args.join(" ")}`;
        assert.equal(ours.code, run.code, `${what}: exit code\n${ours.stderr}`);
        assert.equal(normalize(ours.stderr), expect(run.stderr), `${what}: stderr`);
        if (run.stdout.trimStart().startsWith("{")) {
          assert.deepEqual(JSON.parse(normalize(ours.stdout)), JSON.parse(expect(run.stdout)), `${what}: stdout`);
        } else assert.equal(normalize(ours.stdout), expect(run.stdout), `${what}: stdout`);
      }
    } finally {
      await home.cleanup();
    }
  });
}
