import assert from "node:assert/strict";
import { type OutboundMediaRules, resolveOutboundMedia } from "../../src/agent/outbound_media.ts";
import { resolveWebFetch } from "../../src/config/resolve_web_fetch.ts";
import { FileMediaStore } from "../../src/media/file_store.ts";

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

Deno.test("resolveOutboundMedia() hands the channel the bytes it checked: a workspace file swapped for a link after the check sends nothing from outside", async () => {
  const dir = await Deno.makeTempDir({ prefix: "outbound-swap-" });
  try {
    await Deno.mkdir(`${dir}/workspace`, { recursive: true });
    await Deno.mkdir(`${dir}/elsewhere`, { recursive: true });
    await Deno.writeTextFile(`${dir}/elsewhere/secret.txt`, "SECRET TOKEN");
    const rules: OutboundMediaRules = {
      workspace: `${dir}/workspace`,
      roots: [`${dir}/media`],
      store: new FileMediaStore({ root: `${dir}/media`, maxBytes: () => 5 * 1024 * 1024, ttlMs: () => undefined }),
      ssrfPolicy: resolveWebFetch({}).ssrfPolicy,
    };
    await Deno.writeFile(`${dir}/workspace/chart.png`, PNG);
    const media = await resolveOutboundMedia("./chart.png", rules);
    // The workspace is the agent's (a sandbox may write into it): it swaps the file for a link.
    await Deno.remove(`${dir}/workspace/chart.png`);
    await Deno.symlink(`${dir}/elsewhere/secret.txt`, `${dir}/workspace/chart.png`);
    // What a channel's sendMedia reads (Deno.readFile(media.path)).
    const sent = await Deno.readFile(media.path);
    assert.deepEqual(sent, PNG);
    assert.equal(media.size, PNG.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
