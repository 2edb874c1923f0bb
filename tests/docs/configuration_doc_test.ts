import assert from "node:assert/strict";
import { configurationDoc } from "../../tools/gen_config_docs.ts";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

Deno.test("docs/configuration.md is current with the schema and the reload table", async () => {
  const committed = await Deno.readTextFile(`${REPO_ROOT}/docs/configuration.md`);
  assert.equal(committed, configurationDoc(), "docs/configuration.md is stale: run deno task docs");
});
