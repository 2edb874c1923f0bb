import assert from "node:assert/strict";
import { applyOperations, ConfigEditError } from "../../src/config/config_edit.ts";
import { restoreRedactedValues } from "../../src/config/redaction_restore.ts";

const MARKER = "__OPENCLAW_REDACTED__";
const refusal = (message: string) => (error: unknown) => error instanceof ConfigEditError && error.message === message;
const reserved = (label: string) =>
  refusal(`Reserved redaction sentinel "${MARKER}" is not valid config data (${label}).`);

Deno.test("the marker restores a secret's stored value only; at any other place it is refused, as the reference does", () => {
  const authored = {
    gateway: { mode: "local", port: 18789, auth: { mode: "token", token: "${GW_TOKEN}" } },
    channels: { discord: { token: "disc-secret" } },
  };
  const edited = structuredClone(authored);
  edited.channels.discord.token = MARKER;
  assert.deepEqual(restoreRedactedValues(edited, authored), authored);
  // gateway.port is no secret: `config get` never prints the marker there, so it cannot stand for the port.
  assert.throws(
    () => applyOperations(authored, [{ inputMode: "value", path: ["gateway", "port"], value: MARKER }], {}),
    reserved("gateway.port"),
  );
  assert.throws(() => restoreRedactedValues({ list: ["a", MARKER] }, { list: ["a", "b"] }), reserved("list[1]"));
});

Deno.test("a marker left in the file is refused on every write, never written back", () => {
  const authored = { gateway: { mode: "local" }, channels: { discord: { token: MARKER } } };
  assert.throws(
    () => applyOperations(authored, [{ inputMode: "value", path: ["logging", "level"], value: "debug" }], {}),
    reserved("channels.discord.token"),
  );
});
