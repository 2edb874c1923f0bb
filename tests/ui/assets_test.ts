import assert from "node:assert/strict";
import { renderUiAssets } from "../../tools/gen_ui_assets.ts";

Deno.test("src/ui/assets.ts embeds exactly what src/ui/static holds (run `deno task ui` after editing the UI)", async () => {
  const committed = await Deno.readTextFile(new URL("../../src/ui/assets.ts", import.meta.url));
  assert.equal(committed, await renderUiAssets());
});
