// `openclaw sessions compact` as the binary runs it, replaying tests/fixtures/sessions/reference_sessions_compact.json:
// the reference CLI's cases against this gateway (one short session, no model), then with no gateway running, give
// the same exit codes and outputs from our CLI.
import assert from "node:assert/strict";
import { LIVE, seedSessions } from "../support/sessions_artifacts_seed.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

interface Case {
  args: string[];
  gateway: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

Deno.test("openclaw sessions compact replays the reference CLI's recorded cases", async () => {
  const url = new URL("../fixtures/sessions/reference_sessions_compact.json", import.meta.url);
  const { cases } = JSON.parse(await Deno.readTextFile(url)) as { cases: Case[] };
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { mode: "token", token: "compact-token-0123456789" } },
    models: { catalogRefresh: { enabled: false } },
    update: { checkOnStart: false },
  });
  const normalize = (text: string) => text.replaceAll(home.home, "<home>").replaceAll(String(port), "<port>").trimEnd();
  const replay = async (recorded: Case) => {
    const out = await runOpenclaw(recorded.args, { home: home.home });
    const what = `${recorded.args.join(" ")} (gateway ${recorded.gateway ? "up" : "down"})`;
    assert.equal(out.code, recorded.code, `${what}: ${out.stderr}`);
    assert.equal(normalize(out.stdout), recorded.stdout.trimEnd(), what);
    assert.equal(normalize(out.stderr), recorded.stderr.trimEnd(), what);
  };
  try {
    seedSessions(home.stateDir, [["agent:main:main", LIVE]], Date.now());
    const { proc } = await startGateway({ home: home.home, port });
    try {
      for (const recorded of cases.filter((c) => c.gateway)) await replay(recorded);
    } finally {
      await proc.stop();
    }
    for (const recorded of cases.filter((c) => !c.gateway)) await replay(recorded);
  } finally {
    await home.cleanup();
  }
});
