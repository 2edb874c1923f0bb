// The gateway side of the team secret store, against what the reference 2026.9.6 answered
// (tests/fixtures/secrets/gateway/): a gateway token given as `{source: "store"}` resolves from the store the
// CLI wrote (and a missing entry refuses the start), the `secrets.store.*`, `secrets.reload` and
// `secrets.resolve` wire methods answer as recorded, and `openclaw secrets reload` makes a changed store value
// the token in force (secrets.resolve then answers it).
import assert from "node:assert/strict";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, runOpenclaw, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { SECRETS_FIXTURES } from "../support/secrets_store_replay.ts";

const TOKEN = "gw-token-0123456789abcdef";
const ROTATED = "gw-token-rotated-0123456789";

interface RecordedCall {
  label: string;
  method: string;
  params: unknown;
  reply: Record<string, unknown>;
}

/** A reply without the clock: `createdAtMs`/`updatedAtMs` are when the reference wrote its rows. */
function withoutClock(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => key === "createdAtMs" || key === "updatedAtMs" ? 0 : v));
}

async function storeSet(home: { home: string; stateDir: string }, name: string, value: string): Promise<void> {
  const file = `${home.home}/value.txt`;
  await Deno.writeTextFile(file, value);
  const set = await runOpenclaw(["secrets", "store", "set", name, "--value-file", file], {
    home: home.home,
    env: { OPENCLAW_STATE_DIR: home.stateDir },
  });
  assert.equal(set.code, 0, set.stderr);
  await Deno.remove(file);
}

Deno.test("secrets: a store-backed gateway token, the secrets.* wire methods and secrets reload, as recorded", async () => {
  const home = await tempHome({
    gateway: {
      mode: "local",
      auth: { mode: "token", token: { source: "store", provider: "default", id: "GW_TOKEN" } },
    },
  });
  const env = { OPENCLAW_STATE_DIR: home.stateDir };
  try {
    // No entry yet: the start is refused, naming the entry and the command that adds it.
    const refused = await spawnOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home, env });
    assert.notEqual(await refused.exited(), 0);
    assert.match(refused.output, /Secret store entry "GW_TOKEN" was not found\./);
    assert.match(refused.output, /openclaw secrets store set GW_TOKEN/);

    await storeSet(home, "GW_TOKEN", TOKEN);
    const { proc, port } = await startGateway({ home: home.home, env });
    let session: ReferenceSession | undefined;
    try {
      session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
      const recording = JSON.parse(await Deno.readTextFile(`${SECRETS_FIXTURES}/gateway/wire_calls.json`)) as {
        calls: RecordedCall[];
      };
      let replayed = 0;
      for (const call of recording.calls) {
        const expected = call.reply;
        if (expected.ok === false) {
          const error = expected.error as { message: string };
          await assert.rejects(
            session.request(call.method, call.params),
            (e: Error) => e.message.includes(error.message),
            call.label,
          );
        } else {
          const reply = await session.request(call.method, call.params);
          // The reference's writer was `openclaw gateway call` (client id `cli`); ours is the test client.
          const normalized = JSON.parse(
            JSON.stringify(reply).replaceAll(/"updatedBy":"(?!cli")[^"]*"/g, '"updatedBy":"cli"'),
          );
          assert.deepEqual(withoutClock(normalized), withoutClock(expected), call.label);
        }
        replayed++;
      }
      assert.equal(replayed, 20, "every recorded call was replayed");
      session.stop();
      session = undefined;

      // A CLI write does not reach the running gateway until `secrets reload`; then the new value is the token.
      await storeSet(home, "GW_TOKEN", ROTATED);
      const reload = await runOpenclaw(["secrets", "reload", "--url", `ws://127.0.0.1:${port}`, "--token", TOKEN], {
        home: home.home,
        env,
      });
      assert.deepEqual([reload.code, reload.stdout, reload.stderr], [0, "Secrets reloaded.", ""]);
      await assert.rejects(connectReference({ port, token: TOKEN, scopes: ["operator.read"] }));
      session = await connectReference({ port, token: ROTATED, scopes: ["operator.admin"] });
      const json = await runOpenclaw(
        ["secrets", "reload", "--json", "--url", `ws://127.0.0.1:${port}`, "--token", ROTATED],
        { home: home.home, env },
      );
      assert.deepEqual([json.code, JSON.parse(json.stdout)], [0, { ok: true, warningCount: 0 }]);
      // secrets.resolve answers the token in force: the rotated one, once reloaded.
      assert.deepEqual(
        await session.request("secrets.resolve", { commandName: "status", targetIds: ["gateway.auth.token"] }),
        {
          ok: true,
          assignments: [{ path: "gateway.auth.token", pathSegments: ["gateway", "auth", "token"], value: ROTATED }],
          diagnostics: [],
          inactiveRefPaths: [],
        },
      );
    } finally {
      session?.stop();
      await proc.stop();
    }
  } finally {
    await home.cleanup();
  }
});
