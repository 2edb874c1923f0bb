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
import { freePort, runOpenclaw, tempHome } from "../support/spawn_gateway.ts";

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

Deno.test("gateway run refuses an invalid config with the reference's lines (issues unmarked, got:, repair hints)", async () => {
  // Recorded by hand (tests/fixtures/config_issues/README.md): the reference logs these lines with timestamps.
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/config_issues/gateway_start.json", import.meta.url)),
  );
  const home = await tempHome(fixture.text);
  try {
    const ours = await runOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home });
    assert.equal(ours.code, 78, ours.stderr);
    const expected = (fixture.stderr as string[]).map((line) => line.replace("<HOME>", home.home));
    assert.deepEqual(ours.stderr.split("\n").filter((line) => line !== ""), expected);
  } finally {
    await home.cleanup();
  }
});

Deno.test("gateway install refuses an invalid config with the reference's config guard block first", async () => {
  const enums = recording.cases.enums!;
  const install = enums.runs.find((run) => run.args.join(" ") === "gateway install")!;
  // The reference's tail (after the block) depends on the host's service manager; the block does not.
  const block = install.stderr.split("\n").filter((line) => !line.startsWith("[sqlite/"));
  const expected = block.slice(0, block.findIndex((line) => line.startsWith("Gateway install blocked:")))
    .join("\n").trim();
  const home = await tempHome(enums.text);
  try {
    const ours = await runOpenclaw(["gateway", "install"], { home: home.home });
    assert.equal(ours.code, 1, ours.stderr);
    const lines = ours.stderr.split("\n");
    assert.equal(lines.at(-1), "Gateway install blocked: the config above is invalid; fix it, then retry.");
    assert.equal(
      normalize(lines.slice(0, -1).join("\n")).trim(),
      expected,
    );
  } finally {
    await home.cleanup();
  }
});
