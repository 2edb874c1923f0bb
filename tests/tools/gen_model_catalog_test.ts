// src/config/built_in_model_catalog.ts is what tools/gen_model_catalog.ts makes of the reference's
// plugin manifests (checked where the reference is installed: tools/peer_install.sh).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { catalogSource, formatted } from "../../tools/gen_model_catalog.ts";
import { PEER_PACKAGE } from "../support/peer.ts";

Deno.test({
  name: "the built-in model catalog is current with the reference's anthropic and openai manifests",
  ignore: !existsSync(`${PEER_PACKAGE}/dist/extensions/anthropic/openclaw.plugin.json`),
  async fn() {
    const generated = await formatted(await catalogSource(PEER_PACKAGE));
    const file = await Deno.readTextFile(new URL("../../src/config/built_in_model_catalog.ts", import.meta.url));
    assert.equal(file, generated, "run: deno run --allow-read --allow-write --allow-run tools/gen_model_catalog.ts");
    assert.ok(!file.includes("(Claude CLI)"), "the Claude CLI runtime's rows are left out");
  },
});
