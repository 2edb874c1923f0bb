import assert from "node:assert/strict";
import { validateConnectParams } from "@openclaw/gateway-protocol";
import { checkConnectParams } from "../../src/rpc/connect_check_gen.ts";
import { newerFieldsOf } from "../../src/rpc/protocol_overlay.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { CONNECT_CHECK_PATH, connectCheckSource } from "../../tools/gen_protocol_checks.ts";

const client = { id: "gateway-client", version: "1.0.0", platform: "linux", mode: "backend" };
const valid = { minProtocol: 3, maxProtocol: 4, client, role: "operator", scopes: ["operator.read"] };

/** Params the package accepts and refuses: each shape the ConnectParams schema constrains, and its edges. */
const CORPUS: unknown[] = [
  valid,
  { ...valid, auth: { token: "t" } },
  { ...valid, auth: { password: "p", deviceToken: "d" } },
  { ...valid, caps: ["tool-events"], commands: ["a"], locale: "en", userAgent: "x" },
  { ...valid, client: { ...client, displayName: "d", instanceId: "i", deviceFamily: "f", modelIdentifier: "m" } },
  { ...valid, device: { id: "a".repeat(64), publicKey: "k", signature: "s", signedAt: 1, nonce: "n" } },
  { ...valid, device: { id: "short", publicKey: "k", signature: "s", signedAt: 1 } },
  { ...valid, workerRuns: { protocolFeatures: ["a", "b"] } },
  { ...valid, workerRuns: { protocolFeatures: ["a", "a"] } },
  { ...valid, permissions: { x: true } },
  { ...valid, pathEnv: "/bin" },
  { ...valid, client: { ...client, id: "not-a-client" } },
  { ...valid, client: { ...client, mode: "nope" } },
  { ...valid, client: { ...client, version: "" } },
  { ...valid, client: { ...client, extra: 1 } },
  { ...valid, extra: 1 },
  { ...valid, minProtocol: "3" },
  { ...valid, scopes: "operator.read" },
  { ...valid, scopes: [1] },
  { ...valid, role: 7 },
  { ...valid, auth: { token: 5 } },
  { ...valid, auth: { other: "x" } },
  { ...valid, locale: "x".repeat(10_000) },
  { minProtocol: 3, maxProtocol: 4 },
  { client },
  {},
  [],
  null,
  "connect",
  42,
];

Deno.test("connect check: the precompiled check decides every sample exactly as the package's validator", () => {
  // The overlay adds nothing to `connect` (2026.9.6's `modelCatalog` stays refused: docs/compatibility.md), so the
  // package plus the overlay is the package, and connect_check_gen.ts compiles the package's schema alone.
  assert.deepEqual(newerFieldsOf("validateConnectParams"), {});
  const outcomes = CORPUS.map((params) => [checkConnectParams(params), validateConnectParams(params)]);
  for (const [index, [precompiled, pkg]] of outcomes.entries()) {
    assert.equal(precompiled, pkg, `sample ${index}: ${JSON.stringify(CORPUS[index])?.slice(0, 200)}`);
  }
  assert.ok(outcomes.some(([ok]) => ok) && outcomes.some(([ok]) => !ok), "the corpus has both outcomes");
});

Deno.test("connect check: src/rpc/connect_check_gen.ts is what tools/gen_protocol_checks.ts makes of the installed package", async () => {
  assert.equal(
    await Deno.readTextFile(CONNECT_CHECK_PATH),
    await connectCheckSource(),
    "regenerate: deno run --allow-read --allow-write tools/gen_protocol_checks.ts",
  );
});

Deno.test("connect check: valid params pass without the package, refused ones get the package's words", async () => {
  const validators = new ProtocolValidators();
  assert.deepEqual(await validators.check("validateConnectParams", valid), { ok: true, value: valid });
  const bad = await validators.check("validateConnectParams", { ...valid, client: { ...client, id: "nope" } });
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.problem : "", /^at \/client\/id: /);
  assert.equal(await validators.problem("validateConnectParams", valid), undefined);
});
