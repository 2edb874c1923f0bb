// Where an account's credentials live: the account id is normalized as the reference normalizes it
// (`normalizeAccountId`), so an id from a request or the config never leaves `<credentials>/whatsapp`.
import assert from "node:assert/strict";
import { resolveAuthDir } from "../../../src/config/account_dirs.ts";
import { webLoginMethods } from "../../../src/rpc/methods/web_login.ts";
import { webLoginWiring } from "../../../src/server/whatsapp_wiring.ts";
import { FakeWaNetwork } from "../../support/fake_wa_socket.ts";
import { payloadOf } from "../../support/method_call.ts";

Deno.test("an account id names one directory under credentials/whatsapp, normalized as the reference does", () => {
  const dir = (accountId: string) => resolveAuthDir({ stateDir: "/state", env: {}, accountId });
  assert.equal(dir("default"), "/state/credentials/whatsapp/default");
  assert.equal(dir("Work"), "/state/credentials/whatsapp/work");
  assert.equal(dir("../../etc"), "/state/credentials/whatsapp/etc");
  assert.equal(dir(".."), "/state/credentials/whatsapp/default");
  assert.equal(dir("a/b"), "/state/credentials/whatsapp/a-b");
  assert.equal(dir("__proto__"), "/state/credentials/whatsapp/default");
  assert.equal(dir(""), "/state/credentials/whatsapp/default");
});

Deno.test("channels.logout with a traversing account id removes nothing outside the credentials", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-escape-" });
  try {
    // Another account's credentials exist (so the path resolves), and the state dir holds a `creds.json`.
    await Deno.mkdir(`${stateDir}/credentials/whatsapp/work`, { recursive: true });
    await Deno.writeTextFile(`${stateDir}/creds.json`, "{}");
    await Deno.writeTextFile(`${stateDir}/openclaw.json`, "{}");
    const methods = webLoginMethods(webLoginWiring({
      channels: {
        declaredSection: () => undefined,
        isRunning: () => false,
        stopAccount: () => Promise.resolve(),
        startAccount: () => Promise.resolve(),
      },
      channelsConfig: () => ({ whatsapp: {} }),
      stateDir,
      env: {},
      factory: new FakeWaNetwork().factory,
    }));
    const answer = await payloadOf(methods, "channels.logout", { channel: "whatsapp", accountId: "../.." });
    assert.deepEqual(answer, { channel: "whatsapp", accountId: "../..", cleared: false, loggedOut: false });
    assert.ok((await Deno.stat(`${stateDir}/openclaw.json`)).isFile);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
