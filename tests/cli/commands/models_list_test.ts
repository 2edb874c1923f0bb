// The reference's `models list` table rules: token labels and fixed-width columns (recorded rows).
import assert from "node:assert/strict";
import { tableLines, tokenK } from "../../../src/cli/commands/models_list.ts";

Deno.test("tokenK rounds to thousands as the reference's formatTokenK", () => {
  assert.deepEqual([tokenK(null), tokenK(0), tokenK(999), tokenK(32_000), tokenK(1_048_576)], [
    "-",
    "-",
    "999",
    "32k",
    "1049k",
  ]);
});

Deno.test("tableLines pads columns and shows a runtime cap as cap/window (recorded c_list)", () => {
  const lines = tableLines([
    {
      key: "local/m1",
      name: "M1",
      input: "text",
      contextWindow: 32_000,
      contextTokens: 16_000,
      local: true,
      available: true,
      tags: ["default"],
    },
    { key: "remote/r1", name: "R1", input: "text", contextWindow: 200_000, local: false, available: null, tags: [] },
  ]);
  assert.deepEqual(lines, [
    "Model                                      Input      Ctx         Local Auth  Tags",
    "local/m1                                   text       16k/32k     yes   yes   default",
    "remote/r1                                  text       200k        no    -     ",
  ]);
});
