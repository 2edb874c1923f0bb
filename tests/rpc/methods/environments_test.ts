import assert from "node:assert/strict";
import { environmentsMethods } from "../../../src/rpc/methods/environments.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = environmentsMethods({ platform: "linux" });

Deno.test("environments.list: the gateway host, the one place agents run here", async () => {
  // The params the reference Control UI sends from its new-session and systems pages.
  assert.deepEqual(await payloadOf(table, "environments.list", { includeDesktopSetup: true }), {
    environments: [{
      id: "gateway",
      type: "local",
      label: "Gateway local",
      status: "available",
      platform: "linux",
      sessionHost: true,
      trust: "persistent",
      capabilities: ["agent.run", "sessions"],
    }],
  });
  assert.deepEqual(await payloadOf(table, "environments.list", { projection: "profiles" }), { environments: [] });
  const stray = await callMethod(table, "environments.list", { bogus: 1 });
  assert.equal(!stray.ok && stray.error.code, "INVALID_REQUEST");
});
