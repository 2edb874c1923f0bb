import assert from "node:assert/strict";
import { batchOperations } from "../../src/config/config_batch.ts";
import { ConfigEditError } from "../../src/config/config_edit.ts";

const refusal = (message: string) => (error: unknown) => error instanceof ConfigEditError && error.message === message;

Deno.test("batchOperations() turns value, ref and provider entries into operations, in order", () => {
  assert.deepEqual(
    batchOperations(
      `[{ path: "ui.seamColor", value: "#ff0000" },
        { path: "channels.discord.token", ref: { source: "env", provider: "default", id: "DISCORD_BOT_TOKEN" } },
        { path: "secrets.providers.default", provider: { source: "env" } }]`,
      "--batch-json",
    ),
    [
      { inputMode: "json", path: ["ui", "seamColor"], value: "#ff0000" },
      {
        inputMode: "json",
        path: ["channels", "discord", "token"],
        value: { source: "env", provider: "default", id: "DISCORD_BOT_TOKEN" },
      },
      { inputMode: "json", path: ["secrets", "providers", "default"], value: { source: "env" } },
    ],
  );
});

Deno.test("batchOperations() refuses bad batches in the reference's words", () => {
  const refused = (raw: string, message: string) =>
    assert.throws(() => batchOperations(raw, "--batch-json"), refusal(message));
  refused("[]", "--batch-json must contain at least one config update.");
  refused("{}", "--batch-json must be a JSON array.");
  refused("", "Failed to parse --batch-json: SyntaxError: JSON5: invalid end of input at 1:1");
  refused("[1]", "--batch-json[0] must be an object.");
  refused("[{ value: 1 }]", "--batch-json[0].path is required.");
  refused('[{ path: "a" }]', "--batch-json[0] must include exactly one of: value, ref, provider.");
  refused('[{ path: "a", value: 1, ref: {} }]', "--batch-json[0] must include exactly one of: value, ref, provider.");
  refused(
    '[{ path: "a", ref: { source: "env", provider: "default", id: "lower" } }]',
    "batch[0].ref.id must match /^[A-Z][A-Z0-9_]{0,127}$/ for env refs.",
  );
  refused('[{ path: "a", ref: "x" }]', "batch[0].ref must be an object with source/provider/id.");
  refused(
    '[{ path: "a.b", provider: { source: "env" } }]',
    'Provider builder mode requires path "secrets.providers.<alias>" (example: secrets.providers.vault).',
  );
});

Deno.test("batchOperations() keeps which path segments are quoted numbers (keys, never array indices)", () => {
  assert.deepEqual(
    batchOperations(`[{ path: 'groups["0"].x', value: 1 }, { path: "list.0", value: 2 }]`, "--batch-json"),
    [
      { inputMode: "json", path: ["groups", "0", "x"], quotedNumeric: new Set([1]), value: 1 },
      { inputMode: "json", path: ["list", "0"], value: 2 },
    ],
  );
});
