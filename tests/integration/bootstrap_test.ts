// Setup codes through the real program: `openclaw qr` issues a bootstrap token into the state
// database, our gateway on that state dir pairs a phone presenting it once (hello-ok with a device
// token per role, as recorded from the reference), refuses reuse with the reference's words, and
// the issued device token connects. Cross-tests: our gateway redeems a code the reference CLI issued,
// and the reference gateway redeems a code our CLI issued.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { bootstrapConnect, newDeviceKeys } from "../support/bootstrap_connect.ts";
import { runPeer } from "../support/peer.ts";
import { startReferenceGateway } from "../support/reference_gateway.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "bootstrap-test-token-0123456789";
const REJECTED =
  "unauthorized: setup code invalid, expired, revoked, or already used (create a new code; review `openclaw devices list`)";
const FULL_SCOPES = [
  "operator.admin",
  "operator.approvals",
  "operator.questions",
  "operator.read",
  "operator.talk.secrets",
  "operator.write",
];

function decodeSetupCode(code: string): { url: string; bootstrapToken: string; expiresAtMs: number } {
  return JSON.parse(atob(code.replace(/-/g, "+").replace(/_/g, "/")));
}

function rows(stateDir: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(`${stateDir}/state/openclaw.sqlite`, { readOnly: true });
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

Deno.test("openclaw qr issues a code our gateway redeems once: hello-ok with device tokens, reuse refused, device token connects", async () => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } });
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const issued = await runOpenclaw(["qr", "--url", `ws://127.0.0.1:${port}`, "--json"], { home: home.home });
    assert.equal(issued.code, 0, issued.stderr);
    const out = JSON.parse(issued.stdout);
    assert.deepEqual(
      { ...out, setupCode: typeof out.setupCode },
      {
        setupCode: "string",
        gatewayUrl: `ws://127.0.0.1:${port}`,
        auth: "token",
        urlSource: "plugins.entries.device-pair.config.publicUrl",
        access: "full",
      },
    );
    const payload = decodeSetupCode(out.setupCode);
    const [row] = rows(home.stateDir, "SELECT * FROM device_bootstrap_tokens");
    assert.equal(row?.token, payload.bootstrapToken);
    assert.equal(row?.issued_at_ms, payload.expiresAtMs - 600_000);

    const phone = await newDeviceKeys();
    const first = await bootstrapConnect(port, { keys: phone, auth: { bootstrapToken: payload.bootstrapToken } });
    assert.equal(first.response.ok, true, JSON.stringify(first.response.error));
    const auth = (first.response.payload as { auth: Record<string, unknown> }).auth;
    assert.deepEqual(Object.keys(auth), ["method", "role", "scopes", "deviceToken", "issuedAtMs", "deviceTokens"]);
    assert.equal(auth.method, "bootstrap-token");
    assert.equal(auth.role, "node");
    assert.deepEqual(auth.scopes, []);
    const [operatorToken] = auth.deviceTokens as { deviceToken: string; role: string; scopes: string[] }[];
    assert.equal(operatorToken?.role, "operator");
    assert.deepEqual(operatorToken?.scopes, FULL_SCOPES);

    assert.deepEqual(rows(home.stateDir, "SELECT * FROM device_bootstrap_tokens"), []);
    const [paired] = rows(home.stateDir, "SELECT roles_json, approved_via FROM device_pairing_paired");
    assert.deepEqual(paired, { roles_json: '["node","operator"]', approved_via: "bootstrap" });
    const [completion] = rows(home.stateDir, "SELECT access, device_name FROM device_pair_setup_completions");
    assert.deepEqual(completion, { access: "full", device_name: "Test iPhone" });

    for (const keys of [phone, await newDeviceKeys()]) {
      const again = await bootstrapConnect(port, { keys, auth: { bootstrapToken: payload.bootstrapToken } });
      assert.equal(again.response.ok, false);
      assert.deepEqual(again.response.error, {
        code: "INVALID_REQUEST",
        message: REJECTED,
        details: {
          code: "AUTH_BOOTSTRAP_TOKEN_INVALID",
          authReason: "bootstrap_token_invalid",
          canRetryWithDeviceToken: false,
          recommendedNextStep: "review_auth_configuration",
        },
      });
      assert.deepEqual(again.close, { code: 1008, reason: REJECTED });
    }

    const back = await bootstrapConnect(port, { keys: phone, auth: { deviceToken: auth.deviceToken as string } });
    assert.equal(back.response.ok, true, JSON.stringify(back.response.error));
    assert.equal((back.response.payload as { auth: { method: string } }).auth.method, "device-token");
    const operator = await bootstrapConnect(port, {
      keys: phone,
      role: "operator",
      scopes: operatorToken!.scopes,
      client: { id: "openclaw-ios", version: "2026.9.6", platform: "iOS 18.0", mode: "ui", deviceFamily: "iPhone" },
      auth: { deviceToken: operatorToken!.deviceToken },
    });
    assert.equal(operator.response.ok, true, JSON.stringify(operator.response.error));
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("an expired or unknown setup code is refused; an operator client redeems only its leg", async () => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } });
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const issued = await runOpenclaw(["qr", "--url", `ws://127.0.0.1:${port}`, "--setup-code-only"], {
      home: home.home,
    });
    assert.equal(issued.code, 0, issued.stderr);
    const { bootstrapToken } = decodeSetupCode(issued.stdout.trim());
    const db = new DatabaseSync(`${home.stateDir}/state/openclaw.sqlite`);
    const old = Date.now() - 11 * 60_000;
    db.prepare("UPDATE device_bootstrap_tokens SET issued_at_ms = ?, ts = ?").run(old, old);
    db.close();
    for (const token of [bootstrapToken, "x".repeat(43)]) {
      const refused = await bootstrapConnect(port, { keys: await newDeviceKeys(), auth: { bootstrapToken: token } });
      assert.equal((refused.response.error as { message: string }).message, REJECTED);
    }

    // An operator backend client with a fresh code: paired as any loopback client, and (as recorded)
    // the code stays, bound to it, with the operator leg redeemed.
    const fresh = await runOpenclaw(["qr", "--url", `ws://127.0.0.1:${port}`, "--setup-code-only"], {
      home: home.home,
    });
    const code = decodeSetupCode(fresh.stdout.trim()).bootstrapToken;
    const operator = await bootstrapConnect(port, {
      keys: await newDeviceKeys(),
      role: "operator",
      scopes: ["operator.read", "operator.write"],
      client: { id: "gateway-client", version: "test", platform: "linux", mode: "backend" },
      auth: { bootstrapToken: code },
    });
    assert.equal(operator.response.ok, true, JSON.stringify(operator.response.error));
    const auth = (operator.response.payload as { auth: Record<string, unknown> }).auth;
    assert.equal(auth.method, "bootstrap-token");
    assert.equal(typeof auth.deviceToken, "string");
    const [row] = rows(
      home.stateDir,
      `SELECT redeemed_profile_json, pending_profile_json FROM device_bootstrap_tokens`,
    );
    assert.deepEqual(row, {
      redeemed_profile_json:
        '{"roles":["operator"],"scopes":["operator.read","operator.write"],"purpose":"mobile-full"}',
      pending_profile_json: null,
    });
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("a code the reference CLI issued is redeemed by our gateway", async () => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } });
  const issued = await runPeer(["qr", "--url", `ws://127.0.0.1:${port}`, "--json"], {
    home: home.home,
    stateDir: home.stateDir,
    configPath: home.configPath,
  });
  assert.equal(issued.code, 0, issued.stderr);
  const { bootstrapToken } = decodeSetupCode(JSON.parse(issued.stdout).setupCode);
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const first = await bootstrapConnect(port, { keys: await newDeviceKeys(), auth: { bootstrapToken } });
    assert.equal(first.response.ok, true, JSON.stringify(first.response.error));
    const auth = (first.response.payload as { auth: { method: string; deviceTokens: unknown[] } }).auth;
    assert.equal(auth.method, "bootstrap-token");
    assert.equal(auth.deviceTokens.length, 1);
    assert.deepEqual(rows(home.stateDir, "SELECT * FROM device_bootstrap_tokens"), []);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("a code our CLI issued is redeemed by the reference gateway", async () => {
  const port = freePort();
  const gateway = await startReferenceGateway({
    root: await Deno.makeTempDir({ prefix: "oc-bootstrap-ref-" }),
    port,
    config: { gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } } },
  });
  try {
    const issued = await runOpenclaw(["qr", "--url", `ws://127.0.0.1:${port}`, "--json"], {
      home: gateway.where.home,
      env: { OPENCLAW_STATE_DIR: gateway.where.stateDir, OPENCLAW_CONFIG_PATH: gateway.where.configPath },
    });
    assert.equal(issued.code, 0, issued.stderr);
    const { bootstrapToken } = decodeSetupCode(JSON.parse(issued.stdout).setupCode);
    const first = await bootstrapConnect(port, { keys: await newDeviceKeys(), auth: { bootstrapToken } });
    assert.equal(first.response.ok, true, JSON.stringify(first.response.error));
    const auth = (first.response.payload as { auth: { method: string; deviceTokens: { role: string }[] } }).auth;
    assert.equal(auth.method, "bootstrap-token");
    assert.deepEqual(auth.deviceTokens.map((t) => t.role), ["operator"]);
    const again = await bootstrapConnect(port, { keys: await newDeviceKeys(), auth: { bootstrapToken } });
    assert.equal((again.response.error as { message: string }).message, REJECTED);
  } finally {
    await gateway.stop();
  }
});
