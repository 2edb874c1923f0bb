import assert from "node:assert/strict";
import { parseExecResponse } from "../../src/config/secret_exec_response.ts";

Deno.test("an exec provider's response is read as the reference reads it: protocolVersion 1, values, per-id errors, bare values only when jsonOnly is false", () => {
  const request = { alias: "vault", ids: ["a"], jsonOnly: true };
  const refusal = (stdout: string, jsonOnly = true) => {
    try {
      parseExecResponse(stdout, { ...request, jsonOnly });
      return "accepted";
    } catch (error) {
      return (error as Error).message;
    }
  };
  assert.equal(refusal("  "), 'Exec provider "vault" returned empty stdout.');
  assert.equal(refusal("plain"), 'Exec provider "vault" returned invalid JSON.');
  assert.equal(refusal("[1]"), 'Exec provider "vault" response must be an object.');
  assert.equal(refusal('{"values":{"a":"x"}}'), 'Exec provider "vault" protocolVersion must be 1.');
  assert.equal(refusal('{"protocolVersion":1}'), 'Exec provider "vault" response missing "values".');
  assert.deepEqual([...parseExecResponse("plain\n", { ...request, jsonOnly: false })], [["a", "plain"]]);
  assert.deepEqual([...parseExecResponse('"quoted"', { ...request, jsonOnly: false })], [["a", "quoted"]]);
  const mixed = parseExecResponse(
    '{"protocolVersion":1,"values":{"a":"x"},"errors":{"b":{"code":"NOT_FOUND"},"c":{"code":"sk-leaky"}}}',
    { alias: "vault", ids: ["a", "b", "c", "d"], jsonOnly: true },
  );
  assert.equal(mixed.get("a"), "x");
  assert.equal((mixed.get("b") as Error).message, 'Exec provider "vault" failed for id "b" (NOT_FOUND).');
  assert.equal((mixed.get("c") as Error).message, 'Exec provider "vault" failed for id "c".');
  assert.equal(mixed.has("d"), false);
});
