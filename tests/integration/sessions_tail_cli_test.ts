// `openclaw sessions tail` as the binary runs it, replaying tests/fixtures/sessions/reference_sessions_tail.json:
// every recorded case (arguments, exit code, output) over the same seeded state, and `--follow` printing an
// event appended after its snapshot, stopped by SIGINT (130) and SIGTERM (143).
import assert from "node:assert/strict";
import { runOpenclaw, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import {
  appendTrajectoryEvent,
  FOLLOW_EVENT,
  MAIN_EVENTS,
  MAIN_ID,
  seedTailScene,
} from "../support/sessions_tail_seed.ts";

interface Case {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

async function recording(): Promise<{ cases: Case[]; follows: (Case & { signal: Deno.Signal })[] }> {
  const url = new URL("../fixtures/sessions/reference_sessions_tail.json", import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

const GATEWAY = { mode: "local", port: 19597, auth: { mode: "token", token: "tail-token-0123456789" } };

Deno.test("openclaw sessions tail replays the reference's recorded cases", async () => {
  const { cases } = await recording();
  const home = await tempHome({ gateway: GATEWAY });
  try {
    for (const [i, recorded] of cases.entries()) {
      if (i === 1) seedTailScene(home.stateDir, Date.now());
      const out = await runOpenclaw(recorded.args, { home: home.home });
      const what = recorded.args.join(" ");
      assert.equal(out.code, recorded.code, `${what}: ${out.stderr}`);
      assert.equal(out.stdout.trimEnd(), recorded.stdout.trimEnd(), what);
      // The reference's stderr also carries its slow-SQLite warnings: compare it where it says something else.
      if (recorded.code !== 0) assert.equal(out.stderr.trimEnd(), recorded.stderr.trimEnd(), what);
    }
  } finally {
    await home.cleanup();
  }
});

Deno.test("openclaw sessions tail --follow prints new events until SIGINT or SIGTERM", async () => {
  const { follows } = await recording();
  const home = await tempHome({ gateway: GATEWAY });
  try {
    seedTailScene(home.stateDir, Date.now());
    for (const [i, recorded] of follows.entries()) {
      const child = await spawnOpenclaw(["sessions", "tail", "--follow", "--tail", "1"], { home: home.home });
      try {
        const first = recorded.stdout.split("\n")[0]!;
        await child.waitForLine(new RegExp(`^${first.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), 30_000);
        appendTrajectoryEvent(home.stateDir, MAIN_ID, MAIN_EVENTS.length + 1 + i, FOLLOW_EVENT);
        // The second line may repeat the first (the same event appended again): wait for the count.
        const deadline = Date.now() + 30_000;
        while (child.stdout.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.equal(child.stdout.length, 2, child.output);
        child.kill(recorded.signal);
        assert.equal(await child.exited(), recorded.code);
        assert.equal(child.stdout.join("\n").trimEnd(), recorded.stdout.trimEnd());
      } finally {
        await child.stop();
      }
    }
  } finally {
    await home.cleanup();
  }
});
