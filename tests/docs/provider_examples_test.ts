import assert from "node:assert/strict";
import JSON5 from "json5";
import { parseConfigText } from "../../src/config/load.ts";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

/** The ```json5 blocks of a markdown text that declare model providers. */
function providerExamples(text: string): string[] {
  return [...text.matchAll(/```json5\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.includes("providers"));
}

Deno.test("README.md and docs/migrating.md write model entries in the object form OpenClaw reads", async () => {
  let checked = 0;
  for (const file of ["README.md", "docs/migrating.md"]) {
    const examples = providerExamples(await Deno.readTextFile(`${REPO_ROOT}/${file}`));
    assert.ok(examples.length > 0, `${file} shows a provider example`);
    for (const code of examples) {
      // Valid for this gateway...
      await parseConfigText(code, { path: file, env: {} });
      // ...and in the shape the reference requires: every entry an object with a string id.
      const providers = JSON5.parse(code).models.providers as Record<string, { models?: unknown[] }>;
      for (const [id, provider] of Object.entries(providers)) {
        for (const entry of provider.models ?? []) {
          assert.ok(
            entry !== null && typeof entry === "object" && typeof (entry as { id?: unknown }).id === "string",
            `${file}: models.providers.${id}.models[] entry ${JSON.stringify(entry)} is not {id, ...}`,
          );
          checked++;
        }
      }
    }
  }
  assert.ok(checked >= 2);
});
