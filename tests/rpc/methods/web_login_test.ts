// `web.login.start`, `web.login.wait` and `channels.logout` through the real dispatcher and protocol
// validators, with WhatsApp's provider on a fake socket at Baileys' event boundary: the QR comes back
// as a data URL, the account is stopped for the login and started once linked, logout clears the
// credentials; other channels get the reference's refusals.
import assert from "node:assert/strict";
import type { DeclaredSection } from "../../../src/channels/catalog.ts";
import { webLoginMethods } from "../../../src/rpc/methods/web_login.ts";
import { channelsLifecycleMethods } from "../../../src/rpc/methods/channels_lifecycle.ts";
import { channelAccountLinked, webLoginWiring, type WhatsAppWiringDeps } from "../../../src/server/whatsapp_wiring.ts";
import { FakeWaNetwork } from "../../support/fake_wa_socket.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";
import { until } from "../../support/until.ts";

async function withMethods(
  body: (
    side: { network: FakeWaNetwork; calls: string[]; authDir: string; methods: ReturnType<typeof webLoginMethods> },
  ) => Promise<void>,
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-rpc-" });
  const network = new FakeWaNetwork();
  const calls: string[] = [];
  const section: DeclaredSection = {
    enabled: true,
    defaultAccountId: "default",
    accounts: [{ accountId: "default", settings: {}, create: () => Promise.reject(new Error("unused")) }],
  };
  const wiring: WhatsAppWiringDeps = {
    channels: {
      declaredSection: (channel) => (channel === "whatsapp" || channel === "discord" ? section : undefined),
      isRunning: () => false,
      stopAccount: (channel, accountId) => Promise.resolve(void calls.push(`stop ${channel}/${accountId}`)),
      startAccount: (channel, accountId) => Promise.resolve(void calls.push(`start ${channel}/${accountId}`)),
    },
    channelsConfig: () => ({ whatsapp: {} }),
    stateDir,
    env: {},
    factory: network.factory,
  };
  // As the method table builds them: `channels.start` checks a WhatsApp account is linked.
  const methods = {
    ...webLoginMethods(webLoginWiring(wiring)),
    ...channelsLifecycleMethods({
      channels: wiring.channels,
      knownChannel: (channel) => ["whatsapp", "discord", "telegram"].includes(channel),
      linked: channelAccountLinked(wiring),
    }),
  };
  try {
    await body({ network, calls, authDir: `${stateDir}/credentials/whatsapp/default`, methods });
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("web.login.start answers with the QR data URL; web.login.wait starts the account once linked", async () => {
  await withMethods(async ({ network, calls, authDir, methods }) => {
    const starting = payloadOf(methods, "web.login.start", { channel: "whatsapp", timeoutMs: 30_000 });
    const socket = await network.socket(1);
    socket.emit("connection.update", { qr: "2@ref,noise,identity,adv" });
    const started = await starting as { qrDataUrl: string; message: string };
    assert.match(started.qrDataUrl, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    assert.equal(started.message, "Scan this QR in WhatsApp → Linked Devices.");
    assert.deepEqual(calls, ["stop whatsapp/default"]);

    const waiting = payloadOf(methods, "web.login.wait", { currentQrDataUrl: started.qrDataUrl, timeoutMs: 10_000 });
    await Deno.mkdir(authDir, { recursive: true });
    await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: "15550001111:7@s.whatsapp.net" } }));
    socket.open();
    assert.deepEqual(await waiting, { connected: true, message: "✅ Linked! WhatsApp is ready." });
    assert.deepEqual(calls, ["stop whatsapp/default", "start whatsapp/default"]);

    // `openclaw channels login` asks the gateway to start the account it linked.
    assert.deepEqual(await payloadOf(methods, "channels.start", { channel: "whatsapp" }), {
      channel: "whatsapp",
      accountId: "default",
      started: false,
      outcome: { status: "handed-off" },
    });
    assert.equal(calls.at(-1), "start whatsapp/default");
    assert.deepEqual(await payloadOf(methods, "channels.start", { channel: "whatsapp", accountId: "other" }), {
      channel: "whatsapp",
      accountId: "other",
      started: false,
      outcome: { status: "skipped", reason: "unconfigured" },
    });

    assert.deepEqual(await payloadOf(methods, "channels.logout", { channel: "whatsapp" }), {
      channel: "whatsapp",
      accountId: "default",
      cleared: true,
      loggedOut: true,
    });
    await assert.rejects(Deno.stat(authDir));
    // Unlinked now: nothing to start, as the reference says.
    assert.deepEqual(await payloadOf(methods, "channels.start", { channel: "whatsapp" }), {
      channel: "whatsapp",
      accountId: "default",
      started: false,
      outcome: { status: "skipped", reason: "unlinked" },
    });
    assert.deepEqual(await payloadOf(methods, "channels.logout", { channel: "whatsapp" }), {
      channel: "whatsapp",
      accountId: "default",
      cleared: false,
      loggedOut: false,
    });
  });
});

Deno.test("other channels: the reference's refusals", async () => {
  await withMethods(async ({ methods }) => {
    const refusal = async (method: string, params: unknown) => {
      const result = await callMethod(methods, method, params);
      assert.equal(result.ok, false);
      return !result.ok ? `${result.error.code} ${result.error.message}` : "";
    };
    // As the reference: a configured channel without a QR login is "not supported", an unconfigured one "not available".
    assert.equal(
      await refusal("web.login.start", { channel: "whatsapp-not" }),
      "INVALID_REQUEST web login provider is not available",
    );
    assert.equal(
      await refusal("web.login.start", { channel: "telegram" }),
      "INVALID_REQUEST web login provider is not available",
    );
    assert.equal(
      await refusal("web.login.start", { channel: "discord" }),
      "INVALID_REQUEST web login is not supported by provider discord",
    );
    assert.equal(
      await refusal("web.login.start", { channel: "signal" }),
      "INVALID_REQUEST web login provider is not available",
    );
    assert.equal(
      await refusal("channels.logout", { channel: "discord" }),
      "INVALID_REQUEST channel discord does not support logout",
    );
    assert.equal(
      await refusal("channels.logout", { channel: "nope" }),
      "INVALID_REQUEST invalid channels.logout channel",
    );
  });
});

Deno.test("a login in progress ends with channels.logout and with the gateway's channels", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-rpc-" });
  const network = new FakeWaNetwork();
  const stopHooks: (() => void)[] = [];
  const methods = webLoginMethods(webLoginWiring({
    channels: {
      declaredSection: () => undefined,
      isRunning: () => false,
      stopAccount: () => Promise.resolve(),
      startAccount: () => Promise.resolve(),
      onStop: (hook) => void stopHooks.push(hook),
    },
    channelsConfig: () => ({ whatsapp: {} }),
    stateDir,
    env: {},
    factory: network.factory,
  }));
  const login = async (count: number) => {
    const starting = payloadOf(methods, "web.login.start", { channel: "whatsapp" });
    const socket = await network.socket(count);
    socket.emit("connection.update", { qr: `2@ref${count},noise,identity,adv` });
    await starting;
    return socket;
  };
  try {
    const first = await login(1);
    await payloadOf(methods, "channels.logout", { channel: "whatsapp" });
    assert.ok(first.ended, "logout ends the pairing socket");
    assert.deepEqual(await payloadOf(methods, "web.login.wait", {}), {
      connected: false,
      message: "No active WhatsApp login in progress.",
    });

    const second = await login(2);
    assert.equal(stopHooks.length, 1);
    stopHooks[0]!();
    await until(() => second.ended, "the pairing socket ended with the gateway");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
