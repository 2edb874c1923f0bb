import assert from "node:assert/strict";
import { join } from "node:path";
import { mediaSettings } from "../../src/config/media_settings.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { MediaWiring } from "../../src/server/media_wiring.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

Deno.test("MediaWiring: the store lives under <stateDir>/media, limits and retention come from the config in force", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "media-wiring-" });
  const lines: string[] = [];
  let config: RawConfig = { agents: { defaults: { mediaMaxMb: 0.000008 } } };
  const wiring = new MediaWiring({
    stateDir,
    settings: () => mediaSettings(config),
    log: { info: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`) },
  });
  try {
    assert.equal(wiring.store.root, join(stateDir, "media"));
    // 0.000008 MB is 8 bytes: the PNG signature fits, one byte more does not.
    const saved = await wiring.store.save(PNG, { direction: "inbound" });
    await assert.rejects(() => wiring.store.save(new Uint8Array(9).fill(1), { direction: "inbound" }), /limit/);
    const now = Date.now();
    await Deno.utime(saved.path, (now - 3 * 3_600_000) / 1000, (now - 3 * 3_600_000) / 1000);
    // No retention configured: the inbound file stays.
    wiring.start();
    assert.equal(await wiring.prune(), 0);
    await Deno.stat(saved.path);
    // A reload sets attachments.ttlHours: the next sweep removes it and says so.
    config = { attachments: { ttlHours: 2 } };
    assert.equal(await wiring.prune(), 1);
    await assert.rejects(() => Deno.stat(saved.path), Deno.errors.NotFound);
    assert.deepEqual(lines, ["media cleanup removed 1 file(s)"]);
  } finally {
    await wiring.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
