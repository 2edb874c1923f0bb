// Records the reference's setup-code flow: `openclaw qr --json` against a reference gateway's state
// dir (the setup code decoded, the `device_bootstrap_tokens` row), then what that gateway answers
// a device connecting with the bootstrap token: first use, reuse, an unknown and an expired token,
// a limited code, an operator client, and the issued device tokens reconnecting. Token values are
// replaced by placeholders. Writes tests/fixtures/bootstrap/reference_connect.json.
//
//   deno run -A tools/record_bootstrap.ts [--port 19641]
//
// Needs the reference installed (bash tools/peer_install.sh); its gateway takes ~20-60 s to start.
import { DatabaseSync } from "node:sqlite";
import { bootstrapConnect, type BootstrapConnectOptions, newDeviceKeys } from "../tests/support/bootstrap_connect.ts";
import { runPeer } from "../tests/support/peer.ts";
import { startReferenceGateway } from "../tests/support/reference_gateway.ts";

const portIndex = Deno.args.indexOf("--port");
const port = portIndex === -1 ? 19641 : Number(Deno.args[portIndex + 1]);
const token = "record-token-0123456789abcdef0123";
const out = new URL("../tests/fixtures/bootstrap/reference_connect.json", import.meta.url);
const write = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(`${text}\n`));

const placeholders = new Map<string, string>();
/** Replaces every 43-character base64url value (tokens, keys, signatures) with a stable placeholder. */
function redact(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v) => {
    if (typeof v !== "string") return v;
    return v.replace(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, (found) => {
      if (!placeholders.has(found)) placeholders.set(found, `<secret-${placeholders.size + 1}>`);
      return placeholders.get(found)!;
    });
  });
}

const gateway = await startReferenceGateway({
  root: "/tmp/record-bootstrap/gateway",
  port,
  config: { gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token } } },
});
const record: Record<string, unknown> = {};
const dbPath = `${gateway.where.stateDir}/state/openclaw.sqlite`;
function rows(sql: string): unknown[] {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}
async function issue(extra: string[] = []): Promise<{ json: Record<string, unknown>; bootstrapToken: string }> {
  const result = await runPeer(["qr", "--url", `ws://127.0.0.1:${port}`, "--json", ...extra], gateway.where);
  if (result.code !== 0) throw new Error(`qr failed: ${result.stderr}`);
  const json = JSON.parse(result.stdout);
  const payload = JSON.parse(atob(String(json.setupCode).replace(/-/g, "+").replace(/_/g, "/")));
  return { json: { ...json, decoded: payload }, bootstrapToken: payload.bootstrapToken };
}
/** The answer without hello-ok's snapshot and feature lists, which say nothing about bootstrap. */
function trimmed(result: Awaited<ReturnType<typeof bootstrapConnect>>) {
  const payload = result.response.payload as Record<string, unknown> | undefined;
  if (!payload) return result;
  const { snapshot: _snapshot, features: _features, ...rest } = payload;
  return { ...result, response: { ...result.response, payload: rest } };
}
async function connect(label: string, options: BootstrapConnectOptions) {
  const result = await bootstrapConnect(port, options);
  record[label] = redact(trimmed(result));
  write(`${label}: ${result.response.ok ? "hello-ok" : JSON.stringify(result.response.error)}`);
  return result;
}
try {
  write("issuing with the reference qr");
  const first = await issue();
  record.qrJson = redact(first.json);
  record.rowsAfterIssue = redact(rows("SELECT * FROM device_bootstrap_tokens"));

  const phone = await newDeviceKeys();
  await connect("unknownToken", { keys: phone, auth: { bootstrapToken: "x".repeat(43) } });
  const ok = await connect("firstUse", { keys: phone, auth: { bootstrapToken: first.bootstrapToken } });
  record.rowsAfterFirstUse = redact(rows("SELECT * FROM device_bootstrap_tokens"));
  record.pairedAfterFirstUse = redact(rows("SELECT * FROM device_pairing_paired"));
  record.pendingAfterFirstUse = redact(rows("SELECT * FROM device_pairing_pending"));
  try {
    record.setupCompletions = redact(rows("SELECT * FROM device_pair_setup_completions"));
  } catch (error) {
    record.setupCompletions = String(error);
  }
  await connect("reuseSameDevice", { keys: phone, auth: { bootstrapToken: first.bootstrapToken } });
  await connect("reuseOtherDevice", { keys: await newDeviceKeys(), auth: { bootstrapToken: first.bootstrapToken } });
  const auth = (ok.response.payload as { auth?: Record<string, unknown> } | undefined)?.auth ?? {};
  if (typeof auth.deviceToken === "string") {
    await connect("deviceTokenReconnect", { keys: phone, auth: { deviceToken: auth.deviceToken } });
  }
  const operator = (auth.deviceTokens as { role: string; deviceToken: string; scopes: string[] }[] | undefined)
    ?.find((t) => t.role === "operator");
  if (operator) {
    await connect("operatorDeviceTokenReconnect", {
      keys: phone,
      role: "operator",
      scopes: operator.scopes,
      client: { id: "openclaw-ios", version: "2026.9.6", platform: "iOS 18.0", mode: "ui", deviceFamily: "iPhone" },
      auth: { deviceToken: operator.deviceToken },
    });
  }

  write("an expired code");
  const stale = await issue();
  const db = new DatabaseSync(dbPath);
  const old = Date.now() - 11 * 60_000;
  db.prepare("UPDATE device_bootstrap_tokens SET issued_at_ms = ?, ts = ? WHERE token = ?").run(
    old,
    old,
    stale.bootstrapToken,
  );
  db.close();
  await connect("expiredToken", { keys: await newDeviceKeys(), auth: { bootstrapToken: stale.bootstrapToken } });
  record.rowsAfterExpired = redact(rows("SELECT * FROM device_bootstrap_tokens"));

  write("a limited code");
  const limited = await issue(["--limited"]);
  record.qrLimitedJson = redact(limited.json);
  record.rowsAfterLimitedIssue = redact(rows(
    "SELECT * FROM device_bootstrap_tokens WHERE token = '" +
      limited.bootstrapToken + "'",
  ));
  await connect("limitedFirstUse", { keys: await newDeviceKeys(), auth: { bootstrapToken: limited.bootstrapToken } });

  write("an operator client with a code");
  const forOperator = await issue();
  await connect("operatorClient", {
    keys: await newDeviceKeys(),
    role: "operator",
    scopes: ["operator.read", "operator.write"],
    client: { id: "gateway-client", version: "test", platform: "linux", mode: "backend" },
    auth: { bootstrapToken: forOperator.bootstrapToken },
  });
  record.rowsAfterOperatorClient = redact(rows("SELECT * FROM device_bootstrap_tokens"));
  record.pendingAfterOperatorClient = redact(rows("SELECT * FROM device_pairing_pending"));
} finally {
  await Deno.writeTextFile(out, JSON.stringify(record, null, 2) + "\n");
  await gateway.stop();
}
write(`wrote ${out.pathname}`);
